import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TokenAuthenticationThrottle } from '@nest-scim/auth';
import type { ScimTestServer } from './hardening-support';

/*
 * Requests whose answers may be held (the refusals of a blocked address): each on a connection of its own, from a
 * chosen loopback address (all of 127.0.0.0/8 is the loopback on Linux), timed, and watchable while still held.
 */

/** The address a flood comes from in these tests; the tenant's and the administrator's own requests use 127.0.0.1. */
export const FLOOD = '127.0.0.2';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: any;
  /** Milliseconds from sending the request to the end of its answer. */
  ms: number;
}

export interface Sent {
  request: ClientRequest;
  answer: Promise<Answer>;
  /** Whether the answer has arrived yet. */
  answered(): boolean;
}

export interface SendOptions {
  path: string;
  token?: string;
  /** The local address to send from; FLOOD unless given. */
  from?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A request through Node's client, on a connection of its own. */
export function sendHeld(port: number, options: SendOptions): Sent {
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
    path: options.path,
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
export const seen = (res: Answer) => ({
  status: res.status,
  contentType: res.headers['content-type'],
  retryAfter: /^[1-9]\d*$/.test(String(res.headers['retry-after'])),
  wwwAuthenticate: res.headers['www-authenticate'],
  body: res.body,
});

export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The test server's port on 127.0.0.1, listening first if it is not yet. */
export async function listen(s: ScimTestServer): Promise<number> {
  const server = s.app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return (server.address() as AddressInfo).port;
}

/**
 * Blocks the flood's address: `maxFailures` made-up tokens answered 401, then refusals with 429 (the address found
 * blocked in the database, the existing tokens not yet read). Returns the last refusal, given at once by the guard or
 * the access checks: the answer every later refusal must repeat.
 */
export async function blockFlood(
  sendToken: (token: string) => Sent,
  madeUp: (i: number) => string,
  maxFailures: number,
): Promise<Answer> {
  for (let i = 0; i < maxFailures; i++) expect((await sendToken(madeUp(i)).answer).status).toBe(401);
  expect((await sendToken(madeUp(100)).answer).status).toBe(429);
  const reference = await sendToken(madeUp(101)).answer;
  expect(reference.status).toBe(429);
  return reference;
}

/** Makes this instance's list of existing tokens fresh, so the flood's next requests are refused from memory. */
export async function refreshKnownTokens(s: ScimTestServer, madeUpToken: string): Promise<void> {
  await expect(s.app.get(TokenAuthenticationThrottle).admit({ ip: FLOOD }, madeUpToken)).rejects.toMatchObject({
    reason: 'throttled',
  });
}
