import { schemasOf } from '../schema/schema.registry';
import type { ResourceTypeDefinition } from '../schema/schema.types';
import { cloneValue } from './safe-object.util';
import type { ScimObject, ScimResourceData } from './scim-value.types';
import { stripEmptyResource } from './empty-value.stripper';

/** Server-maintained parts of a response: the resource `id` and its `meta` (RFC 7643 §3.1). */
export interface ResourceEnvelope {
  id: string;
  meta: { resourceType: string; created?: string; lastModified?: string; location?: string; version?: string };
}

/**
 * Builds the wire representation of a stored resource: `schemas` lists the core schema and each extension present
 * (RFC 7643 §3), extensions sit under their URN, and nothing null or empty is emitted.
 */
export function renderResource(
  data: ScimResourceData,
  resourceType: ResourceTypeDefinition,
  envelope: ResourceEnvelope,
): ScimObject {
  const { extensions } = schemasOf(resourceType);
  const present = extensions.filter((extension) => {
    const values = data.extensions[extension.id];
    return values !== undefined && Object.keys(values).length > 0;
  });
  const resource: Record<string, unknown> = {
    schemas: [resourceType.schema, ...present.map((extension) => extension.id)],
    id: envelope.id,
    ...cloneValue(data.core),
  };
  // The envelope wins over anything a caller left in `core`.
  resource.id = envelope.id;
  for (const extension of present) resource[extension.id] = cloneValue(data.extensions[extension.id]);
  resource.meta = { ...envelope.meta };
  return stripEmptyResource(resource);
}
