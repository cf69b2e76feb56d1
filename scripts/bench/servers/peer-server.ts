/**
 * The peer: a SCIM server built the way the most used JavaScript SCIM library shows it, `scimmy` with the express
 * routers of `scimmy-routers`, over an in-memory store. Its numbers are the bar to beat. The store gives it the
 * same advantage a database index gives us (a map by id, and by userName / displayName for `eq` filters); anything
 * else goes through scimmy's own filter matching. Started as a child process; prints `listening <port>` when ready.
 */
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

type Stored = Record<string, unknown> & { id: string };

/** scimmy's error type takes `null` for "no scimType", which its typings do not admit. */
const scimError = (status: number, detail: string, scimType?: string) =>
  new SCIMMY.Types.Error(status, (scimType ?? null) as string, detail);

interface Resource {
  id?: string;
  filter?: unknown[] & { match(values: unknown[]): unknown[] };
}

/** One resource type's store: records by id, and an index of one attribute for `attribute eq "value"` lookups. */
class MemoryStore {
  private readonly byId = new Map<string, Stored>();
  private readonly byKey = new Map<string, string>();
  private sequence = 0;

  constructor(
    private readonly prefix: string,
    private readonly keyAttribute: string,
  ) {}

  private keyOf(record: Record<string, unknown>): string | undefined {
    const value = record[this.keyAttribute];
    return typeof value === 'string' ? value.toLowerCase() : undefined;
  }

  write(resource: Resource, instance: Record<string, unknown>): Stored {
    // scimmy hands over a schema instance; a plain copy is what a store would keep.
    const data = JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
    const key = this.keyOf(data);
    const holder = key === undefined ? undefined : this.byKey.get(key);
    const now = new Date().toISOString();
    if (resource.id) {
      const previous = this.byId.get(resource.id);
      if (!previous) throw scimError(404, `Resource ${resource.id} not found`);
      if (holder !== undefined && holder !== resource.id) throw scimError(409, 'Taken', 'uniqueness');
      const previousKey = this.keyOf(previous);
      if (previousKey !== undefined) this.byKey.delete(previousKey);
      const meta = previous.meta as { created: string };
      const record: Stored = { ...data, id: resource.id, meta: { created: meta.created, lastModified: now } };
      this.byId.set(resource.id, record);
      if (key !== undefined) this.byKey.set(key, resource.id);
      return record;
    }
    if (holder !== undefined) throw scimError(409, 'Taken', 'uniqueness');
    const id = `${this.prefix}${++this.sequence}`;
    const record: Stored = { ...data, id, meta: { created: now, lastModified: now } };
    this.byId.set(id, record);
    if (key !== undefined) this.byKey.set(key, id);
    return record;
  }

  read(resource: Resource): Stored | Stored[] {
    if (resource.id) {
      const record = this.byId.get(resource.id);
      if (!record) throw scimError(404, `Resource ${resource.id} not found`);
      return record;
    }
    const filter = resource.filter;
    if (!filter) return [...this.byId.values()];
    // `[{ userName: ["eq", "x"] }]` is scimmy's parsed form of `userName eq "x"`.
    if (filter.length === 1) {
      const entries = Object.entries(filter[0] as Record<string, unknown>);
      const [attribute, comparison] = entries[0] ?? [];
      if (
        entries.length === 1 &&
        attribute?.toLowerCase() === this.keyAttribute.toLowerCase() &&
        Array.isArray(comparison) &&
        comparison[0] === 'eq' &&
        typeof comparison[1] === 'string'
      ) {
        const id = this.byKey.get(comparison[1].toLowerCase());
        const record = id === undefined ? undefined : this.byId.get(id);
        return record ? [record] : [];
      }
    }
    return filter.match([...this.byId.values()]) as Stored[];
  }

  dispose(resource: Resource): void {
    const record = resource.id ? this.byId.get(resource.id) : undefined;
    if (!record) throw scimError(404, `Resource ${resource.id} not found`);
    const key = this.keyOf(record);
    if (key !== undefined) this.byKey.delete(key);
    this.byId.delete(record.id);
  }
}

const users = new MemoryStore('u', 'userName');
const groups = new MemoryStore('g', 'displayName');

// The handlers return plain records; scimmy's typings want its schema instance types, hence the `never` casts.
SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false))
  .ingress((resource, instance) => users.write(resource as Resource, instance as never) as never)
  .egress((resource) => users.read(resource as Resource) as never)
  .degress((resource) => users.dispose(resource as Resource));
SCIMMY.Resources.declare(SCIMMY.Resources.Group)
  .ingress((resource, instance) => groups.write(resource as Resource, instance as never) as never)
  .egress((resource) => groups.read(resource as Resource) as never)
  .degress((resource) => groups.dispose(resource as Resource));

const token = process.env.PEER_TOKEN ?? 'peer-token';
const app = express();
app.disable('x-powered-by');
app.use(
  '/scim/v2',
  new SCIMMYRouters({
    type: 'bearer',
    handler: (request: express.Request) => {
      if (request.header('Authorization') !== `Bearer ${token}`) throw new Error('Authorization failure');
      return 'entra';
    },
  }),
);
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
server.keepAliveTimeout = 60_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
