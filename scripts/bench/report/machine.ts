import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { BenchOptions } from '../options';
import type { Machine } from './results';

/** The machine line of a report: CPU, cores, memory, Node, kernel, and the databases of the run with their versions. */
export async function describeMachine(
  options: Pick<BenchOptions, 'dialects' | 'mysqlUrl' | 'mysqlBufferPoolMiB'>,
): Promise<Machine> {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpu = match[1].trim();
  } catch {
    // not Linux: os.cpus() said it
  }
  const databases: string[] = [];
  if (options.dialects.includes('sqlite')) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as new (file: string) => {
      prepare(sql: string): { get(): { v: string } };
      close(): void;
    };
    const db = new Database(':memory:');
    databases.push(`SQLite ${db.prepare('SELECT sqlite_version() AS v').get().v} (better-sqlite3, WAL)`);
    db.close();
  }
  if (options.dialects.includes('mysql')) {
    const { createConnection } = await import('mysql2/promise');
    const connection = await createConnection({ uri: options.mysqlUrl });
    const [rows] = await connection.query('SELECT VERSION() AS v, @@innodb_buffer_pool_size AS pool');
    const { v, pool } = (rows as { v: string; pool: number | string }[])[0];
    const poolMiB = options.mysqlBufferPoolMiB ?? Number(pool) / 2 ** 20;
    databases.push(
      `MySQL protocol: ${v} (mysql2, same machine; InnoDB buffer pool ${poolMiB} MiB` +
        `${options.mysqlBufferPoolMiB ? ' for the run' : ', as configured'})`,
    );
    await connection.end();
  }
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    databases,
  };
}

/** The machine in one line of a report: CPU, cores, memory, Node and kernel (the databases have a line of their own). */
export function machineLine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB memory, Node ${m.node}, Linux ${m.kernel}`;
}
