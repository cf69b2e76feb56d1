import * as entra from './entra-shapes';
import type { UserState } from './entra-shapes';
import { HttpClient, HttpResult, PhaseRecorder, PhaseResult, runPool } from './http-client';
import { Rng } from './rng';
import type { RssSampler } from '../probes/rss-sampler';

export type TargetKind = 'server' | 'peer' | 'floor';

/** A server under the workload: ours on one database, the peer, or the floor. */
export interface Target {
  kind: TargetKind;
  label: string;
  client: HttpClient;
  rss?: RssSampler;
}

export interface WorkloadSizes {
  users: number;
  groups: number;
  memberships: number;
  concurrency: number;
  seed: number;
}

interface UserModel extends UserState {
  index: number;
  id?: string;
  deleted: boolean;
}

interface GroupModel {
  index: number;
  displayName: string;
  externalId: string;
  id?: string;
  /** Indices of member users. */
  members: Set<number>;
}

type UserChange =
  'rename' | 'attributes-default' | 'attributes-flag' | 'deactivate-default' | 'deactivate-flag' | 'delete';

type IncrementalStep =
  | { kind: UserChange; user: number; next: UserState }
  | { kind: 'group-rename'; group: number; displayName: string }
  | { kind: 'remove-members-default' | 'remove-members-flag'; group: number; users: number[] };

/** Unexpected answers, counted, with the first few kept to show. */
export class Problems {
  count = 0;
  readonly samples: string[] = [];

  add(message: string): void {
    this.count++;
    if (this.samples.length < 25) this.samples.push(message);
  }
}

const GIVEN = ['Adele', 'Alex', 'Diego', 'Grady', 'Henrietta', 'Isaiah', 'Johanna', 'Joni', 'Lee', 'Lidia', 'Megan'];
const FAMILY = ['Vance', 'Wilber', 'Siciliani', 'Archie', 'Mueller', 'Langer', 'Lorenz', 'Sherman', 'Gu', 'Holloway'];
const DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Legal', 'Operations', 'Marketing', 'Support'];
const USER_PAGE = 1000;

function snippet(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * The Entra-shaped provisioning workload: the initial cycle (for every user a `userName eq` query then a create;
 * groups queried then created empty; memberships added ten per PATCH, several PATCHes to one group at once), then an
 * incremental cycle. The plan comes from the seed alone, so every target gets the same requests; the model holds the
 * state Entra intends, and `verify` reads everything back and lists each difference.
 */
export class EntraWorkload {
  readonly users: UserModel[] = [];
  readonly groups: GroupModel[] = [];
  readonly phases: PhaseResult[] = [];
  readonly problems = new Problems();
  private readonly membershipBatches: { group: number; users: number[] }[] = [];
  private readonly steps: IncrementalStep[] = [];
  private readonly strict: boolean;
  /** Entra asks for 204 on group PATCH; RFC 7644 also allows 200, which the peer answers. */
  private readonly groupPatchAnswers: readonly number[];

  constructor(
    private readonly sizes: WorkloadSizes,
    private readonly target: Target,
  ) {
    this.strict = target.kind !== 'floor';
    this.groupPatchAnswers = target.kind === 'server' ? [204] : [200, 204];
    this.plan(new Rng(sizes.seed));
  }

  get liveUsers(): number {
    return this.users.filter((u) => !u.deleted).length;
  }

  /** userNames of users that exist at the end, for lookup probes. */
  liveUserNames(): string[] {
    return this.users.filter((u) => !u.deleted && u.id).map((u) => u.userName);
  }

  async run(log: (line: string) => void): Promise<void> {
    await this.warmUp();
    await this.phase('users', this.users.length, log, (i, rec) => this.provisionUser(this.users[i], rec));
    await this.phase('groups', this.groups.length, log, (i, rec) => this.provisionGroup(this.groups[i], rec));
    await this.phase('memberships', this.membershipBatches.length, log, (i, rec) =>
      this.addMembership(this.membershipBatches[i], rec),
    );
    await this.phase('incremental', this.steps.length, log, (i, rec) => this.incremental(this.steps[i], rec));
  }

  /**
   * Entra's "Test Connection": lookups of random GUIDs, answered with an empty list. Run untimed
   * first, so no target is measured while its JIT and connections are cold.
   */
  private async warmUp(): Promise<void> {
    const rng = new Rng(this.sizes.seed + 7);
    const names = Array.from({ length: Math.min(400, Math.max(50, this.sizes.users)) }, () => rng.guid());
    await runPool(names.length, this.sizes.concurrency, async (i) => {
      await this.call(undefined, 'warm-up', 'GET', entra.userNameQuery(names[i]), undefined, [200]);
    });
  }

  private plan(rng: Rng): void {
    const tag = this.sizes.seed.toString(36);
    for (let i = 0; i < this.sizes.users; i++) {
      const givenName = rng.pick(GIVEN);
      const familyName = rng.pick(FAMILY);
      const userName = `${givenName}.${familyName}.${i}.${tag}@Contoso.example`;
      this.users.push({
        index: i,
        deleted: false,
        userName,
        externalId: `${givenName.toLowerCase()}${i}`,
        displayName: `${givenName} ${familyName}`,
        givenName,
        familyName,
        email: userName.toLowerCase(),
        employeeNumber: String(100000 + i),
        department: rng.pick(DEPARTMENTS),
        active: true,
      });
    }
    for (let g = 0; g < this.sizes.groups; g++) {
      this.groups.push({
        index: g,
        displayName: `Team ${g} ${tag}`,
        externalId: rng.guid(),
        members: new Set(),
      });
    }
    // Memberships spread evenly over the groups, members drawn at random; batches of ten, in group order, so the
    // workers run several PATCHes to one group at once as Entra does.
    const perGroup = Math.floor(this.sizes.memberships / Math.max(1, this.sizes.groups));
    const extra = this.sizes.memberships - perGroup * this.sizes.groups;
    const planned: number[][] = [];
    for (const group of this.groups) {
      const size = Math.min(this.sizes.users, perGroup + (group.index < extra ? 1 : 0));
      const chosen = new Set<number>();
      while (chosen.size < size) chosen.add(rng.int(this.sizes.users));
      const members = [...chosen];
      planned.push(members);
      for (let k = 0; k < members.length; k += 10) {
        this.membershipBatches.push({ group: group.index, users: members.slice(k, k + 10) });
      }
    }
    // The incremental cycle: disjoint slices of the users, each with one kind of change.
    const order = rng.shuffle(this.users.map((u) => u.index));
    let cursor = 0;
    const slice = (fraction: number) => {
      const n = Math.max(1, Math.round(this.sizes.users * fraction));
      const part = order.slice(cursor, cursor + n);
      cursor += n;
      return part;
    };
    const changes: [UserChange, number][] = [
      ['rename', 0.03],
      ['attributes-default', 0.04],
      ['attributes-flag', 0.04],
      ['deactivate-default', 0.02],
      ['deactivate-flag', 0.01],
      ['delete', 0.02],
    ];
    for (const [kind, fraction] of changes) {
      for (const index of slice(fraction)) {
        const now = this.users[index];
        const next: UserState = { ...now };
        if (kind === 'rename') next.userName = `Renamed.${index}.${tag}@Contoso.example`;
        if (kind === 'attributes-default' || kind === 'attributes-flag') {
          next.givenName = `${now.givenName}x`;
          next.familyName = `${now.familyName}y`;
          next.displayName = `${next.givenName} ${next.familyName}`;
          next.email = `changed.${index}.${tag}@contoso.example`;
          next.employeeNumber = String(900000 + index);
          if (kind === 'attributes-default') next.externalId = `moved${index}`;
        }
        if (kind === 'deactivate-default' || kind === 'deactivate-flag') next.active = false;
        this.steps.push({ kind, user: index, next });
      }
    }
    for (const group of this.groups) {
      if (rng.next() < 0.05 || group.index === 0) {
        this.steps.push({
          kind: 'group-rename',
          group: group.index,
          displayName: `Team ${group.index} renamed ${tag}`,
        });
      }
      const members = planned[group.index];
      const remove = members.slice(0, Math.max(1, Math.round(members.length * 0.05)));
      const flag = group.index % 2 === 1;
      const batch = flag ? 5 : 10;
      for (let k = 0; k < remove.length; k += batch) {
        this.steps.push({
          kind: flag ? 'remove-members-flag' : 'remove-members-default',
          group: group.index,
          users: remove.slice(k, k + batch),
        });
      }
    }
    rng.shuffle(this.steps);
  }

  private async phase(
    name: string,
    count: number,
    log: (line: string) => void,
    job: (index: number, rec: PhaseRecorder) => Promise<void>,
  ): Promise<void> {
    const rec = new PhaseRecorder(name);
    this.target.rss?.resetWindow();
    await runPool(count, this.sizes.concurrency, (i) => job(i, rec));
    const result = rec.finish();
    if (this.target.rss) result.peakRssMiB = this.target.rss.resetWindow();
    this.phases.push(result);
    log(
      `  ${this.target.label} ${name}: ${result.requests} requests in ${result.seconds.toFixed(1)} s, ` +
        `${result.rps.toFixed(0)} req/s, p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms` +
        (this.problems.count ? ` (${this.problems.count} unexpected answers so far)` : ''),
    );
  }

  private async call(
    rec: PhaseRecorder | undefined,
    kind: string,
    method: string,
    path: string,
    body: unknown,
    expected: readonly number[],
  ): Promise<HttpResult> {
    const result = await this.target.client.request(method, path, body);
    rec?.record(kind, result.ms);
    if (!expected.includes(result.status)) {
      this.problems.add(`${method} ${path.split('?')[0]} → ${result.status} ${snippet(result.body)}`);
    }
    return result;
  }

  private check(ok: boolean, message: () => string): void {
    if (this.strict && !ok) this.problems.add(message());
  }

  private async provisionUser(user: UserModel, rec: PhaseRecorder): Promise<void> {
    const query = await this.call(rec, 'lookup', 'GET', entra.userNameQuery(user.userName), undefined, [200]);
    this.check(query.body?.totalResults === 0, () => `lookup of new ${user.userName} found ${snippet(query.body)}`);
    const created = await this.call(rec, 'create', 'POST', '/Users', entra.createUserBody(user), [201]);
    if (typeof created.body?.id === 'string') user.id = created.body.id;
    this.check(
      created.body?.userName === user.userName,
      () => `create ${user.userName} answered ${snippet(created.body)}`,
    );
  }

  private async provisionGroup(group: GroupModel, rec: PhaseRecorder): Promise<void> {
    const query = await this.call(rec, 'lookup', 'GET', entra.groupNameQuery(group.displayName), undefined, [200]);
    this.check(query.body?.totalResults === 0, () => `lookup of new group found ${snippet(query.body)}`);
    const body = entra.createGroupBody(group.displayName, group.externalId);
    const created = await this.call(rec, 'create', 'POST', '/Groups', body, [201]);
    if (typeof created.body?.id === 'string') group.id = created.body.id;
  }

  private idsOf(users: readonly number[]): string[] {
    return users.map((u) => this.users[u].id).filter((id): id is string => id !== undefined);
  }

  private async addMembership(batch: { group: number; users: number[] }, rec: PhaseRecorder): Promise<void> {
    const group = this.groups[batch.group];
    for (const u of batch.users) group.members.add(u);
    if (!group.id) return;
    const body = entra.patchBody(entra.addMembers(this.idsOf(batch.users)));
    await this.call(rec, 'add-members', 'PATCH', `/Groups/${group.id}`, body, this.groupPatchAnswers);
  }

  private async incremental(step: IncrementalStep, rec: PhaseRecorder): Promise<void> {
    if (step.kind === 'group-rename') {
      const group = this.groups[step.group];
      group.displayName = step.displayName;
      if (!group.id) return;
      const body = entra.patchBody(entra.renameGroup(step.displayName));
      await this.call(rec, 'group-rename', 'PATCH', `/Groups/${group.id}`, body, this.groupPatchAnswers);
      return;
    }
    if (step.kind === 'remove-members-default' || step.kind === 'remove-members-flag') {
      const group = this.groups[step.group];
      for (const u of step.users) group.members.delete(u);
      if (!group.id) return;
      const ids = this.idsOf(step.users);
      const operations =
        step.kind === 'remove-members-flag' ? entra.removeMembersByFilter(ids) : entra.removeMembersByValue(ids);
      await this.call(
        rec,
        step.kind,
        'PATCH',
        `/Groups/${group.id}`,
        entra.patchBody(operations),
        this.groupPatchAnswers,
      );
      return;
    }
    const change = step as Extract<IncrementalStep, { user: number }>;
    const user = this.users[change.user];
    if (!user.id) return;
    // Entra looks the user up by its matching attribute before every change.
    const query = await this.call(rec, 'lookup', 'GET', entra.userNameQuery(user.userName), undefined, [200]);
    this.check(
      query.body?.totalResults === 1 && query.body?.Resources?.[0]?.id === user.id,
      () => `lookup of ${user.userName} answered ${snippet(query.body)}`,
    );
    Object.assign(user, change.next);
    const path = `/Users/${user.id}`;
    switch (change.kind) {
      case 'delete':
        user.deleted = true;
        for (const group of this.groups) group.members.delete(user.index);
        await this.call(rec, 'delete', 'DELETE', path, undefined, [204]);
        return;
      case 'rename':
        await this.call(rec, 'rename', 'PATCH', path, entra.patchBody(entra.renameUser(user.userName)), [200, 204]);
        return;
      case 'attributes-default':
        await this.call(
          rec,
          change.kind,
          'PATCH',
          path,
          entra.patchBody(entra.replaceAttributesDefault(user)),
          [200, 204],
        );
        return;
      case 'attributes-flag':
        await this.call(
          rec,
          change.kind,
          'PATCH',
          path,
          entra.patchBody(entra.replaceAttributesFlag(user)),
          [200, 204],
        );
        return;
      case 'deactivate-default':
      case 'deactivate-flag': {
        const dialect = change.kind === 'deactivate-default' ? 'default' : 'flag';
        await this.call(rec, change.kind, 'PATCH', path, entra.patchBody(entra.deactivate(dialect)), [200, 204]);
        return;
      }
    }
  }

  /**
   * Reads every user and group back (paged lists, every group with its members, every deleted user by id) and
   * compares them with the model. Returns the differences; an empty list means the server holds what Entra intended.
   */
  async verify(): Promise<{ differences: string[]; phase: PhaseResult }> {
    const rec = new PhaseRecorder('verify');
    const differences: string[] = [];
    const differ = (what: string, got: unknown, want: unknown) => {
      if (got !== want) differences.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    };
    const listed = await this.listAll('/Users', rec);
    const byId = new Map(listed.resources.map((u) => [u.id as string, u]));
    const live = this.users.filter((u) => !u.deleted);
    differ('totalResults of /Users', listed.total, live.length);
    if (listed.resources.length < listed.total) {
      differences.push(
        `paging /Users returned ${listed.resources.length} of ${listed.total} users; the rest read by id`,
      );
    }
    // Users the listing did not return are read one by one, so their state is still checked.
    const unlisted = live.filter((u) => u.id !== undefined && !byId.has(u.id));
    await runPool(unlisted.length, this.sizes.concurrency, async (i) => {
      const r = await this.call(rec, 'get-user', 'GET', `/Users/${unlisted[i].id}`, undefined, [200]);
      if (r.status === 200) byId.set(unlisted[i].id!, r.body);
    });
    for (const user of live) {
      const got = user.id === undefined ? undefined : byId.get(user.id);
      if (!got) {
        differences.push(`user ${user.userName} is missing`);
        continue;
      }
      byId.delete(user.id!);
      const at = `user ${user.userName}`;
      differ(`${at} userName`, got.userName, user.userName);
      differ(`${at} active`, got.active, user.active);
      differ(`${at} displayName`, got.displayName, user.displayName);
      differ(`${at} externalId`, got.externalId, user.externalId);
      differ(`${at} name.givenName`, got.name?.givenName, user.givenName);
      differ(`${at} name.familyName`, got.name?.familyName, user.familyName);
      const work = (got.emails ?? []).filter((e: { type?: string }) => e.type === 'work');
      differ(`${at} work emails`, work.length, 1);
      differ(`${at} work email`, work[0]?.value, user.email);
      differ(`${at} employeeNumber`, got[entra.URN.enterprise]?.employeeNumber, user.employeeNumber);
      differ(`${at} department`, got[entra.URN.enterprise]?.department, user.department);
    }
    for (const extra of byId.values()) differences.push(`unexpected user ${extra.userName} (${extra.id})`);
    const deleted = this.users.filter((u) => u.deleted && u.id);
    await runPool(deleted.length, this.sizes.concurrency, async (i) => {
      const r = await this.call(rec, 'get-deleted', 'GET', `/Users/${deleted[i].id}`, undefined, [404]);
      if (r.status !== 404) differences.push(`deleted user ${deleted[i].userName} answers ${r.status}`);
    });

    const groups = await this.listAll('/Groups', rec, 'excludedAttributes=members&');
    const groupsById = new Map(groups.resources.map((g) => [g.id as string, g]));
    differ('totalResults of /Groups', groups.total, this.groups.length);
    if (groups.resources.length < groups.total) {
      differences.push(`paging /Groups returned ${groups.resources.length} of ${groups.total} groups`);
    }
    await runPool(this.groups.length, this.sizes.concurrency, async (i) => {
      const group = this.groups[i];
      if (group.id === undefined) {
        differences.push(`group ${group.displayName} was never created`);
        return;
      }
      const listed = groupsById.get(group.id);
      if (listed) {
        differ(`group ${group.displayName} members listed despite excludedAttributes`, 'members' in listed, false);
      }
      const got = await this.call(rec, 'get-group', 'GET', `/Groups/${group.id}`, undefined, [200]);
      if (got.status !== 200) {
        differences.push(`group ${group.displayName} is missing`);
        return;
      }
      differ(`group ${group.displayName} displayName`, got.body?.displayName, group.displayName);
      differ(`group ${group.displayName} externalId`, got.body?.externalId, group.externalId);
      const values = new Set<string>(((got.body?.members ?? []) as { value: string }[]).map((m) => m.value));
      const want = new Set(this.idsOf([...group.members]));
      let missing = 0;
      let extra = 0;
      for (const id of want) if (!values.has(id)) missing++;
      for (const id of values) if (!want.has(id)) extra++;
      if (missing || extra || values.size !== want.size) {
        differences.push(
          `group ${group.displayName} members: ${values.size} listed, ${want.size} expected (${missing} missing, ${extra} unexpected)`,
        );
      }
    });
    return { differences, phase: rec.finish() };
  }

  /**
   * Every resource of a list endpoint, paged by what each answer holds (a server may return fewer than `count`,
   * RFC 7644 §3.4.2.4). Stops when a page brings nothing new, so a server that ignores `startIndex` is caught.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async listAll(path: string, rec: PhaseRecorder, query = ''): Promise<{ resources: any[]; total: number }> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const byId = new Map<string, any>();
    let total = 0;
    for (let start = 1; ;) {
      const r = await this.call(
        rec,
        'list',
        'GET',
        `${path}?${query}startIndex=${start}&count=${USER_PAGE}`,
        undefined,
        [200],
      );
      total = Number(r.body?.totalResults ?? 0);
      const page = (r.body?.Resources ?? []) as { id: string }[];
      const before = byId.size;
      for (const resource of page) byId.set(resource.id, resource);
      start += page.length;
      if (byId.size === before || byId.size >= total) break;
    }
    return { resources: [...byId.values()], total };
  }
}
