import type { Test } from 'supertest';
import { completeSamlSettings } from '@nest-scim/saml/testing';
import { SESSION_COOKIE_NAME } from '../../apps/server/src/saml-sign-in/session-cookie';
import type { TestServer } from './server-harness';

/** The password `startScimServer` gives the local `admin`. */
export const ADMIN_PASSWORD = 'Admin-password-1234';

/** How a request to the admin Web API authenticates. */
export type Credentials = { bearer: string } | { basic: string } | { cookie: string } | undefined;

export interface WebApiClient {
  get(path: string, query?: Record<string, string | number | boolean>): Test;
  /** A form, as the admin page and the product's scripts send parameters. */
  post(path: string, form?: Record<string, string | number | boolean>): Test;
  /** A JSON object of parameters. */
  postJson(path: string, body: unknown): Test;
}

/** Requests to the admin Web API as someone: a user token (as Bearer or as Basic), a session cookie, or nobody. */
export function webApi(server: TestServer, credentials?: Credentials): WebApiClient {
  const authorize = (test: Test): Test => {
    if (!credentials) return test;
    if ('bearer' in credentials) return test.set('Authorization', `Bearer ${credentials.bearer}`);
    if ('basic' in credentials) {
      return test.set('Authorization', `Basic ${Buffer.from(`${credentials.basic}:`).toString('base64')}`);
    }
    // As the admin page's own requests: the browser says they come from the same origin.
    return test.set('Cookie', credentials.cookie).set('Sec-Fetch-Site', 'same-origin');
  };
  return {
    get: (path, query = {}) => authorize(server.http().get(path).query(query)),
    post: (path, form = {}) => authorize(server.http().post(path).type('form').send(form)),
    postJson: (path, body) => authorize(server.http().post(path).type('json').send(JSON.stringify(body))),
  };
}

/** The session cookie a response sets, as a `Cookie` header value; undefined when it sets none. */
export function sessionCookieOf(setCookie: string[] | string | undefined): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const line = all.find((c) => c.startsWith(`${SESSION_COOKIE_NAME}=`));
  return line?.split(';')[0];
}

/** Signs in through the Web API and returns the session cookie. */
export async function signIn(server: TestServer, login: string, password: string): Promise<string> {
  const response = await webApi(server).post('/api/authentication/login', { login, password }).expect(204);
  const cookie = sessionCookieOf(response.headers['set-cookie']);
  if (!cookie) throw new Error('Signing in set no session cookie');
  return cookie;
}

/** Creates a local account through the Web API. */
export async function createLocalUser(api: WebApiClient, login: string, password = `${login}-Password-123`) {
  await api.post('/api/users/create', { login, name: login, password }).expect(200);
  return { login, password };
}

/** Fills SAML in through the Web API, as an admin would for Entra ID, so that it counts as enabled. */
export async function completeSaml(api: WebApiClient): Promise<void> {
  for (const [key, value] of Object.entries(completeSamlSettings())) {
    await api.post('/api/settings/set', { key, value }).expect(204);
  }
}

/** Switches SCIM provisioning on through the Web API (SAML filled in first); the license must already allow it. */
export async function switchScimOn(api: WebApiClient): Promise<void> {
  await completeSaml(api);
  await api.post('/api/scim_management/enable', { confirm: true }).expect(204);
}
