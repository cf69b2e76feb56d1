import type { Request, Response } from 'express';
import type { CreatedSession } from '@nest-scim/auth';

/**
 * The session cookie of people signed in to the server, whichever way they signed in. Written here first because
 * SAML sign-in needed it before the admin Web API's password sign-in existed; both are meant to use these functions,
 * so the cookie has one name and one set of attributes.
 */
export const SESSION_COOKIE_NAME = 'sq-session';

/**
 * HttpOnly: scripts never see it. SameSite=Lax rather than Strict: the SAML response arrives as a cross-site POST,
 * and the redirect that follows must carry the new cookie. Secure whenever the server is reached over HTTPS.
 */
export function setSessionCookie(res: Response, session: CreatedSession, secure: boolean): void {
  res.cookie(SESSION_COOKIE_NAME, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE_NAME, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

/**
 * The session token the request carries; undefined when it has none or several (a sign of cookie tossing). Read by
 * hand rather than with `cookie-parser`: it keeps the first of several cookies of one name, and several must refuse.
 */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  const values = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SESSION_COOKIE_NAME}=`))
    .map((part) => part.slice(SESSION_COOKIE_NAME.length + 1));
  if (values.length !== 1 || values[0] === '') return undefined;
  try {
    return decodeURIComponent(values[0]);
  } catch {
    return undefined;
  }
}

/** Whether the browser reached us over HTTPS: the public URL says so when one is configured. */
export function isSecureRequest(req: Request, publicUrl: string | undefined): boolean {
  return publicUrl ? publicUrl.startsWith('https:') : req.secure;
}
