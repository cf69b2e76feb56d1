import { testDialects } from '@nest-scim/persistence/testing';
import { startTestServer, TestServer } from '../support/server-harness';

const ENDPOINTS: [method: 'get' | 'post', path: string][] = [
  ['post', '/api/authentication/login'],
  ['post', '/api/authentication/logout'],
  ['get', '/api/authentication/validate'],
  ['get', '/api/users/search'],
  ['get', '/api/users/groups'],
  ['post', '/api/users/change_password'],
  ['post', '/api/users/update_identity_provider'],
  ['post', '/api/users/anonymize'],
  ['get', '/api/user_groups/users'],
  ['post', '/api/users/create'],
  ['post', '/api/users/update'],
  ['post', '/api/users/deactivate'],
  ['get', '/api/user_groups/search'],
  ['post', '/api/user_groups/create'],
  ['post', '/api/user_groups/update'],
  ['post', '/api/user_groups/delete'],
  ['post', '/api/user_groups/add_user'],
  ['post', '/api/user_groups/remove_user'],
  ['get', '/api/permissions/users'],
  ['get', '/api/permissions/groups'],
  ['post', '/api/permissions/add_user'],
  ['post', '/api/permissions/remove_user'],
  ['post', '/api/permissions/add_group'],
  ['post', '/api/permissions/remove_group'],
  ['post', '/api/user_tokens/generate'],
  ['get', '/api/user_tokens/search'],
  ['post', '/api/user_tokens/revoke'],
  ['get', '/api/settings/values'],
  ['post', '/api/settings/set'],
  ['post', '/api/settings/reset'],
  ['post', '/api/editions/set_license'],
  ['get', '/api/editions/license'],
  ['get', '/api/scim_management/status'],
  ['post', '/api/scim_management/enable'],
  ['post', '/api/scim_management/disable'],
  ['get', '/api/scim_management/audit'],
  ['get', '/api/scim_management/checks'],
  ['get', '/api/scim_management/activity'],
  ['get', '/api/scim_management/failures'],
  ['get', '/api/scim_management/connection'],
];

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, unknown>;
}

describe.each(testDialects())('Web API: the OpenAPI document (%s)', (dialect) => {
  let s: TestServer;
  let document: {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string }> };
  };
  beforeAll(async () => {
    s = await startTestServer(dialect);
    document = (await s.http().get('/api/docs-json').expect(200).expect('Content-Type', /json/)).body;
  });
  afterAll(() => s.close());

  it('lists every endpoint of the admin Web API, and nothing else', () => {
    expect(document.openapi).toMatch(/^3\./);
    const listed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(listed.sort()).toEqual(ENDPOINTS.map(([method, path]) => `${method} ${path}`).sort());
  });

  it('says how to authenticate, and that everything but sign-in needs it', () => {
    expect(document.components.securitySchemes).toEqual({
      userToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      userTokenAsBasic: expect.objectContaining({ type: 'http', scheme: 'basic' }),
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'sq-session' }),
    });
    for (const [method, path] of ENDPOINTS) {
      const operation = document.paths[path][method];
      if (path.startsWith('/api/authentication/')) expect(operation.security ?? []).toEqual([]);
      else {
        expect(operation.security).toEqual(
          expect.arrayContaining([{ userToken: [] }, { userTokenAsBasic: [] }, { session: [] }]),
        );
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
  });

  it('describes the parameters: query parameters for reads, a form or JSON object for writes', () => {
    const search = document.paths['/api/users/search'].get;
    expect(search.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['query:q', 'query:p', 'query:ps', 'query:managed', 'query:deactivated']),
    );
    const create = document.paths['/api/users/create'].post;
    expect(Object.keys(create.requestBody!.content).sort()).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
    ]);
    expect(create.requestBody!.content['application/json'].schema.$ref).toMatch(/CreateUserParams$/);
  });

  it("describes the account endpoints' parameters and answers as the product names them", () => {
    const queryOf = (path: string) => document.paths[path].get.parameters!.map((p) => `${p.in}:${p.name}`).sort();
    expect(queryOf('/api/user_groups/users')).toEqual([
      'query:name',
      'query:p',
      'query:ps',
      'query:q',
      'query:selected',
    ]);
    expect(queryOf('/api/users/groups')).toEqual(['query:login', 'query:p', 'query:ps', 'query:q', 'query:selected']);
    const bodyOf = (path: string) => document.paths[path].post.requestBody!.content['application/json'].schema.$ref;
    expect(bodyOf('/api/users/change_password')).toMatch(/ChangePasswordParams$/);
    expect(bodyOf('/api/users/update_identity_provider')).toMatch(/UpdateIdentityProviderParams$/);
    expect(bodyOf('/api/users/anonymize')).toMatch(/AnonymizeUserParams$/);
    const schemas = (document as unknown as { components: { schemas: Record<string, { properties: object }> } })
      .components.schemas;
    expect(Object.keys(schemas.ChangePasswordParams.properties).sort()).toEqual([
      'login',
      'password',
      'previousPassword',
    ]);
    expect(Object.keys(schemas.UpdateIdentityProviderParams.properties).sort()).toEqual([
      'login',
      'newExternalIdentity',
      'newExternalProvider',
    ]);
    expect(Object.keys(schemas.UserSearchJson.properties)).toEqual(
      expect.arrayContaining(['groups', 'tokensCount', 'lastConnectionDate', 'managed']),
    );
    expect(Object.keys(schemas.GroupUserJson.properties)).toEqual(
      expect.arrayContaining(['login', 'name', 'selected', 'managed']),
    );
  });

  it('serves a browsable UI', async () => {
    const page = await s.http().get('/api/docs/').expect(200);
    expect(page.text).toContain('swagger-ui');
  });
});
