/** The knobs of the SCIM endpoint. Each limit sits above what Entra ID really sends. */
export interface ScimLimits {
  /** Largest request body, in bytes (413 above it). */
  maxPayloadBytes: number;
  /** Longest filter, in characters, and deepest nesting (400 invalidFilter, decided while parsing). */
  maxFilterLength: number;
  maxFilterDepth: number;
  /** Most operations in one PATCH request, and most members named in one operation or POST/PUT body. */
  maxPatchOperations: number;
  maxMembersPerOperation: number;
  /** Page size without `count`, and the most a page returns (`filter.maxResults`). */
  defaultCount: number;
  maxResults: number;
  /**
   * What a write does with an attribute the schema does not declare (an unknown attribute, sub-attribute or extension
   * URN, e.g. a PATCH to `urn:…:CustomExt:2.0:User:costCenter`), on POST, PUT and PATCH alike: `false` (the default)
   * ignores it and names it in the audit trail; `true` refuses the request with 400 (`invalidPath` for a PATCH path,
   * `invalidValue` for a key of a body or value).
   */
  refuseUndeclaredAttributes: boolean;
}

export const DEFAULT_SCIM_LIMITS: ScimLimits = {
  maxPayloadBytes: 1024 * 1024,
  maxFilterLength: 4096,
  maxFilterDepth: 32,
  maxPatchOperations: 1000,
  maxMembersPerOperation: 10000,
  defaultCount: 100,
  maxResults: 1000,
  refuseUndeclaredAttributes: false,
};

export interface ScimModuleOptions {
  /** Where the routes live; `/api/scim/v2` unless the host chooses another. */
  basePath?: string;
  /**
   * The public address of the server (`https://host`), for `meta.location`, `Location` and `$ref`. Without it the
   * address is taken from the request's Host header.
   */
  publicUrl?: string;
  limits?: Partial<ScimLimits>;
}

export interface ResolvedScimOptions {
  basePath: string;
  publicUrl?: string;
  limits: ScimLimits;
}

export function resolveScimOptions(options: ScimModuleOptions): ResolvedScimOptions {
  const basePath = '/' + (options.basePath ?? '/api/scim/v2').replace(/^\/+|\/+$/g, '');
  return {
    basePath,
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    limits: { ...DEFAULT_SCIM_LIMITS, ...options.limits },
  };
}
