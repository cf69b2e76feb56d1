/**
 * The floor: a bare `node:http` server that reads each request and answers a canned SCIM response, with no parsing,
 * no storage and no framework. What the SCIM server reaches is reported as a fraction of what this machine's HTTP
 * stack does at all. Started as a child process by the benchmark; prints `listening <port>` when ready.
 */
import { createServer } from 'node:http';

const JSON_TYPE = { 'Content-Type': 'application/scim+json' };
const EMPTY_LIST = Buffer.from(
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: 0,
    Resources: [],
    startIndex: 1,
    itemsPerPage: 0,
  }),
);
const RESOURCE_HEAD = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"';
const RESOURCE_TAIL =
  '","userName":"canned@contoso.example","active":true,"meta":{"resourceType":"User","created":"2025-01-01T00:00:00.000Z","lastModified":"2025-01-01T00:00:00.000Z"}}';

let nextId = 0;

const server = createServer((req, res) => {
  // The body is read to its end, as any server must, but never parsed.
  req.on('data', () => undefined);
  req.on('end', () => {
    const url = req.url ?? '';
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.includes('?')) {
      res.writeHead(200, JSON_TYPE).end(EMPTY_LIST);
    } else if (method === 'POST') {
      res.writeHead(201, JSON_TYPE).end(RESOURCE_HEAD + String(++nextId) + RESOURCE_TAIL);
    } else if (method === 'DELETE' || (method === 'PATCH' && url.includes('/Groups/'))) {
      res.writeHead(204).end();
    } else {
      res.writeHead(200, JSON_TYPE).end(RESOURCE_HEAD + 'canned' + RESOURCE_TAIL);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
