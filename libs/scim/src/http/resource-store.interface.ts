import type { AttrPath, FilterNode } from '../filter/filter.ast';
import type { PatchOperation } from '../patch';
import type { ProjectionOptions } from '../resource/resource.projector';
import type { ScimObject, ScimResourceData } from '../resource/scim-value.types';
import type { ScimPrincipal } from './scim-principal';

/** A resource as a store keeps it: the SCIM id, the attribute data, and what `meta` is made of. */
export interface StoredResource {
  id: string;
  data: ScimResourceData;
  created: Date;
  lastModified: Date;
  /** Increases on every change; the ETag is `W/"<version>"`. */
  version: number;
  /**
   * A multi-valued attribute too large to hold at once (a group's members), read in pages as the answer is written
   * instead of being in `data`. Its values are stored values, projected and rendered like those in `data`.
   */
  paged?: PagedValues;
}

/**
 * Values of one multi-valued attribute, in pages: `pages()` reads them from the start, in a stable order, ending after
 * the last page. A page read when the resource has changed since the rest of it was read fails: the answer it belongs
 * to is abandoned, never sent as a mix of two versions.
 */
export interface PagedValues {
  /** The attribute's name in the core schema (`members`). */
  attribute: string;
  pages(): AsyncIterable<ScimObject[]>;
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
  /** Whether the response will show members; when it will not, a store need not read them. */
  withMembers: boolean;
  /**
   * Attributes of the request that the schema does not declare and that were ignored (names only, never values), for
   * the store's audit record. Absent or empty when nothing was ignored.
   */
  ignoredAttributes?: readonly string[];
}

/** `sortBy` / `sortOrder` (RFC 7644 §3.4.2.3): the attribute, and whether the order is descending. */
export interface ScimSort {
  path: AttrPath;
  descending: boolean;
}

export interface ScimListRequest {
  filter?: FilterNode;
  /** Absent: the store's own stable order (creation order). */
  sort?: ScimSort;
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
