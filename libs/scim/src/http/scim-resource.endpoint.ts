import type { Request, Response } from 'express';
import { ScimError } from '../errors/scim-error';
import { parseFilter } from '../filter/filter.parser';
import { listResponse } from '../paging/list-response.builder';
import { parseListQuery } from '../paging/list-query.parser';
import { parsePatchRequest } from '../patch';
import { parseAttributeList } from '../resource/attribute-list.parser';
import { coerceResource } from '../resource/resource.coercer';
import { projectResource, ProjectionOptions } from '../resource/resource.projector';
import { renderResource } from '../resource/resource.renderer';
import type { ScimObject } from '../resource/scim-value.types';
import type { ResourceTypeDefinition } from '../schema/schema.types';
import { etagMatches, etagOf, parseEtagList } from './etag';
import type { ScimRequestContext, ScimResourceStore, StoredResource } from './resource-store.interface';
import type { ResolvedScimOptions } from './scim-options.interface';
import { getScimPrincipal, ScimPrincipal } from './scim-principal';

/** The authenticated caller, as the access checks left it; a route reached without one is a wiring mistake. */
function principalOf(request: Request): ScimPrincipal {
  const principal = getScimPrincipal(request);
  if (!principal) throw new Error('No SCIM principal: an access check must call setScimPrincipal');
  return principal;
}

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The HTTP behaviour shared by /Users and /Groups (RFC 7644 §3): list and query, read with projection and ETags,
 * create, replace, patch and delete, each handed to the resource type's store.
 */
export class ScimResourceEndpoint {
  constructor(
    private readonly resourceType: ResourceTypeDefinition,
    private readonly store: ScimResourceStore,
    private readonly options: ResolvedScimOptions,
    /** Group PATCH answers 204 unless attributes were asked for (Entra advises against echoing members). */
    private readonly patchAnswersNoContent: boolean,
  ) {}

  baseUrl(request: Request): string {
    const origin = this.options.publicUrl ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`;
    return origin + this.options.basePath;
  }

  async list(request: Request): Promise<unknown> {
    const query = parseListQuery(request.query as Record<string, unknown>, {
      defaultCount: this.options.limits.defaultCount,
      maxCount: this.options.limits.maxResults,
    });
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
    const result = await this.store.list(
      { filter, startIndex: query.startIndex, count: query.count, withMembers, projection },
      this.context(request, withMembers),
    );
    const base = this.baseUrl(request);
    const resources = result.resources.map((r) => projectResource(this.render(r, base), this.resourceType, projection));
    return listResponse(resources, result.totalResults, query.startIndex);
  }

  async get(request: Request, response: Response, id: string): Promise<ScimObject | undefined> {
    const projection = this.projection(request);
    const withMembers = this.wantsMembers(projection);
    const stored = await this.store.get(id, this.context(request, withMembers));
    if (!stored) throw this.notFound();
    const ifNoneMatch = parseEtagList(header(request, 'If-None-Match'));
    response.setHeader('ETag', etagOf(stored.version));
    if (ifNoneMatch && etagMatches(ifNoneMatch, stored.version)) {
      response.status(304);
      return undefined;
    }
    return projectResource(this.render(stored, this.baseUrl(request)), this.resourceType, projection);
  }

  async create(request: Request, response: Response): Promise<ScimObject> {
    const data = coerceResource(request.body, this.resourceType, { forUpdate: false });
    for (const value of Object.values(data.core)) this.assertValueCount(value);
    const projection = this.projection(request);
    const stored = await this.store.create(data, this.context(request, this.wantsMembers(projection)));
    return this.written(request, response, stored, projection, 201);
  }

  async replace(request: Request, response: Response, id: string): Promise<ScimObject> {
    const data = coerceResource(request.body, this.resourceType, { forUpdate: true });
    for (const value of Object.values(data.core)) this.assertValueCount(value);
    const projection = this.projection(request);
    const stored = await this.store.replace(id, data, this.context(request, this.wantsMembers(projection)));
    return this.written(request, response, stored, projection, 200);
  }

  async patch(request: Request, response: Response, id: string): Promise<ScimObject | undefined> {
    const operations = parsePatchRequest(request.body, this.resourceType, {
      maxOperations: this.options.limits.maxPatchOperations,
    });
    for (const operation of operations) this.assertValueCount(operation.value);
    const projection = this.projection(request);
    const askedForAttributes =
      (projection.attributes?.length ?? 0) > 0 || (projection.excludedAttributes?.length ?? 0) > 0;
    const noContent = this.patchAnswersNoContent && !askedForAttributes;
    const stored = await this.store.patch(
      id,
      operations,
      this.context(request, !noContent && this.wantsMembers(projection)),
    );
    if (noContent) {
      response.setHeader('ETag', etagOf(stored.version));
      response.status(204);
      return undefined;
    }
    return this.written(request, response, stored, projection, 200);
  }

  async delete(request: Request, response: Response, id: string): Promise<void> {
    await this.store.delete(id, this.context(request, false));
    response.status(204);
  }

  private written(
    request: Request,
    response: Response,
    stored: StoredResource,
    projection: ProjectionOptions,
    status: number,
  ): ScimObject {
    const rendered = this.render(stored, this.baseUrl(request));
    response.status(status);
    response.setHeader('ETag', etagOf(stored.version));
    if (status === 201) response.setHeader('Location', (rendered.meta as { location: string }).location);
    return projectResource(rendered, this.resourceType, projection);
  }

  /** A multi-valued attribute (in practice, a group's members) may name at most `maxMembersPerOperation` values. */
  private assertValueCount(value: unknown): void {
    if (Array.isArray(value) && value.length > this.options.limits.maxMembersPerOperation) {
      throw ScimError.tooMany(
        `At most ${this.options.limits.maxMembersPerOperation} values may be given for one attribute or operation`,
      );
    }
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

  private projection(request: Request): ProjectionOptions {
    const q = request.query as Record<string, unknown>;
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

  /** Members are read only when the response will show them (RFC 7644 §3.4.2.5; security-cases 29). */
  private wantsMembers(projection: ProjectionOptions): boolean {
    if (this.resourceType.id !== 'Group') return false;
    const named = (list: readonly string[] | undefined) =>
      (list ?? []).some((p) => /^(urn:ietf:params:scim:schemas:core:2\.0:group:)?members(\.|$)/i.test(p));
    if (named(projection.excludedAttributes) && !named(projection.attributes)) return false;
    if ((projection.attributes?.length ?? 0) > 0) return named(projection.attributes);
    return true;
  }

  private context(request: Request, withMembers: boolean): ScimRequestContext {
    return {
      principal: principalOf(request),
      requestId: (request as { id?: string }).id,
      baseUrl: this.baseUrl(request),
      ifMatch: parseEtagList(header(request, 'If-Match')),
      withMembers,
    };
  }

  private notFound(): ScimError {
    return ScimError.notFound(`${this.resourceType.name} not found`);
  }
}
