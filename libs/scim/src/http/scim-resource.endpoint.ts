import { ScimError } from '../errors/scim-error';
import type { FilterNode } from '../filter/filter.ast';
import { parseFilter } from '../filter/filter.parser';
import { listResponse } from '../paging/list-response.builder';
import { ListQuery, ListQueryLimits, parseListQuery } from '../paging/list-query.parser';
import { parseSearchRequest } from '../paging/search-request.parser';
import { parsePatchRequest } from '../patch';
import { parseAttributeList } from '../resource/attribute-list.parser';
import { coerceResource } from '../resource/resource.coercer';
import { projectResource, ProjectionOptions } from '../resource/resource.projector';
import { renderResource } from '../resource/resource.renderer';
import type { ScimObject } from '../resource/scim-value.types';
import { UndeclaredAttributes } from '../resource/undeclared-attributes';
import { resolveAttribute, schemasOf } from '../schema/schema.registry';
import type { ResourceTypeDefinition } from '../schema/schema.types';
import { etagMatches, etagOf, parseEtagList } from './etag';
import { PagedAttributeValue, pagedAnswer } from './paged-answer';
import type { ScimRequestContext, ScimResourceStore, ScimSort, StoredResource } from './resource-store.interface';
import { ScimAnswer, ScimHttpRequest } from './scim-exchange';
import type { ResolvedScimOptions } from './scim-options.interface';
import type { ScimPrincipal } from './scim-principal';

/** The authenticated caller, as the access checks left it; a route reached without one is a wiring mistake. */
function principalOf(request: ScimHttpRequest): ScimPrincipal {
  if (!request.principal) throw new Error('No SCIM principal: an access check must call setScimPrincipal');
  return request.principal;
}

/** The longest `sortBy` read: a URN-qualified attribute path is far shorter. */
const MAX_SORT_BY_LENGTH = 512;

/**
 * `sortBy` as an attribute path (RFC 7644 §3.4.2.3, standard attribute notation, URN prefix allowed); whether the
 * resource type can be sorted by it is the store's to say.
 */
function parseSort(sortBy: string, sortOrder: ListQuery['sortOrder']): ScimSort {
  let node: FilterNode | undefined;
  try {
    node = parseFilter(`${sortBy} pr`, { maxLength: MAX_SORT_BY_LENGTH + 3, maxDepth: 1 });
  } catch {
    node = undefined;
  }
  if (node?.kind !== 'present' || node.path.valueFilter !== undefined) {
    throw ScimError.invalidValue("Query parameter 'sortBy' must name one attribute");
  }
  return { path: node.path, descending: sortOrder === 'descending' };
}

/**
 * The HTTP behaviour shared by /Users and /Groups (RFC 7644 §3): list and query, read with projection and ETags,
 * create, replace, patch and delete, each handed to the resource type's store. One instance per resource type is
 * provided by `ScimModule` (`SCIM_USERS_ENDPOINT`, `SCIM_GROUPS_ENDPOINT`).
 */
export class ScimResourceEndpoint {
  constructor(
    private readonly resourceType: ResourceTypeDefinition,
    private readonly store: ScimResourceStore,
    private readonly options: ResolvedScimOptions,
    /** Group PATCH answers 204 unless attributes were asked for (Entra advises against echoing members). */
    private readonly patchAnswersNoContent: boolean,
  ) {}

  baseUrl(request: ScimHttpRequest): string {
    return (this.options.publicUrl ?? request.origin) + this.options.basePath;
  }

  /** `GET /Users` and `GET /Groups` (RFC 7644 §3.4.2). */
  async list(request: ScimHttpRequest): Promise<unknown> {
    const query = parseListQuery(request.query, this.listLimits());
    const page = await this.page(request, query);
    return pagedAnswer(listResponse(page.resources, page.totalResults, query.startIndex));
  }

  /** `POST /Users/.search` and `POST /Groups/.search` (RFC 7644 §3.4.3): the same query, read from the body. */
  async search(request: ScimHttpRequest): Promise<unknown> {
    const query = parseSearchRequest(request.body, this.listLimits());
    const page = await this.page(request, query);
    return pagedAnswer(listResponse(page.resources, page.totalResults, query.startIndex));
  }

  listLimits(): ListQueryLimits {
    return { defaultCount: this.options.limits.defaultCount, maxCount: this.options.limits.maxResults };
  }

  /**
   * One page of the query's matches, rendered and projected as the answer shows them; values a store reads in pages
   * (a group's members) are PagedAttributeValue until the answer is written (see pagedAnswer).
   */
  async page(request: ScimHttpRequest, query: ListQuery): Promise<{ totalResults: number; resources: ScimObject[] }> {
    const filter =
      query.filter === undefined
        ? undefined
        : parseFilter(query.filter, {
            maxLength: this.options.limits.maxFilterLength,
            maxDepth: this.options.limits.maxFilterDepth,
          });
    const projection: ProjectionOptions = {
      attributes: query.attributes,
      excludedAttributes: query.excludedAttributes,
    };
    const withMembers = this.wantsMembers(projection);
    const sort = query.sortBy === undefined ? undefined : parseSort(query.sortBy, query.sortOrder);
    const result = await this.store.list(
      { filter, ...(sort ? { sort } : {}), startIndex: query.startIndex, count: query.count, withMembers, projection },
      this.context(request, withMembers),
    );
    const base = this.baseUrl(request);
    return {
      totalResults: result.totalResults,
      resources: result.resources.map((r) => this.answerOf(r, base, projection)),
    };
  }

  /** `GET /Users/{id}`, `GET /Groups/{id}`: a group's members are streamed as they are read when they are many. */
  async get(request: ScimHttpRequest, id: string): Promise<ScimAnswer> {
    const projection = this.projection(request);
    const withMembers = this.wantsMembers(projection);
    const ifNoneMatch = parseEtagList(request.header('If-None-Match'));
    // A client that holds a version asks first without members: an unchanged group answers 304 without reading them.
    let stored = ifNoneMatch && withMembers ? await this.store.get(id, this.context(request, false)) : undefined;
    if (!stored || !ifNoneMatch || !etagMatches(ifNoneMatch, stored.version)) {
      stored = await this.store.get(id, this.context(request, withMembers));
    }
    if (!stored) throw this.notFound();
    const etag = { ETag: etagOf(stored.version) };
    if (ifNoneMatch && etagMatches(ifNoneMatch, stored.version)) return new ScimAnswer(304, undefined, etag);
    return new ScimAnswer(200, await pagedAnswer(this.answerOf(stored, this.baseUrl(request), projection)), etag);
  }

  async create(request: ScimHttpRequest): Promise<ScimAnswer> {
    const undeclared = this.undeclared();
    const data = coerceResource(request.body, this.resourceType, { forUpdate: false, undeclared });
    for (const value of Object.values(data.core)) this.assertValueCount(value);
    const projection = this.projection(request);
    const stored = await this.store.create(data, this.context(request, this.wantsMembers(projection), undeclared));
    return this.written(request, stored, projection, 201);
  }

  async replace(request: ScimHttpRequest, id: string): Promise<ScimAnswer> {
    const undeclared = this.undeclared();
    const data = coerceResource(request.body, this.resourceType, { forUpdate: true, undeclared });
    for (const value of Object.values(data.core)) this.assertValueCount(value);
    const projection = this.projection(request);
    const stored = await this.store.replace(id, data, this.context(request, this.wantsMembers(projection), undeclared));
    return this.written(request, stored, projection, 200);
  }

  async patch(request: ScimHttpRequest, id: string): Promise<ScimAnswer> {
    const undeclared = this.undeclared();
    const operations = parsePatchRequest(
      request.body,
      this.resourceType,
      { maxOperations: this.options.limits.maxPatchOperations },
      undeclared,
    );
    for (const operation of operations) this.assertValueCount(operation.value);
    const projection = this.projection(request);
    const askedForAttributes =
      (projection.attributes?.length ?? 0) > 0 || (projection.excludedAttributes?.length ?? 0) > 0;
    const noContent = this.patchAnswersNoContent && !askedForAttributes;
    const stored = await this.store.patch(
      id,
      operations,
      this.context(request, !noContent && this.wantsMembers(projection), undeclared),
    );
    if (noContent) return new ScimAnswer(204, undefined, { ETag: etagOf(stored.version) });
    return this.written(request, stored, projection, 200);
  }

  async delete(request: ScimHttpRequest, id: string): Promise<ScimAnswer> {
    await this.store.delete(id, this.context(request, false));
    return new ScimAnswer(204, undefined);
  }

  private written(
    request: ScimHttpRequest,
    stored: StoredResource,
    projection: ProjectionOptions,
    status: 200 | 201,
  ): ScimAnswer {
    const rendered = this.render(stored, this.baseUrl(request));
    const headers: Record<string, string> = { ETag: etagOf(stored.version) };
    if (status === 201) headers.Location = (rendered.meta as { location: string }).location;
    return new ScimAnswer(status, projectResource(rendered, this.resourceType, projection), headers);
  }

  /** A multi-valued attribute (in practice, a group's members) may name at most `maxMembersPerOperation` values. */
  private assertValueCount(value: unknown): void {
    if (Array.isArray(value) && value.length > this.options.limits.maxMembersPerOperation) {
      throw ScimError.tooMany(
        `At most ${this.options.limits.maxMembersPerOperation} values may be given for one attribute or operation`,
      );
    }
  }

  /**
   * The stored resource as the answer shows it. Values the store reads in pages are rendered and projected through a
   * stand-in value with every sub-attribute: where it survives the projection, the pages take its place, each page
   * projected alike.
   */
  private answerOf(stored: StoredResource, baseUrl: string, projection: ProjectionOptions): ScimObject {
    const paged = stored.paged;
    if (!paged) return projectResource(this.render(stored, baseUrl), this.resourceType, projection);
    const definition = resolveAttribute(this.resourceType, paged.attribute, schemasOf(this.resourceType).core.id);
    const standIn = Object.fromEntries((definition?.definition.subAttributes ?? []).map((sub) => [sub.name, '-']));
    const data = { ...stored.data, core: { ...stored.data.core, [paged.attribute]: [standIn] } };
    const answer = projectResource(this.render({ ...stored, data }, baseUrl), this.resourceType, projection);
    const key = Object.keys(answer).find((name) => name.toLowerCase() === paged.attribute.toLowerCase());
    if (key !== undefined) {
      // The projection keeps or drops each sub-attribute by its name alone: when it keeps every one of the stand-in's,
      // pages go out as read.
      const kept = (answer[key] as ScimObject[])[0];
      const whole = Object.keys(kept ?? {}).length === Object.keys(standIn).length;
      answer[key] = new PagedAttributeValue(paged, (page) => {
        if (whole) return page;
        const projected = projectResource({ [paged.attribute]: page }, this.resourceType, projection);
        return (projected[paged.attribute] as ScimObject[] | undefined) ?? [];
      }) as unknown as ScimObject;
    }
    return answer;
  }

  private render(stored: StoredResource, baseUrl: string): ScimObject {
    return renderResource(stored.data, this.resourceType, {
      id: stored.id,
      meta: {
        resourceType: this.resourceType.name,
        created: stored.created.toISOString(),
        lastModified: stored.lastModified.toISOString(),
        location: `${baseUrl}${this.resourceType.endpoint}/${stored.id}`,
        version: etagOf(stored.version),
      },
    });
  }

  private projection(request: ScimHttpRequest): ProjectionOptions {
    const q = request.query;
    const read = (name: string) => {
      const key = Object.keys(q).find((k) => k.toLowerCase() === name.toLowerCase());
      const value = key === undefined ? undefined : q[key];
      if (value !== undefined && typeof value !== 'string') {
        throw ScimError.invalidValue(`Query parameter '${name}' must be given once`);
      }
      return parseAttributeList(value);
    };
    return { attributes: read('attributes'), excludedAttributes: read('excludedAttributes') };
  }

  /** Members are read only when the response will show them (RFC 7644 §3.4.2.5). */
  private wantsMembers(projection: ProjectionOptions): boolean {
    if (this.resourceType.id !== 'Group') return false;
    const named = (list: readonly string[] | undefined, whole: boolean) =>
      (list ?? []).some((p) =>
        (whole
          ? /^(urn:ietf:params:scim:schemas:core:2\.0:group:)?members$/i
          : /^(urn:ietf:params:scim:schemas:core:2\.0:group:)?members(\.|$)/i
        ).test(p.trim()),
      );
    // Excluding one sub-attribute (`members.$ref`) still shows the members.
    if (named(projection.excludedAttributes, true) && !named(projection.attributes, false)) return false;
    if ((projection.attributes?.length ?? 0) > 0) return named(projection.attributes, false);
    return true;
  }

  /** The request's rule for attributes the schema does not declare (ScimLimits.refuseUndeclaredAttributes). */
  private undeclared(): UndeclaredAttributes {
    return new UndeclaredAttributes(this.options.limits.refuseUndeclaredAttributes);
  }

  private context(
    request: ScimHttpRequest,
    withMembers: boolean,
    undeclared?: UndeclaredAttributes,
  ): ScimRequestContext {
    const context: ScimRequestContext = {
      principal: principalOf(request),
      requestId: request.requestId,
      baseUrl: this.baseUrl(request),
      ifMatch: parseEtagList(request.header('If-Match')),
      withMembers,
    };
    if (undeclared && undeclared.names.length > 0) context.ignoredAttributes = [...undeclared.names];
    return context;
  }

  private notFound(): ScimError {
    return ScimError.notFound(`${this.resourceType.name} not found`);
  }
}
