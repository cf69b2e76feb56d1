import type { AttributeDefinition, AttributeType, SchemaDefinition } from './schema.types';

type Characteristics = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>>;

/** RFC 7643 §2.2 defaults: single-valued, optional, case-insensitive, readWrite, returned by default, not unique. */
export function attribute(
  name: string,
  type: AttributeType,
  description: string,
  characteristics: Characteristics = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    description,
    ...characteristics,
  };
}

export function stringAttribute(
  name: string,
  description: string,
  characteristics?: Characteristics,
): AttributeDefinition {
  return attribute(name, 'string', description, characteristics);
}

export function complexAttribute(
  name: string,
  description: string,
  subAttributes: readonly AttributeDefinition[],
  characteristics: Characteristics = {},
): AttributeDefinition {
  return attribute(name, 'complex', description, { ...characteristics, subAttributes });
}

/**
 * The recurring multi-valued shape of RFC 7643 §2.4 (`value`, `display`, `type`, `primary`) used by emails,
 * phoneNumbers, ims, photos, entitlements, roles and x509Certificates.
 */
export function typedMultiValuedAttribute(
  name: string,
  description: string,
  value: { type: AttributeType; description: string; referenceTypes?: readonly string[] },
  canonicalTypes?: readonly string[],
): AttributeDefinition {
  return complexAttribute(
    name,
    description,
    [
      attribute(
        'value',
        value.type,
        value.description,
        value.referenceTypes ? { referenceTypes: value.referenceTypes } : {},
      ),
      stringAttribute('display', 'A human-readable name, primarily used for display purposes.'),
      stringAttribute(
        'type',
        `A label indicating the function of the ${name} value.`,
        canonicalTypes ? { canonicalValues: canonicalTypes } : {},
      ),
      attribute('primary', 'boolean', 'Whether this is the preferred value; at most one value may be primary.'),
    ],
    { multiValued: true },
  );
}

/** Schemas are shared module constants: freeze them so no caller can edit the source of truth at run time. */
export function defineSchema(schema: SchemaDefinition): SchemaDefinition {
  return deepFreeze(schema);
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
