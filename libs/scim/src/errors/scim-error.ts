/** The `scimType` values of RFC 7644 §3.12, plus `sensitive` (§7.5.2). */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The RFC 7644 §3.12 error body: `status` is a string, `scimType` only where the RFC defines one. */
export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail?: string;
}

/**
 * The one error type of the SCIM layer. Everything the protocol refuses is thrown as a ScimError and turned into an
 * RFC 7644 error body by the SCIM exception filter. `detail` is written for humans and never echoes raw client input:
 * callers pass a fixed sentence, at most naming an attribute from the schema.
 */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    /** Extra response headers, e.g. `Retry-After` on 503 or `WWW-Authenticate` on 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status) };
    if (this.scimType) body.scimType = this.scimType;
    if (this.detail) body.detail = this.detail;
    return body;
  }

  static invalidFilter(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidFilter');
  }
  static invalidSyntax(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidSyntax');
  }
  static invalidValue(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidValue');
  }
  static invalidPath(detail: string): ScimError {
    return new ScimError(400, detail, 'invalidPath');
  }
  static noTarget(detail: string): ScimError {
    return new ScimError(400, detail, 'noTarget');
  }
  static mutability(detail: string): ScimError {
    return new ScimError(400, detail, 'mutability');
  }
  static tooMany(detail: string): ScimError {
    return new ScimError(400, detail, 'tooMany');
  }
  static uniqueness(detail: string): ScimError {
    return new ScimError(409, detail, 'uniqueness');
  }
  static notFound(detail = 'Resource not found'): ScimError {
    return new ScimError(404, detail);
  }
  static unauthorized(detail: string): ScimError {
    return new ScimError(401, detail, undefined, { 'WWW-Authenticate': 'Bearer realm="SCIM"' });
  }
  static forbidden(detail: string): ScimError {
    return new ScimError(403, detail);
  }
}
