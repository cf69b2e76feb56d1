import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { GroupMembershipEntity as GroupMembershipRow, UserEntity as UserRow } from '@nest-scim/identity';
import type {
  ScimUserEmailEntity as EmailRow,
  ScimUserLinkEntity as ScimUserLinkRow,
  ScimUserProfileEntity as ProfileRow,
} from '@nest-scim/provisioning';
import type { ServerConfig } from '../../../apps/server/src/config/server-config';
import { built } from '../servers/built-server';
import { createUserBody } from './entra-shapes';

/** Loaded on first use, once the benchmark has checked that the build is there. */
function loadLib() {
  return {
    ...built.identity(),
    ...built.persistence(),
    ...built.provisioning(),
    ...built.userMapping(),
    ...built.scim(),
    ...built.schema(),
  };
}

const CHUNK = 1000;

/**
 * Grows a population fast, beside the running server: bulk INSERTs through the server's own entities (so column
 * names and types come from the schema), of the rows a SCIM create writes — the product user, its default-group
 * membership, the SCIM link, the profile with the stored document, the emails. The document is made by the SCIM
 * library's own coercion of an Entra-shaped body, exactly as the endpoint stores it. The benchmark then reads
 * seeded users back over HTTP before it trusts them.
 */
export class Seeder {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly lib: ReturnType<typeof loadLib>,
  ) {}

  static async open(config: ServerConfig): Promise<Seeder> {
    const modules = loadLib();
    const options = await modules.resolveDataSourceOptions(config.database, modules.SERVER_SCHEMA);
    const dataSource = new DataSource({ ...options, logging: false });
    await dataSource.initialize();
    return new Seeder(dataSource, modules);
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }

  async countScimUsers(): Promise<number> {
    return this.dataSource.manager.count(this.lib.ScimUserLinkEntity);
  }

  /** Adds SCIM users until there are `total`; returns the userNames it made. */
  async topUpUsers(total: number, tag: string): Promise<string[]> {
    const start = await this.countScimUsers();
    const defaultGroup = await this.dataSource.manager.findOneByOrFail(this.lib.GroupEntity, { builtIn: 'default' });
    const names: string[] = [];
    for (let from = start; from < total; from += CHUNK) {
      const to = Math.min(total, from + CHUNK);
      const batch = {
        users: [] as object[],
        members: [] as object[],
        links: [] as object[],
        profiles: [] as object[],
        emails: [] as object[],
      };
      const now = new Date();
      for (let i = from; i < to; i++) {
        const userName = `Seeded.${i}.${tag}@Contoso.example`;
        names.push(userName);
        const body = createUserBody({
          userName,
          externalId: `seeded${i}`,
          displayName: `Seeded User ${i}`,
          givenName: 'Seeded',
          familyName: `User${i}`,
          email: userName.toLowerCase(),
          employeeNumber: String(500000 + i),
          department: 'Seeded',
          active: true,
        });
        const data = this.lib.coerceResource(body, this.lib.USER_RESOURCE_TYPE, { forUpdate: false });
        const fields = this.lib.productUserFields(data);
        const userId = randomUUID();
        const login = this.lib.normalizeLogin(fields.login);
        batch.users.push({
          id: userId,
          login: fields.login,
          loginNormalized: login,
          name: fields.name,
          email: fields.email,
          active: true,
          local: false,
          externalLogin: fields.login,
          externalLoginNormalized: login,
          externalProvider: 'saml',
          managed: true,
          createdAt: now,
          updatedAt: now,
          lastConnectionDate: null,
        } satisfies UserRow);
        batch.members.push({ groupId: defaultGroup.id, userId, createdAt: now } satisfies GroupMembershipRow);
        batch.links.push({ scimId: randomUUID(), userId, createdAt: now } satisfies ScimUserLinkRow);
        batch.profiles.push({
          userId,
          userName: fields.login,
          userNameNormalized: this.lib.foldCase(fields.login),
          active: true,
          ...this.lib.userProfileColumns(data),
          document: JSON.stringify(data),
          version: 1,
          createdAt: now,
          updatedAt: now,
        } satisfies ProfileRow);
        for (const row of this.lib.emailRows(data)) batch.emails.push({ ...row, userId } satisfies EmailRow);
      }
      await this.lib.inTransaction(this.dataSource, async (m) => {
        await insert(m, this.lib.UserEntity, batch.users);
        await insert(m, this.lib.GroupMembershipEntity, batch.members);
        await insert(m, this.lib.ScimUserLinkEntity, batch.links);
        await insert(m, this.lib.ScimUserProfileEntity, batch.profiles);
        await insert(m, this.lib.ScimUserEmailEntity, batch.emails);
      });
    }
    return names;
  }

  /** Puts `count` SCIM users into the group with that SCIM id. */
  async fillGroup(groupScimId: string, count: number): Promise<void> {
    const link = await this.dataSource.manager.findOneByOrFail(this.lib.ScimGroupLinkEntity, { scimId: groupScimId });
    const users = await this.dataSource.manager
      .createQueryBuilder(this.lib.ScimUserLinkEntity, 'su')
      .select('su.userId', 'userId')
      .orderBy('su.userId', 'ASC')
      .limit(count)
      .getRawMany<{ userId: string }>();
    if (users.length < count) throw new Error(`only ${users.length} SCIM users to put in a group of ${count}`);
    const now = new Date();
    for (let k = 0; k < users.length; k += CHUNK) {
      const rows = users.slice(k, k + CHUNK).map((u) => ({ groupId: link.groupId, userId: u.userId, createdAt: now }));
      await this.lib.inTransaction(this.dataSource, (m) => insert(m, this.lib.GroupMembershipEntity, rows));
    }
  }

  /** SCIM ids of users who are not in the group. */
  async nonMembers(groupScimId: string, count: number): Promise<string[]> {
    const link = await this.dataSource.manager.findOneByOrFail(this.lib.ScimGroupLinkEntity, { scimId: groupScimId });
    const rows = await this.dataSource.manager
      .createQueryBuilder(this.lib.ScimUserLinkEntity, 'su')
      .select('su.scimId', 'scimId')
      .where(
        (qb) =>
          'NOT EXISTS ' +
          qb
            .subQuery()
            .select('1')
            .from(this.lib.GroupMembershipEntity, 'gm')
            .where('gm.userId = su.userId AND gm.groupId = :groupId')
            .getQuery(),
      )
      .setParameter('groupId', link.groupId)
      .orderBy('su.userId', 'DESC')
      .limit(count)
      .getRawMany<{ scimId: string }>();
    return rows.map((r) => r.scimId);
  }

  /**
   * Waits until the database has absorbed a bulk load, so that probes measure a population at rest rather than the
   * aftermath of the INSERTs: SQLite checkpoints its write-ahead log into the file; InnoDB flushes the dirty pages of
   * its buffer pool in the background, which takes CPU and I/O from the probes (seen: the median of the first lookups
   * after seeding 90,000 users was 1.5× that of lookups a minute later). Returns the seconds waited.
   */
  async settle(maxSeconds = 60): Promise<number> {
    const t0 = Date.now();
    if (this.dataSource.options.type === 'better-sqlite3') {
      await this.dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');
      return (Date.now() - t0) / 1000;
    }
    const status = async (name: string) =>
      Number(
        ((await this.dataSource.query(`SHOW GLOBAL STATUS LIKE '${name}'`)) as { Value: string }[])[0]?.Value ?? 0,
      );
    const total = await status('Innodb_buffer_pool_pages_total');
    // InnoDB flushes lazily while dirty pages stay under innodb_max_dirty_pages_pct (90 % by default): left alone, a
    // large buffer pool stays dirty for minutes. At 0 its page cleaners flush at full speed; the setting is put back.
    const setting = (await this.dataSource.query(`SELECT @@GLOBAL.innodb_max_dirty_pages_pct AS pct`)) as {
      pct: string | number;
    }[];
    const before = Number(setting[0]?.pct);
    const forced = await this.dataSource
      .query('SET GLOBAL innodb_max_dirty_pages_pct = 0')
      .then(() => true)
      .catch(() => false);
    try {
      while (Date.now() - t0 < maxSeconds * 1000) {
        if ((await status('Innodb_buffer_pool_pages_dirty')) <= total * 0.01) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      if (forced && Number.isFinite(before)) {
        await this.dataSource.query(`SET GLOBAL innodb_max_dirty_pages_pct = ${before}`);
      }
    }
    return (Date.now() - t0) / 1000;
  }

  async memberCount(groupScimId: string): Promise<number> {
    const link = await this.dataSource.manager.findOneByOrFail(this.lib.ScimGroupLinkEntity, { scimId: groupScimId });
    return this.dataSource.manager.countBy(this.lib.GroupMembershipEntity, { groupId: link.groupId });
  }
}

async function insert(m: EntityManager, entity: EntityTarget<ObjectLiteral>, rows: object[]): Promise<void> {
  if (rows.length === 0) return;
  await m.createQueryBuilder().insert().into(entity).values(rows).updateEntity(false).execute();
}
