import { ScimError } from '../errors/scim-error';
import {
  resourceTypeDocument,
  resourceTypesListResponse,
  schemaDocument,
  schemasListResponse,
  serviceProviderConfig,
} from './discovery.documents';
import { SCIM_URN } from './scim.urns';

const BASE = 'https://sonar.example.com/api/scim/v2/';

/** Every leaf and node of a JSON document, with its path, for "no null anywhere" checks. */
function walk(value: unknown, path = '$', out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  out.push([path, value]);
  if (Array.isArray(value)) value.forEach((element, index) => walk(element, `${path}[${index}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`, out);
  }
  return out;
}

function expectNoNulls(document: unknown): void {
  const nulls = walk(document)
    .filter(([, value]) => value === null || value === undefined)
    .map(([path]) => path);
  expect(nulls).toEqual([]);
}

function expectError(run: () => unknown, status: number, scimType?: string): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(status);
    expect((error as ScimError).scimType).toBe(scimType);
    return;
  }
  throw new Error('expected a ScimError');
}

describe('GET /Schemas', () => {
  const list = schemasListResponse(BASE);

  it('is a ListResponse of User, EnterpriseUser and Group', () => {
    expect(list.schemas).toEqual([SCIM_URN.LIST_RESPONSE]);
    expect(list.totalResults).toBe(3);
    expect(list.itemsPerPage).toBe(3);
    expect(list.startIndex).toBe(1);
    expect(list.Resources.map((schema) => schema.id)).toEqual([
      SCIM_URN.USER,
      SCIM_URN.ENTERPRISE_USER,
      SCIM_URN.GROUP,
    ]);
  });

  it('carries no null anywhere, and camelCase characteristic values', () => {
    expectNoNulls(list);
    const values = walk(list)
      .filter(([path]) => /\.(mutability|returned|uniqueness|type)$/.test(path))
      .map(([, value]) => value as string);
    for (const value of values) expect(value).toMatch(/^[a-z$][A-Za-z]*$|^(User|Group)$/);
    expect(values).toContain('readWrite');
    expect(values).toContain('readOnly');
    expect(values).toContain('writeOnly');
  });

  it('describes userName exactly as Entra reads it', () => {
    const user = list.Resources[0];
    expect(user).toMatchObject({
      schemas: [SCIM_URN.SCHEMA],
      id: SCIM_URN.USER,
      name: 'User',
      meta: { resourceType: 'Schema', location: `https://sonar.example.com/api/scim/v2/Schemas/${SCIM_URN.USER}` },
    });
    expect(user.attributes[0]).toEqual({
      name: 'userName',
      type: 'string',
      multiValued: false,
      description: expect.any(String),
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    });
  });

  it('renders sub-attributes recursively with all characteristics', () => {
    const emails = list.Resources[0].attributes.find((attribute) => attribute.name === 'emails');
    expect(emails?.multiValued).toBe(true);
    expect(emails?.subAttributes?.map((sub) => sub.name)).toEqual(['value', 'display', 'type', 'primary']);
    expect(emails?.subAttributes?.[2]).toMatchObject({
      canonicalValues: ['work', 'home', 'other'],
      mutability: 'readWrite',
    });
    const manager = list.Resources[1].attributes.find((attribute) => attribute.name === 'manager');
    expect(manager?.subAttributes?.find((sub) => sub.name === '$ref')).toMatchObject({
      type: 'reference',
      referenceTypes: ['User'],
    });
    expect(manager?.subAttributes?.find((sub) => sub.name === 'displayName')?.mutability).toBe('readOnly');
  });

  it('does not list the common attributes id, externalId and meta inside a schema (RFC 7643 §3.1)', () => {
    const names = list.Resources[0].attributes.map((attribute) => attribute.name);
    expect(names).not.toContain('id');
    expect(names).not.toContain('meta');
  });

  it('returns copies: editing a document does not edit the schema', () => {
    list.Resources[0].attributes[0].required = false;
    expect(schemasListResponse(BASE).Resources[0].attributes[0].required).toBe(true);
  });
});

describe('GET /Schemas/{id}', () => {
  it('finds a schema by URN case-insensitively', () => {
    const document = schemaDocument('URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER', BASE);
    expect(document.id).toBe(SCIM_URN.ENTERPRISE_USER);
    expect(document.name).toBe('EnterpriseUser');
  });

  it('answers 404 for an unknown schema', () => {
    expectError(() => schemaDocument('urn:example:nope', BASE), 404);
  });
});

describe('GET /ResourceTypes', () => {
  it('lists User first, then Group, as REF asserts', () => {
    const list = resourceTypesListResponse(BASE);
    expectNoNulls(list);
    expect(list.totalResults).toBe(2);
    expect(list.Resources[0]).toEqual({
      schemas: [SCIM_URN.RESOURCE_TYPE],
      id: 'User',
      name: 'User',
      description: 'User Account',
      endpoint: '/Users',
      schema: SCIM_URN.USER,
      schemaExtensions: [{ schema: SCIM_URN.ENTERPRISE_USER, required: false }],
      meta: { resourceType: 'ResourceType', location: 'https://sonar.example.com/api/scim/v2/ResourceTypes/User' },
    });
    expect(list.Resources[1]).toMatchObject({
      id: 'Group',
      endpoint: '/Groups',
      schema: SCIM_URN.GROUP,
      schemaExtensions: [],
    });
  });

  it('serves one resource type by name, case-insensitively, and 404 otherwise', () => {
    expect(resourceTypeDocument('group', BASE).id).toBe('Group');
    expectError(() => resourceTypeDocument('Device', BASE), 404);
  });
});

describe('GET /ServiceProviderConfig', () => {
  it('is a single resource advertising what the server does', () => {
    const document = serviceProviderConfig({ baseUrl: BASE, maxResults: 200 });
    expectNoNulls(document);
    expect(document).toEqual({
      schemas: [SCIM_URN.SERVICE_PROVIDER_CONFIG],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'A user token of an administrator, sent as Authorization: Bearer',
          primary: true,
        },
      ],
      meta: {
        resourceType: 'ServiceProviderConfig',
        location: 'https://sonar.example.com/api/scim/v2/ServiceProviderConfig',
      },
    });
  });

  it('includes documentationUri only when given', () => {
    const document = serviceProviderConfig({
      baseUrl: BASE,
      maxResults: 1,
      documentationUri: 'https://docs.example.com/scim',
    });
    expect(document.documentationUri).toBe('https://docs.example.com/scim');
  });
});
