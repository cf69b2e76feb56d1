import type { INestApplication } from '@nestjs/common';
import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';
import { SessionsService } from '@nest-scim/auth';
import { SAML_SETTING_KEYS, SamlSettingsService } from '@nest-scim/saml';
import { completeSamlSettings } from '@nest-scim/saml/testing';
import type { TestServer } from '../support/server-harness';
import { CLAIMS, ResponseOptions, TestIdentityProvider } from './test-identity-provider';

export const SESSION_COOKIE = 'sq-session';

/**
 * Where the tests' server says it is reached. Set, because supertest gives every request a new port, and the ACS URL
 * the identity provider answers to must stay the same from the AuthnRequest to the response, as it does in real life.
 */
export const PUBLIC_URL = 'http://sonarqube.test';

/** SAML as an admin sets it up for Entra, trusting the test IdP's certificate, with the email and group claims. */
export async function configureSaml(
  app: INestApplication,
  idp: TestIdentityProvider,
  extra: Record<string, string> = {},
): Promise<void> {
  await app.get(SamlSettingsService).setMany({
    ...completeSamlSettings(idp.certificate.certificatePem),
    [SAML_SETTING_KEYS.userEmail]: CLAIMS.email,
    [SAML_SETTING_KEYS.groupName]: CLAIMS.groups,
    ...extra,
  });
}

/** Entra's claims for a person. */
export function claimsOf(login: string, name: string, more: Record<string, string | string[]> = {}) {
  return { [CLAIMS.name]: login, [CLAIMS.displayName]: name, [CLAIMS.email]: login, ...more };
}

export interface RoundTrip {
  /** The IdP's answer as the browser posts it. */
  samlResponse: string;
  relayState: string | null;
  /** The server's answer to that post. */
  res: Response;
}

/**
 * What a browser does: follow `/sessions/init/saml` to the IdP, which answers the AuthnRequest it received; then post
 * that answer to the assertion consumer service. `options` breaks the answer in one chosen way.
 */
export async function signInThroughIdp(
  s: TestServer,
  idp: TestIdentityProvider,
  attributes: Record<string, string | string[]>,
  options: Partial<ResponseOptions> & { start?: string; accept?: string } = {},
): Promise<RoundTrip> {
  const init = await s
    .http()
    .get(options.start ?? '/sessions/init/saml')
    .expect(302);
  const request = idp.readRequest(init.headers.location);
  const samlResponse = idp.respond({ acsUrl: request.acsUrl, inResponseTo: request.id, attributes, ...options });
  const res = await postResponse(s, samlResponse, request.relayState, options.accept);
  return { samlResponse, relayState: request.relayState, res };
}

export function postResponse(
  s: TestServer,
  samlResponse: string,
  relayState: string | null,
  accept = 'text/html',
): Promise<Response> {
  return s
    .http()
    .post('/oauth2/callback/saml')
    .set('Accept', accept)
    .type('form')
    .send({ SAMLResponse: samlResponse, ...(relayState ? { RelayState: relayState } : {}) })
    .then((r) => r);
}

/** The session cookie a response set, or undefined. */
export function sessionCookieOf(res: Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  const value = cookie?.split(';')[0].slice(SESSION_COOKIE.length + 1);
  return value ? decodeURIComponent(value) : undefined;
}

export async function signedInLogin(app: INestApplication, res: Response): Promise<string | undefined> {
  return (await app.get(SessionsService).resolveSession(sessionCookieOf(res)))?.login;
}

export async function countRows(dataSource: DataSource, table: 'users' | 'user_sessions'): Promise<number> {
  const [{ n }] = await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(n);
}
