import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who a request acts for, once a guard has authenticated it. */
export interface AuthenticatedPrincipal {
  userId: string;
  login: string;
  via: 'token' | 'session';
  /** The token used, when `via` is `token`. */
  tokenId?: string;
}

/**
 * The request property holding the principal. Not `user`: an embedding host may keep its own principal there, and
 * this lib's guards must not be confused by it, nor overwrite it.
 */
export const AUTHENTICATED_PRINCIPAL_PROPERTY = 'authenticatedPrincipal';

export function getAuthenticatedPrincipal(request: object): AuthenticatedPrincipal | undefined {
  return (request as Record<string, AuthenticatedPrincipal | undefined>)[AUTHENTICATED_PRINCIPAL_PROPERTY];
}

/** For a host that authenticates requests itself (a session cookie): what the admin guard then reads. */
export function setAuthenticatedPrincipal(request: object, principal: AuthenticatedPrincipal): void {
  (request as Record<string, AuthenticatedPrincipal>)[AUTHENTICATED_PRINCIPAL_PROPERTY] = principal;
}

/** Controller parameter decorator: the principal a guard put on the request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedPrincipal | undefined =>
    getAuthenticatedPrincipal(context.switchToHttp().getRequest<object>()),
);
