import { testDialects } from '@nest-scim/persistence/testing';
import { startScimServer, ScimTestServer } from '../support/scim-harness';
import { expectNoNulls, expectScimError, expectScimJson, seedManagedUsers, URN } from '../support/scim-expectations';

const PUBLIC_URL = 'https://scim.contoso.test';
const BASE = `${PUBLIC_URL}/api/scim/v2`;

type Attribute = {
  name: string;
  type: string;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  description: string;
  subAttributes?: Attribute[];
};

function everyAttribute(attributes: Attribute[]): Attribute[] {
  return attributes.flatMap((a) => [a, ...everyAttribute(a.subAttributes ?? [])]);
}

describe.each(testDialects())('Entra discovers the server (%s)', (dialect) => {
  let s: ScimTestServer;
  beforeAll(async () => {
    s = await startScimServer(dialect, { env: { PUBLIC_URL } });
  });
  afterAll(() => s.close());

  describe('case 3: /Schemas', () => {
    it('is a ListResponse of the User, EnterpriseUser and Group schemas, with no nulls', async () => {
      const res = await s.get('/Schemas');
      expect(res.status).toBe(200);
      expectScimJson(res);
      expectNoNulls(res.body);
      expect(res.body).toEqual(
        expect.objectContaining({ schemas: [URN.LIST], totalResults: 3, startIndex: 1, itemsPerPage: 3 }),
      );
      expect(res.body.Resources.map((r: { id: string; name: string }) => [r.id, r.name])).toEqual([
        [URN.USER, 'User'],
        [URN.ENTERPRISE, 'EnterpriseUser'],
        [URN.GROUP, 'Group'],
      ]);
      for (const schema of res.body.Resources) {
        expect(schema.schemas).toEqual([URN.SCHEMA]);
        expect(schema.meta).toEqual({ resourceType: 'Schema', location: `${BASE}/Schemas/${schema.id}` });
      }
    });

    it('describes userName as Entra expects it: required, case-insensitive, readWrite, unique by server', async () => {
      const res = await s.get('/Schemas');
      const user = res.body.Resources.find((r: { id: string }) => r.id === URN.USER);
      const userName = user.attributes.find((a: Attribute) => a.name === 'userName');
      expect(userName).toEqual({
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

    it('gives every attribute all its characteristics, in camelCase', async () => {
      const res = await s.get('/Schemas');
      for (const schema of res.body.Resources) {
        for (const attribute of everyAttribute(schema.attributes)) {
          expect(attribute).toEqual(
            expect.objectContaining({
              name: expect.any(String),
              type: expect.stringMatching(/^(string|boolean|decimal|integer|dateTime|reference|complex|binary)$/),
              multiValued: expect.any(Boolean),
              required: expect.any(Boolean),
              caseExact: expect.any(Boolean),
              mutability: expect.stringMatching(/^(readOnly|readWrite|immutable|writeOnly)$/),
              returned: expect.stringMatching(/^(always|never|default|request)$/),
              uniqueness: expect.stringMatching(/^(none|server|global)$/),
            }),
          );
        }
      }
      const user = res.body.Resources.find((r: { id: string }) => r.id === URN.USER);
      const names = user.attributes.map((a: Attribute) => a.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'userName',
          'name',
          'displayName',
          'active',
          'emails',
          'phoneNumbers',
          'addresses',
          'groups',
        ]),
      );
      expect(user.attributes.find((a: Attribute) => a.name === 'password').returned).toBe('never');
      expect(user.attributes.find((a: Attribute) => a.name === 'groups').mutability).toBe('readOnly');
      const enterprise = res.body.Resources.find((r: { id: string }) => r.id === URN.ENTERPRISE);
      expect(enterprise.attributes.map((a: Attribute) => a.name)).toEqual(
        expect.arrayContaining(['employeeNumber', 'department', 'manager']),
      );
    });

    it('case 6: one schema by its URN (in any case) is a single resource; an unknown URN is 404', async () => {
      const res = await s.get(`/Schemas/${URN.USER}`);
      expect(res.status).toBe(200);
      expectScimJson(res);
      expect(res.body).toEqual(expect.objectContaining({ schemas: [URN.SCHEMA], id: URN.USER, name: 'User' }));
      expect(res.body).not.toHaveProperty('Resources');
      const enterprise = await s.get(`/Schemas/${URN.ENTERPRISE.toUpperCase()}`);
      expect(enterprise.status).toBe(200);
      expect(enterprise.body.id).toBe(URN.ENTERPRISE);
      expectScimError(await s.get('/Schemas/urn:example:nothing'), 404);
    });
  });

  describe('case 4: /ServiceProviderConfig', () => {
    it('is a single resource that says exactly what the server does, with no nulls', async () => {
      const res = await s.get('/ServiceProviderConfig');
      expect(res.status).toBe(200);
      expectScimJson(res);
      expectNoNulls(res.body);
      expect(res.body).toEqual({
        schemas: [URN.SERVICE_PROVIDER_CONFIG],
        patch: { supported: true },
        bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
        filter: { supported: true, maxResults: expect.any(Number) },
        changePassword: { supported: false },
        sort: { supported: true },
        etag: { supported: true },
        authenticationSchemes: [
          {
            type: 'oauthbearertoken',
            name: 'OAuth Bearer Token',
            description: expect.stringMatching(/\S/),
            primary: true,
          },
        ],
        meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
      });
      expect(res.body.filter.maxResults).toBeGreaterThan(0);
    });

    it('cases 45, 72: a count above filter.maxResults is clamped to it, not refused', async () => {
      const spc = await s.get('/ServiceProviderConfig').expect(200);
      const maxResults: number = spc.body.filter.maxResults;
      await seedManagedUsers(s, 'many', maxResults + 5);
      const res = await s.get(`/Users?count=${maxResults * 10}&attributes=id`).expect(200);
      expect(res.body.totalResults).toBe(maxResults + 5);
      expect(res.body.itemsPerPage).toBe(maxResults);
      expect(res.body.Resources).toHaveLength(maxResults);
      // Without a count the default page is no larger.
      const defaultPage = await s.get('/Users?attributes=id').expect(200);
      expect(defaultPage.body.itemsPerPage).toBeLessThanOrEqual(maxResults);
      // The last page holds the rest.
      const last = await s.get(`/Users?startIndex=${maxResults + 1}&count=${maxResults}&attributes=id`).expect(200);
      expect(last.body.itemsPerPage).toBe(5);
    });
  });

  describe('case 5: /ResourceTypes', () => {
    it('is a ListResponse of User (with the optional enterprise extension) then Group', async () => {
      const res = await s.get('/ResourceTypes');
      expect(res.status).toBe(200);
      expectScimJson(res);
      expectNoNulls(res.body);
      expect(res.body).toEqual({
        schemas: [URN.LIST],
        totalResults: 2,
        startIndex: 1,
        itemsPerPage: 2,
        Resources: [
          {
            schemas: [URN.RESOURCE_TYPE],
            id: 'User',
            name: 'User',
            description: expect.any(String),
            endpoint: '/Users',
            schema: URN.USER,
            schemaExtensions: [{ schema: URN.ENTERPRISE, required: false }],
            meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
          },
          {
            schemas: [URN.RESOURCE_TYPE],
            id: 'Group',
            name: 'Group',
            description: expect.any(String),
            endpoint: '/Groups',
            schema: URN.GROUP,
            schemaExtensions: [],
            meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/Group` },
          },
        ],
      });
    });

    it('case 6: one resource type by name is a single resource; an unknown name is 404', async () => {
      const res = await s.get('/ResourceTypes/User');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({ schemas: [URN.RESOURCE_TYPE], id: 'User', endpoint: '/Users' }),
      );
      const group = await s.get('/ResourceTypes/group');
      expect(group.body.id).toBe('Group');
      expectScimError(await s.get('/ResourceTypes/Device'), 404);
    });
  });

  it('discovery is behind the token like everything else', async () => {
    for (const path of ['/ServiceProviderConfig', '/Schemas', '/ResourceTypes', `/Schemas/${URN.USER}`]) {
      const res = await s.http().get(`/api/scim/v2${path}`);
      expectScimError(res, 401);
    }
  });
});
