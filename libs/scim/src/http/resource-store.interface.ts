import type { FilterNode } from '../filter/filter.ast';
import type { PatchOperation } from '../patch';
import type { ProjectionOptions } from '../resource/resource.projector';
import type { ScimResourceData } from '../resource/scim-value.types';
import type { ScimPrincipal } from './scim-principal';

/** A resource as a store keeps it: the SCIM id, the attribute data, and what `meta` is made of. */
export interface StoredResource {
  id: string;
  data: ScimResourceData;
  created: Date;
  lastModified: Date;
  /** Increases on every change; the ETag is `W/"<version>"`. */
  version: number;
}

/** Who is asking, and under which preconditions; given to every write. */
export interface ScimRequestContext {
  /** The authenticated caller, as the access checks established it (setScimPrincipal). */
  principal: ScimPrincipal;
  requestId?: string;
  /** The SCIM root as the client sees it (`https://host/api/scim/v2`), for `$ref` values. */
  baseUrl: string;
  /** RFC 7644 §3.14 `If-Match` ETags (`*` matches any); a mismatch is 412, checked inside the write's transaction. */
  ifMatch?: string[];
  /** Whether the response will show members; when it will not, a store need not read them (entra-client 49, 50). */
  withMembers: boolean;
}

export interface ScimListRequest {
  filter?: FilterNode;
  /** 1-based. */
  startIndex: number;
  /** 0 asks only for the total. */
  count: number;
  withMembers: boolean;
  projection: ProjectionOptions;
}

export interface ScimListResult {
  totalResults: number;
  resources: StoredResource[];
}

/**
 * What the SCIM endpoint needs from the product for one resource type. The SCIM library speaks the protocol; a store
 * maps it onto the product's own users and groups, in one transaction per write.
 */
export interface ScimResourceStore {
  list(request: ScimListRequest, context: ScimRequestContext): Promise<ScimListResult>;
  /** Undefined when no such resource exists. */
  get(id: string, context: ScimRequestContext): Promise<StoredResource | undefined>;
  create(data: ScimResourceData, context: ScimRequestContext): Promise<StoredResource>;
  replace(id: string, data: ScimResourceData, context: ScimRequestContext): Promise<StoredResource>;
  patch(id: string, operations: PatchOperation[], context: ScimRequestContext): Promise<StoredResource>;
  delete(id: string, context: ScimRequestContext): Promise<void>;
}
