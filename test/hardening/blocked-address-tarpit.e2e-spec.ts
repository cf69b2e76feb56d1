import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TokenAuthenticationThrottle } from '@nest-scim/auth';
import { testDialects } from '@nest-scim/persistence/testing';
import { BlockedAddressTarpit } from '@nest-scim/provisioning';
import { expectScimError, SCIM, ScimTestServer, startHardenedServer } from './hardening-support';

/*
 * The refusal of a blocked address is held a while before it is sent (a tarpit), so a flood that asks again as soon
 * as it is answered asks about once a second per connection; the answer itself is the one sent without the hold. The
 * flood comes from 127.0.0.2, the tenant's own requests from 127.0.0.1 (all of 127.0.0.0/8 is the loopback on Linux).
 */
const MAX_FAILURES = 5;
const FLOOD = '127.0.0.2';
const METRICS_TOKEN = 'metrics-token-for-the-tarpit-01';
const ENV = {
  AUTH_MAX_FAILURES_PER_ADDRESS: String(MAX_FAILURES),
  AUTH_THROTTLE_WINDOW_SECONDS: '120',
  METRICS_TOKEN,
};

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
  /** Whether the answer has arrived yet. */
  answered(): boolean;
}

/** A SCIM look-up through Node's client, on a connection of its own, from `localAddress`. */
function send(port: number, token: string, localAddress = FLOOD): Sent {
  const started = performance.now();
  let done = false;
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    localAddress,
    agent: false,
    path: `${SCIM}/Users?count=1`,
    headers: { Authorization: `Bearer ${token}` },
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
  request.end();
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

const bad = (i: number) => `squ_${(0x7a2917 + i).toString(16).padStart(40, '0')}`;

/**
 * Blocks the flood's address and returns a refusal it got from the access checks, at once: the answer every later
 * refusal must repeat.
 */
async function blockFlood(port: number): Promise<Answer> {
  for (let i = 0; i < MAX_FAILURES; i++) expect((await send(port, bad(i)).answer).status).toBe(401);
  // The address is found blocked in the database, then refused by the checks (the existing tokens not yet read).
  expect((await send(port, bad(100)).answer).status).toBe(429);
  const reference = await send(port, bad(101)).answer;
  expectScimError(reference as never, 429);
  return reference;
}

/** Makes this instance's list of existing tokens fresh, so the flood's next requests are refused from memory. */
async function refreshKnownTokens(s: ScimTestServer): Promise<void> {
  await expect(s.app.get(TokenAuthenticationThrottle).admit({ ip: FLOOD }, bad(999))).rejects.toMatchObject({
    reason: 'throttled',
  });
}

describe.each(testDialects())('the refusal of a blocked address, held (%s)', (dialect) => {
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

    const throttledCount = async () => {
      const scrape = await s.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
      return scrape.text
        .split('\n')
        .filter((line) => line.startsWith('scim_refusals_total{') && /reason="throttled"/.test(line))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    };

    it('answers about a second later, exactly as at once, while a valid token from elsewhere is answered meanwhile', async () => {
      const countedBefore = await throttledCount();
      await refreshKnownTokens(s);
      const held = send(port, bad(200));
      await until(() => tarpit.heldCount === 1, 'the refusal is held');

      // The tenant's own request, from another address, is answered while the refusal is still held.
      const valid = await send(port, s.token, '127.0.0.1').answer;
      expect(valid.status).toBe(200);
      expect(held.answered()).toBe(false);
      expect(tarpit.heldCount).toBe(1);

      const refused = await held.answer;
      expect(refused.ms).toBeGreaterThanOrEqual(800);
      expect(seen(refused)).toEqual(seen(reference));
      // Its Retry-After counts from when it is sent, at least a second after the reference was.
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(Number(reference.headers['retry-after']) - 1);
      expect(refused.headers['x-request-id']).toMatch(/\S/);
      expect(tarpit.heldCount).toBe(0);
      // Counted once, as any refusal.
      expect((await throttledCount()) - countedBefore).toBe(1);
    });
  });

  describe('with a long hold and a cap of two', () => {
    let s: ScimTestServer | undefined;
    let port: number;
    let tarpit: BlockedAddressTarpit;
    let reference: Answer;

    beforeAll(async () => {
      s = await startHardenedServer(dialect, {
        env: { ...ENV, AUTH_BLOCKED_REFUSAL_DELAY_MS: '30000', AUTH_BLOCKED_REFUSAL_MAX_HELD: '2' },
      });
      port = await listen(s);
      tarpit = s.app.get(BlockedAddressTarpit, { strict: false });
      reference = await blockFlood(port);
    });
    afterAll(async () => {
      await s?.close();
    });

    it('answers the refusal beyond the cap at once, while the first two are held', async () => {
      await refreshKnownTokens(s!);
      const first = [send(port, bad(300)), send(port, bad(301))];
      await until(() => tarpit.heldCount === 2, 'two refusals are held');
      const third = await send(port, bad(302)).answer;
      expect(seen(third)).toEqual(seen(reference));
      expect(first.map((sent) => sent.answered())).toEqual([false, false]);
      expect(tarpit.heldCount).toBe(2);
      for (const sent of first) {
        sent.answer.catch(() => undefined);
        sent.request.destroy();
      }
      await until(() => tarpit.heldCount === 0, 'the held refusals are dropped');
    });

    it('drops a held refusal, timer and all, when its client disconnects', async () => {
      await refreshKnownTokens(s!);
      const sent = send(port, bad(400));
      const outcome = sent.answer.then(
        () => 'answered',
        () => 'closed',
      );
      await until(() => tarpit.heldCount === 1, 'the refusal is held');
      sent.request.destroy();
      // Long before the 30 s hold could end: the close, not the timer, released it.
      await until(() => tarpit.heldCount === 0, 'the held refusal is dropped');
      expect(await outcome).toBe('closed');
    });

    it('on shutdown answers the held refusals at once instead of waiting out the hold', async () => {
      await refreshKnownTokens(s!);
      const sent = send(port, bad(500));
      await until(() => tarpit.heldCount === 1, 'the refusal is held');
      const closing = s!.close();
      s = undefined;
      const refused = await sent.answer;
      expect(seen(refused)).toEqual(seen(reference));
      await closing;
      expect(tarpit.heldCount).toBe(0);
    });
  });
});
