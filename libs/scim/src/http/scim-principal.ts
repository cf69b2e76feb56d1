/**
 * Who a SCIM request acts for, as the host's access checks established it: handed to the stores and the audit in
 * `ScimRequestContext.principal`.
 */
export interface ScimPrincipal {
  /** The product's id of the account the credentials belong to. */
  userId: string;
  login: string;
  /** The id of the token used, when the credentials were a token. */
  tokenId?: string;
}

// Beside the request, not on it: nothing a host keeps on its requests (`request.user`, say) is read or written.
const principals = new WeakMap<object, ScimPrincipal>();

/** For an access check: the principal of a request it let through. */
export function setScimPrincipal(request: object, principal: ScimPrincipal): void {
  principals.set(request, principal);
}

/** The principal an access check set on the request; undefined when none did. */
export function getScimPrincipal(request: object): ScimPrincipal | undefined {
  return principals.get(request);
}
