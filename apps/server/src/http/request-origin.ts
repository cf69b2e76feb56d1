import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SCIM_CONTENT_TYPE, ScimError } from '@nest-scim/scim';
import type { ServerConfig } from '../config/server-config';
import { parseHostHeader } from './host-header';
import { SAML_ACS_PATH } from '../saml-sign-in/saml-sign-in.controller';
import { readSessionCookie } from '../saml-sign-in/session-cookie';

const HEALTH_PATH = '/api/system/health';
const SIGN_IN_PATHS = new Set(['/api/authentication/login', '/api/authentication/logout']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const CROSS_SITE_MESSAGE =
  "Cross-site request refused: signed-in changes are accepted only from this server's own pages";
export const UNKNOWN_HOST_MESSAGE = 'Unknown host: this server answers only the addresses in ALLOWED_HOSTS';

/** Where the SCIM routes are: the base path the provisioning module resolved (`PROVISIONING_BASE_PATH`). */
export interface ScimRoutes {
  basePath: string;
}

function isScimPath(path: string, scim: ScimRoutes): boolean {
  return path === scim.basePath || path.startsWith(`${scim.basePath}/`);
}

function refuse(req: Request, res: Response, status: number, message: string, scim: ScimRoutes): void {
  if (isScimPath(req.path, scim)) {
    res.status(status).setHeader('Content-Type', SCIM_CONTENT_TYPE);
    res.send(JSON.stringify(new ScimError(status, message).toBody()));
    return;
  }
  res.status(status).json({ errors: [{ msg: message }] });
}

/**
 * Without PUBLIC_URL, the addresses the server writes into its answers (SCIM `Location` and `meta.location`) come
 * from the request's Host header. With ALLOWED_HOSTS set, a request naming any other host is refused (400) before it
 * reaches a route, so no answer ever carries an address the admin did not allow. Health checks are exempt: probes
 * call by the instance's own address. With PUBLIC_URL set, or with neither set, nothing is checked here.
 */
export function allowedHostsCheck(
  config: Pick<ServerConfig, 'publicUrl' | 'allowedHosts'>,
  scim: ScimRoutes,
): RequestHandler {
  const allowed = config.allowedHosts;
  return (req: Request, res: Response, next: NextFunction) => {
    if (config.publicUrl || allowed.length === 0 || req.path === HEALTH_PATH) return next();
    const given = parseHostHeader(String(req.headers.host ?? ''));
    const ok =
      given !== undefined &&
      allowed.some((entry) => entry.host === given.host && (entry.port === undefined || entry.port === given.port));
    if (ok) return next();
    refuse(req, res, 400, UNKNOWN_HOST_MESSAGE, scim);
  };
}

/** The server's own origin as the browser names it: PUBLIC_URL's, else the one the request was addressed to. */
function ownOrigin(req: Request, publicUrl: string | undefined): string {
  return publicUrl ? new URL(publicUrl).origin : `${req.protocol}://${String(req.headers.host ?? '').toLowerCase()}`;
}

type OriginVerdict = 'same-origin' | 'cross-origin' | 'unknown';

/**
 * Where a request comes from, as the browser says: `Sec-Fetch-Site` (every current browser sends it), else `Origin`
 * compared with the server's own origin. A sibling origin of the same site (another port or subdomain) is
 * cross-origin: SameSite cookies do not stop it. `unknown` when the request carries neither header (not a browser).
 */
export function originOf(req: Request, publicUrl: string | undefined): OriginVerdict {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none' ? 'same-origin' : 'cross-origin';
  const origin = req.headers.origin;
  if (typeof origin === 'string') return origin === ownOrigin(req, publicUrl) ? 'same-origin' : 'cross-origin';
  return 'unknown';
}

/**
 * CSRF protection for the session cookie. A state-changing request (anything but GET, HEAD, OPTIONS) that carries
 * the session cookie must prove it comes from the server's own pages (Sec-Fetch-Site or Origin, above), or it is
 * refused with 403 before any route runs. Requests with an Authorization header are scripts with a user token: a
 * page on another origin cannot send that header without a CORS preflight, which this server never grants, so they
 * are left to the token check. Sign-in and sign-out are refused only when the browser says they come from another
 * origin (login CSRF), so scripts that sign in with a password keep working. The SAML assertion consumer is exempt:
 * the identity provider posts to it from its own origin by design, and a signed assertion, not a cookie, is its
 * credential. The SCIM endpoint takes no cookie and is not concerned.
 */
export function sameOriginCheck(config: Pick<ServerConfig, 'publicUrl'>, scim: ScimRoutes): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method) || req.path === SAML_ACS_PATH || isScimPath(req.path, scim)) return next();
    const verdict = originOf(req, config.publicUrl);
    if (verdict === 'same-origin') return next();
    if (SIGN_IN_PATHS.has(req.path))
      return verdict === 'cross-origin' ? refuse(req, res, 403, CROSS_SITE_MESSAGE, scim) : next();
    if (req.headers.cookie === undefined || readSessionCookie(req) === undefined) return next();
    if (req.headers.authorization !== undefined) return next();
    refuse(req, res, 403, CROSS_SITE_MESSAGE, scim);
  };
}
