import { SessionsService } from '@nest-scim/auth';
import { testDialects } from '@nest-scim/persistence/testing';
import { BlockedAddressTarpit } from '@nest-scim/provisioning';
import { SESSION_COOKIE_NAME } from '../../apps/server/src/saml-sign-in/session-cookie';
import { SCIM, ScimTestServer, startHardenedServer } from './hardening-support';
import {
  Answer,
  blockFlood as blockFloodWith,
  listen,
  refreshKnownTokens,
  seen,
  Sent,
  SendOptions,
  sendHeld,
  until,
} from './held-requests';

/*
 * The admin Web API refuses a blocked address's made-up tokens before its own pipeline and holds the refusal, as the
 * SCIM endpoint does, in the same tarpit; the answer is the one its guard and filter give. The flood comes from
 * 127.0.0.2, the administrator's own requests from 127.0.0.1 (all of 127.0.0.0/8 is the loopback on Linux).
 */
const MAX_FAILURES = 5;
const ENV = { AUTH_MAX_FAILURES_PER_ADDRESS: String(MAX_FAILURES), AUTH_THROTTLE_WINDOW_SECONDS: '120' };
const WEB_API = '/api/users/search?ps=1';
const SCIM_LOOKUP = `${SCIM}/Users?count=1`;

/** A request from `from` (the flood's address unless given), to the Web API's user search unless told. */
const send = (port: number, options: Omit<SendOptions, 'path'> & { path?: string }): Sent =>
  sendHeld(port, { ...options, path: options.path ?? WEB_API });

const bad = (i: number) => `squ_${(0x5c0f1e + i).toString(16).padStart(40, '0')}`;

/**
 * Blocks the flood's address with made-up tokens on the Web API and returns a refusal its guard and filter gave: the
 * answer every later refusal must repeat.
 */
async function blockFlood(port: number): Promise<Answer> {
  const reference = await blockFloodWith((token) => send(port, { token }), bad, MAX_FAILURES);
  expect(reference.body).toEqual({ errors: [{ msg: expect.any(String) }] });
  expect(reference.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  return reference;
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
      await refreshKnownTokens(s, bad(999));
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
      await refreshKnownTokens(s, bad(999));
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
      await refreshKnownTokens(s, bad(999));
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
      await refreshKnownTokens(s, bad(999));
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
      await refreshKnownTokens(s!, bad(999));
      const scim = send(port, { token: bad(400), path: SCIM_LOOKUP });
      await until(() => tarpit.heldCount === 1, 'the SCIM refusal is held');
      const webApi = await send(port, { token: bad(401) }).answer;
      expect(seen(webApi)).toEqual(seen(reference));
      expect(scim.answered()).toBe(false);
      await dropHeld(scim);
    });

    it('answers the SCIM refusal at once while a Web API refusal is held', async () => {
      expect(tarpit.heldCount).toBe(0);
      await refreshKnownTokens(s!, bad(999));
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
