import type request from 'supertest';
import type { Response, Test } from 'supertest';

export const SCIM_BASE = '/api/scim/v2';
const SCIM_JSON = 'application/scim+json';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** One SCIM exchange as a client sees it, with what differs between two runs (ids, times, ports) made neutral. */
export interface Exchange {
  step: string;
  status: number;
  contentType: string | undefined;
  headers: Record<string, string | undefined>;
  body: unknown;
}

type Agent = ReturnType<typeof request>;

/**
 * What Entra ID (and a less tidy SCIM client) does against a tenant URL, in order: Test Connection, a user's life,
 * a group and its members, and the errors a client meets. Run against two servers, the transcripts must be equal.
 */
export async function runEntraStory(http: () => Agent, token: string): Promise<Exchange[]> {
  const transcript = new Transcript();
  const withToken = (t: Test) => t.set('Authorization', `Bearer ${token}`);
  const scimJson = (t: Test, body: unknown) => t.set('Content-Type', SCIM_JSON).send(JSON.stringify(body));

  await transcript.record(
    'Test Connection: a filter that matches nobody',
    withToken(http().get(`${SCIM_BASE}/Users?filter=${encodeURIComponent('userName eq "entra-probe-0001"')}`)),
  );
  const created = await transcript.record(
    'create alice',
    scimJson(withToken(http().post(`${SCIM_BASE}/Users`)), {
      schemas: [USER],
      userName: 'alice@contoso.com',
      displayName: 'Alice',
      active: true,
      emails: [{ value: 'alice@contoso.com', type: 'work', primary: true }],
      externalId: 'alice-oid',
    }),
  );
  const alice = created.body.id as string;
  await transcript.record('read alice', withToken(http().get(`${SCIM_BASE}/Users/${alice}`)));
  await transcript.record(
    'disable alice (Entra sends "False" as a string)',
    scimJson(withToken(http().patch(`${SCIM_BASE}/Users/${alice}`)), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    }),
  );
  await transcript.record(
    'find alice by userName, in another case',
    withToken(http().get(`${SCIM_BASE}/Users?filter=${encodeURIComponent('userName eq "ALICE@contoso.com"')}`)),
  );
  await transcript.record(
    'create bob with plain application/json',
    withToken(http().post(`${SCIM_BASE}/Users`))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ schemas: [USER], userName: 'bob@contoso.com', displayName: 'Bob' })),
  );
  await transcript.record(
    'a property no validation pipe would allow is SCIM’s to judge',
    scimJson(withToken(http().post(`${SCIM_BASE}/Users`)), {
      schemas: [USER],
      userName: 'carol@contoso.com',
      nickName: 'carol',
      unexpectedProperty: 'ignored or refused by SCIM, never by the host',
    }),
  );
  await transcript.record(
    'create alice again: uniqueness',
    scimJson(withToken(http().post(`${SCIM_BASE}/Users`)), { schemas: [USER], userName: 'Alice@Contoso.com' }),
  );
  const group = await transcript.record(
    'create a group',
    scimJson(withToken(http().post(`${SCIM_BASE}/Groups`)), { schemas: [GROUP], displayName: 'devs' }),
  );
  const devs = group.body.id as string;
  await transcript.record(
    'add alice to the group',
    scimJson(withToken(http().patch(`${SCIM_BASE}/Groups/${devs}`)), {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: alice }] }],
    }),
  );
  await transcript.record('read the group', withToken(http().get(`${SCIM_BASE}/Groups/${devs}`)));
  await transcript.record(
    'list groups without members',
    withToken(
      http().get(
        `${SCIM_BASE}/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "devs"')}`,
      ),
    ),
  );
  await transcript.record(
    'a 200 kB PATCH in application/scim+json (above a default JSON parser limit, within SCIM’s)',
    scimJson(withToken(http().patch(`${SCIM_BASE}/Users/${alice}`)), {
      schemas: [PATCH_OP],
      Operations: Array.from({ length: 800 }, (_, i) => ({
        op: 'replace',
        path: 'displayName',
        value: `Alice ${i} ${'x'.repeat(220)}`,
      })),
    }),
  );
  await transcript.record(
    'malformed JSON in application/scim+json',
    withToken(http().post(`${SCIM_BASE}/Users`))
      .set('Content-Type', SCIM_JSON)
      .send('{"schemas": ['),
  );
  await transcript.record(
    'malformed JSON in application/json',
    withToken(http().post(`${SCIM_BASE}/Users`))
      .set('Content-Type', 'application/json')
      .send('{"schemas": ['),
  );
  await transcript.record(
    'malformed JSON without a token: the caller is refused first',
    http().post(`${SCIM_BASE}/Users`).set('Content-Type', 'application/json').send('{"schemas": ['),
  );
  await transcript.record('no token', http().get(`${SCIM_BASE}/Users`));
  await transcript.record(
    'a filter SCIM cannot parse',
    withToken(http().get(`${SCIM_BASE}/Users?filter=${encodeURIComponent('userName eq')}`)),
  );
  await transcript.record('delete alice', withToken(http().delete(`${SCIM_BASE}/Users/${alice}`)));
  await transcript.record('alice is gone', withToken(http().get(`${SCIM_BASE}/Users/${alice}`)));
  await transcript.record('an endpoint SCIM does not have', withToken(http().get(`${SCIM_BASE}/Devices`)));
  await transcript.record('ServiceProviderConfig', withToken(http().get(`${SCIM_BASE}/ServiceProviderConfig`)));
  return transcript.exchanges;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;
const ORIGIN = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+/g;
const COMPARED_HEADERS = ['location', 'etag', 'www-authenticate', 'retry-after'];
/** Express's own weak ETag of a response body (`W/"<length>-<hash>"`); SCIM's are `W/"<version>"`. */
const EXPRESS_ETAG = /^W\/"([0-9a-f]+)-[A-Za-z0-9+/=]+"$/;

class Transcript {
  readonly exchanges: Exchange[] = [];
  private readonly ids = new Map<string, string>();

  async record(step: string, request: Test): Promise<Response> {
    const response = await request;
    const headers: Record<string, string | undefined> = {};
    for (const name of COMPARED_HEADERS) {
      const value = response.headers[name] as string | undefined;
      if (value !== undefined) headers[name] = this.neutral(value).replace(EXPRESS_ETAG, 'W/"$1-<body hash>"');
    }
    const text = response.text ?? '';
    this.exchanges.push({
      step,
      status: response.status,
      contentType: response.headers['content-type'] as string | undefined,
      headers,
      body: text === '' ? '' : JSON.parse(this.neutral(text)),
    });
    return response;
  }

  /** Ids become `<id1>`, `<id2>`… in order of first appearance, so the same resource keeps one name. */
  private neutral(text: string): string {
    return text
      .replace(ORIGIN, '<origin>')
      .replace(TIMESTAMP, '<time>')
      .replace(UUID, (id) => {
        const key = id.toLowerCase();
        if (!this.ids.has(key)) this.ids.set(key, `<id${this.ids.size + 1}>`);
        return this.ids.get(key)!;
      });
  }
}
