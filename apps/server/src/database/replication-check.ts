import type { DataSource } from 'typeorm';
import { dialectOf } from '@nest-scim/persistence';

/**
 * On a MariaDB Galera node, a commit is certified everywhere but applied on the other nodes a moment later: without
 * causal reads (`wsrep_sync_wait` with bit 1), a request sent through another instance right after a write may not
 * see it (a user just created answers 404, a revoked token still works). The server does not change the database's
 * settings; it says what is missing, once, at start.
 */
export async function checkReplication(dataSource: DataSource, warn: (message: string) => void): Promise<void> {
  if (dialectOf(dataSource) !== 'mysql') return;
  const rows = (await dataSource.query(
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_sync_wait')",
  )) as { Variable_name: string; Value: string }[];
  const value = (name: string) => rows.find((r) => r.Variable_name.toLowerCase() === name)?.Value;
  if (value('wsrep_on')?.toUpperCase() !== 'ON') return;
  const syncWait = value('wsrep_sync_wait') ?? '0';
  if ((Number(syncWait) & 1) === 0) {
    warn(
      'This database is a Galera node with wsrep_sync_wait = ' +
        `${syncWait}: reads do not wait for writes committed on other nodes, so an instance can miss what ` +
        'another just wrote. Set wsrep_sync_wait = 1 on every node.',
    );
  }
}
