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
}

export const DEFAULT_SCIM_LIMITS: ScimLimits = {
  maxPayloadBytes: 1024 * 1024,
  maxFilterLength: 4096,
  maxFilterDepth: 32,
  maxPatchOperations: 1000,
  maxMembersPerOperation: 10000,
  defaultCount: 100,
  maxResults: 1000,
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
