import { testDialects } from '@nest-scim/persistence/testing';
import { BlockedAddressTarpit } from '@nest-scim/provisioning';
import { expectScimError, SCIM, ScimTestServer, startHardenedServer } from './hardening-support';
import {
  Answer,
  blockFlood as blockFloodWith,
  FLOOD,
  listen,
  refreshKnownTokens,
  seen,
  Sent,
  sendHeld,
  until,
} from './held-requests';

/*
 * The refusal of a blocked address is held a while before it is sent (a tarpit), so a flood that asks again as soon
 * as it is answered asks about once a second per connection; the answer itself is the one sent without the hold. The
 * flood comes from 127.0.0.2, the tenant's own requests from 127.0.0.1 (all of 127.0.0.0/8 is the loopback on Linux).
 */
const MAX_FAILURES = 5;
const METRICS_TOKEN = 'metrics-token-for-the-tarpit-01';
const ENV = {
  AUTH_MAX_FAILURES_PER_ADDRESS: String(MAX_FAILURES),
  AUTH_THROTTLE_WINDOW_SECONDS: '120',
  METRICS_TOKEN,
};

/** A SCIM look-up, from `from` (the flood's address unless given). */
const send = (port: number, token: string, from = FLOOD): Sent =>
  sendHeld(port, { path: `${SCIM}/Users?count=1`, token, from });

const bad = (i: number) => `squ_${(0x7a2917 + i).toString(16).padStart(40, '0')}`;

/**
 * Blocks the flood's address and returns a refusal it got from the access checks, at once: the answer every later
 * refusal must repeat.
 */
async function blockFlood(port: number): Promise<Answer> {
  const reference = await blockFloodWith((token) => send(port, token), bad, MAX_FAILURES);
  expectScimError(reference as never, 429);
  return reference;
}

/** The refusals of blocked addresses the server has counted in its metrics. */
async function throttledCount(s: ScimTestServer): Promise<number> {
  const scrape = await s.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
  return scrape.text
    .split('\n')
    .filter((line) => line.startsWith('scim_refusals_total{') && /reason="throttled"/.test(line))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
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

    it('answers about a second later, exactly as at once, while a valid token from elsewhere is answered meanwhile', async () => {
      const countedBefore = await throttledCount(s);
      await refreshKnownTokens(s, bad(999));
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
      expect((await throttledCount(s)) - countedBefore).toBe(1);
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
      await refreshKnownTokens(s!, bad(999));
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

    it('drops a held refusal, timer and all, when its client disconnects, and counts it as a refusal', async () => {
      await refreshKnownTokens(s!, bad(999));
      const countedBefore = await throttledCount(s!);
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
      // Refused all the same: the metrics count it, as they count the ones sent.
      expect((await throttledCount(s!)) - countedBefore).toBe(1);
    });

    it('on shutdown answers the held refusals at once instead of waiting out the hold', async () => {
      await refreshKnownTokens(s!, bad(999));
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
