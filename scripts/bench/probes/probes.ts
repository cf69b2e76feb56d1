import {
  groupNameQuery,
  patchBody,
  addMembers,
  removeMembersByValue,
  userNameQuery,
  createGroupBody,
} from '../workload/entra-shapes';
import { HttpClient } from '../workload/http-client';
import { Rng } from '../workload/rng';
import { median, summarize, LatencySummary } from '../workload/stats';

export interface LookupProbe {
  population: number;
  samples: number;
  latency: LatencySummary;
}

/**
 * Median latency of `userName eq` lookups, one request at a time (no queueing in the figure), on random existing
 * users. Every answer must find exactly that user.
 */
export async function probeLookups(
  client: HttpClient,
  userNames: readonly string[],
  population: number,
  samples: number,
  seed: number,
  strict: boolean,
): Promise<LookupProbe> {
  const rng = new Rng(seed);
  const times: number[] = [];
  for (let i = 0; i < samples + 20; i++) {
    const userName = rng.pick(userNames);
    const r = await client.request('GET', userNameQuery(userName), undefined);
    if (r.status !== 200 || (strict && r.body?.totalResults !== 1)) {
      throw new Error(`lookup of ${userName} at ${population} users answered ${r.status} ${JSON.stringify(r.body)}`);
    }
    if (i >= 20) times.push(r.ms); // the first few warm caches and connections
  }
  return { population, samples, latency: summarize(times) };
}

/**
 * The fixed cost of one SCIM request: `GET /ServiceProviderConfig` goes through the same access checks as every
 * other route and answers a static document, so its latency (one at a time) is the price paid before any work.
 */
export async function probeFixedCost(client: HttpClient, samples: number): Promise<LatencySummary> {
  const times: number[] = [];
  for (let i = 0; i < samples + 20; i++) {
    const r = await client.request('GET', '/ServiceProviderConfig');
    if (r.status !== 200) throw new Error(`GET /ServiceProviderConfig answered ${r.status}`);
    if (i >= 20) times.push(r.ms);
  }
  return summarize(times);
}

export interface GroupProbe {
  bigMembers: number;
  iterations: number;
  add: { big: number; empty: number; ratio: number };
  remove: { big: number; empty: number; ratio: number };
  getExcludingMembers: { big: number; empty: number; ratio: number };
}

/**
 * Adding then removing one member, and reading the group with `excludedAttributes=members`, on a big group against
 * an empty one. The two groups alternate request by request (and which goes first alternates too), so drift of the
 * machine's speed falls on both sides alike. Medians, and big/empty as a ratio.
 */
export async function probeGroupSize(
  client: HttpClient,
  ids: { big: string; empty: string },
  bigMembers: number,
  candidates: readonly string[],
  iterations: number,
): Promise<GroupProbe> {
  const times = {
    add: { big: [] as number[], empty: [] as number[] },
    remove: { big: [] as number[], empty: [] as number[] },
    get: { big: [] as number[], empty: [] as number[] },
  };
  const expect = (what: string, status: number, want: number) => {
    if (status !== want) throw new Error(`${what} answered ${status}, expected ${want}`);
  };
  for (let i = 0; i < iterations + 3; i++) {
    const member = candidates[i % candidates.length];
    const order: ('big' | 'empty')[] = i % 2 === 0 ? ['big', 'empty'] : ['empty', 'big'];
    for (const which of order) {
      const path = `/Groups/${ids[which]}`;
      const add = await client.request('PATCH', path, patchBody(addMembers([member])));
      expect(`adding a member to the ${which} group`, add.status, 204);
      if (i < 3) await expectMembership(client, ids[which], member, 1);
      const remove = await client.request('PATCH', path, patchBody(removeMembersByValue([member])));
      expect(`removing a member from the ${which} group`, remove.status, 204);
      if (i < 3) await expectMembership(client, ids[which], member, 0);
      const get = await client.request('GET', `${path}?excludedAttributes=members`, undefined);
      expect(`reading the ${which} group`, get.status, 200);
      if (get.body?.members !== undefined) throw new Error('excludedAttributes=members still returned members');
      if (i >= 3) {
        times.add[which].push(add.ms);
        times.remove[which].push(remove.ms);
        times.get[which].push(get.ms);
      }
    }
  }
  const pair = (t: { big: number[]; empty: number[] }) => {
    const big = median(t.big);
    const empty = median(t.empty);
    return { big, empty, ratio: big / empty };
  };
  return {
    bigMembers,
    iterations,
    add: pair(times.add),
    remove: pair(times.remove),
    getExcludingMembers: pair(times.get),
  };
}

/** Entra's membership check: `id eq "<group>" and members eq "<user>"`. */
async function expectMembership(client: HttpClient, groupId: string, userId: string, want: number): Promise<void> {
  const filter = encodeURIComponent(`id eq "${groupId}" and members eq "${userId}"`);
  const r = await client.request('GET', `/Groups?filter=${filter}&attributes=id`, undefined);
  if (r.status !== 200 || r.body?.totalResults !== want) {
    throw new Error(`membership check answered ${r.status} ${JSON.stringify(r.body)}, expected ${want} result(s)`);
  }
}

/** Creates a group over SCIM (queried first, as Entra does) and returns its id. */
export async function createGroup(client: HttpClient, displayName: string): Promise<string> {
  await client.request('GET', groupNameQuery(displayName), undefined);
  const r = await client.request('POST', '/Groups', createGroupBody(displayName, `probe-${displayName}`));
  if (r.status !== 201 || typeof r.body?.id !== 'string') {
    throw new Error(`creating group ${displayName} answered ${r.status} ${JSON.stringify(r.body)}`);
  }
  return r.body.id;
}
