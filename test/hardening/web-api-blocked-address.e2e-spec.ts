import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SessionsService, TokenAuthenticationThrottle } from '@nest-scim/auth';
import { testDialects } from '@nest-scim/persistence/testing';
import { BlockedAddressTarpit } from '@nest-scim/provisioning';
import { SESSION_COOKIE_NAME } from '../../apps/server/src/saml-sign-in/session-cookie';
import { SCIM, ScimTestServer, startHardenedServer } from './hardening-support';

/*
 * The admin Web API refuses a blocked address's made-up tokens before its own pipeline and holds the refusal, as the
 * SCIM endpoint does, in the same tarpit; the answer is the one its guard and filter give. The flood comes from
 * 127.0.0.2, the administrator's own requests from 127.0.0.1 (all of 127.0.0.0/8 is the loopback on Linux).
 */
const MAX_FAILURES = 5;
const FLOOD = '127.0.0.2';
const ENV = { AUTH_MAX_FAILURES_PER_ADDRESS: String(MAX_FAILURES), AUTH_THROTTLE_WINDOW_SECONDS: '120' };
const WEB_API = '/api/users/search?ps=1';
const SCIM_LOOKUP = `${SCIM}/Users?count=1`;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
  /** Milliseconds from sending the request to the end of its answer. */
  ms: number;
}

interface Sent {
  request: ClientRequest;
  answer: Promise<Answer>;
  answered(): boolean;
}

interface SendOptions {
  token?: string;
  from?: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A request through Node's client, on a connection of its own, from `from` (the flood's address by default). */
function send(port: number, options: SendOptions): Sent {
  const started = performance.now();
  let done = false;
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    localAddress: options.from ?? FLOOD,
    agent: false,
    method: options.method ?? 'GET',
    path: options.path ?? WEB_API,
    headers,
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        done = true;
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text ? JSON.parse(text) : undefined,
          ms: performance.now() - started,
        });
      });
    });
    request.on('error', reject);
  });
  request.end(options.body);
  return { request, answer, answered: () => done };
}

/** What a client sees of a refusal, bar the seconds of Retry-After (they count down). */
const seen = (res: Answer) => ({
  status: res.status,
  contentType: res.headers['content-type'],
  retryAfter: /^[1-9]\d*$/.test(String(res.headers['retry-after'])),
  wwwAuthenticate: res.headers['www-authenticate'],
  body: res.body,
});

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function listen(s: ScimTestServer): Promise<number> {
  const server = s.app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return (server.address() as AddressInfo).port;
}

const bad = (i: number) => `squ_${(0x5c0f1e + i).toString(16).padStart(40, '0')}`;

/**
 * Blocks the flood's address with made-up tokens on the Web API and returns a refusal its guard and filter gave: the
 * answer every later refusal must repeat.
 */
async function blockFlood(port: number): Promise<Answer> {
  for (let i = 0; i < MAX_FAILURES; i++) expect((await send(port, { token: bad(i) }).answer).status).toBe(401);
  // The address is found blocked in the database, then refused by the guard (the existing tokens not yet read).
  expect((await send(port, { token: bad(100) }).answer).status).toBe(429);
  const reference = await send(port, { token: bad(101) }).answer;
  expect(reference.status).toBe(429);
  expect(reference.body).toEqual({ errors: [{ msg: expect.any(String) }] });
  expect(reference.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  return reference;
}

/** Makes this instance's list of existing tokens fresh, so the flood's next requests are refused from memory. */
async function refreshKnownTokens(s: ScimTestServer): Promise<void> {
  await expect(s.app.get(TokenAuthenticationThrottle).admit({ ip: FLOOD }, bad(999))).rejects.toMatchObject({
    reason: 'throttled',
  });
}

describe.each(testDialects())('the Web API refusal of a blocked address (%s)', (dialect) => {
  describe('with the default hold', () => {
    let s: ScimTestServer;
    let port: number;
    let tarpit: BlockedAddressTarpit;
    let reference: Answer;

    beforeAll(async () => {
      s = await startHardenedServer(dialect, { env: ENV });
      port = await listen(s);
      tarpit = s.app.get(BlockedAddressTarpit, { strict: false });
      reference = await blockFlood(port);
    });
    afterAll(async () => {
      await s.close();
    });

    it('answers about a second later, as the guard did, while a valid token from elsewhere is answered meanwhile', async () => {
      await refreshKnownTokens(s);
      const held = send(port, { token: bad(200) });
      await until(() => tarpit.heldCount === 1, 'the refusal is held');

      const valid = await send(port, { token: s.token, from: '127.0.0.1' }).answer;
      expect(valid.status).toBe(200);
      expect(held.answered()).toBe(false);
      expect(tarpit.heldCount).toBe(1);

      const refused = await held.answer;
      expect(refused.ms).toBeGreaterThanOrEqual(800);
      expect(seen(refused)).toEqual(seen(reference));
      expect(refused.headers['x-request-id']).toMatch(/\S/);
      expect(tarpit.heldCount).toBe(0);
    });

    it('lets a session cookie without a token, or a token that exists, from the blocked address through to the guard', async () => {
      await refreshKnownTokens(s);
      const session = await s.app.get(SessionsService).createSession(s.adminUserId);
      const signedIn = await send(port, { headers: { Cookie: `${SESSION_COOKIE_NAME}=${session.token}` } }).answer;
      expect(signedIn.status).toBe(200);
      // A cookie that resolves to nothing is no credentials: the guard's 401, as before, not the throttle's 429.
      const stale = await send(port, { headers: { Cookie: `${SESSION_COOKIE_NAME}=not-a-session` } }).answer;
      expect(stale.status).toBe(401);
      expect(stale.body).toEqual({ errors: [{ msg: expect.any(String) }] });
      const realToken = await send(port, { token: s.token }).answer;
      expect(realToken.status).toBe(200);
      expect(tarpit.heldCount).toBe(0);
    });

    it('leaves the sign-in routes to their own rules', async () => {
      await refreshKnownTokens(s);
      const validate = await send(port, { token: bad(210), path: '/api/authentication/validate' }).answer;
      expect(validate.status).toBe(200);
      expect(validate.body).toEqual({ valid: false });
    });
  });

  describe('with no hold', () => {
    let s: ScimTestServer;
    let port: number;
    let reference: Answer;

    beforeAll(async () => {
      s = await startHardenedServer(dialect, { env: { ...ENV, AUTH_BLOCKED_REFUSAL_DELAY_MS: '0' } });
      port = await listen(s);
      reference = await blockFlood(port);
    });
    afterAll(async () => {
      await s.close();
    });

    it('answers at once, as the guard did, before the body is read', async () => {
      await refreshKnownTokens(s);
      const refused = await send(port, { token: bad(300) }).answer;
      expect(refused.ms).toBeLessThan(500);
      expect(seen(refused)).toEqual(seen(reference));
      // A body the Web API's parser would answer with a 400 is never read.
      const unread = await send(port, {
        token: bad(301),
        method: 'POST',
        path: '/api/users/deactivate',
        headers: { 'Content-Type': 'application/json' },
        body: '{not json',
      }).answer;
      expect(seen(unread)).toEqual(seen(reference));
    });
  });

  describe('with a long hold and a cap of one, shared with the SCIM endpoint', () => {
    let s: ScimTestServer | undefined;
    let port: number;
    let tarpit: BlockedAddressTarpit;
    let reference: Answer;

    beforeAll(async () => {
      s = await startHardenedServer(dialect, {
        env: { ...ENV, AUTH_BLOCKED_REFUSAL_DELAY_MS: '30000', AUTH_BLOCKED_REFUSAL_MAX_HELD: '1' },
      });
      port = await listen(s);
      tarpit = s.app.get(BlockedAddressTarpit, { strict: false });
      reference = await blockFlood(port);
    });
    afterAll(async () => {
      await s?.close();
    });

    async function dropHeld(sent: Sent): Promise<void> {
      sent.answer.catch(() => undefined);
      sent.request.destroy();
      await until(() => tarpit.heldCount === 0, 'the held refusal is dropped');
    }

    it('answers the Web API refusal at once while a SCIM refusal is held', async () => {
      expect(tarpit.heldCount).toBe(0);
      await refreshKnownTokens(s!);
      const scim = send(port, { token: bad(400), path: SCIM_LOOKUP });
      await until(() => tarpit.heldCount === 1, 'the SCIM refusal is held');
      const webApi = await send(port, { token: bad(401) }).answer;
      expect(seen(webApi)).toEqual(seen(reference));
      expect(scim.answered()).toBe(false);
      await dropHeld(scim);
    });

    it('answers the SCIM refusal at once while a Web API refusal is held', async () => {
      expect(tarpit.heldCount).toBe(0);
      await refreshKnownTokens(s!);
      const webApi = send(port, { token: bad(410) });
      await until(() => tarpit.heldCount === 1, 'the Web API refusal is held');
      const scim = await send(port, { token: bad(411), path: SCIM_LOOKUP }).answer;
      expect(scim.status).toBe(429);
      expect(scim.body?.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      expect(webApi.answered()).toBe(false);
      await dropHeld(webApi);
    });
  });
});
