/** A JSON value as stored in a SCIM resource: never `null` (RFC 7643 §2.5 treats null as unassigned). */
export type ScimPrimitive = string | number | boolean;
export type ScimValue = ScimPrimitive | ScimObject | ScimValue[];
export interface ScimObject {
  [key: string]: ScimValue;
}

/**
 * A resource split the way it is stored: core attributes (including the common `externalId`) under canonical names,
 * and one object per extension schema keyed by its canonical URN.
 */
export interface ScimResourceData {
  core: ScimObject;
  extensions: { [schemaUrn: string]: ScimObject };
}
