import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from '@nest-scim/persistence';
import { SERVER_ARGS } from './built-server';
import { ServerProcess } from './processes';
import { PreparedDatabase, prepareDatabase } from './server-setup';

/** A lone server of the diagnostics, its statements logged (LOG_SQL=true) to a file they read. */
export interface SqlLoggedServer {
  dialect: Dialect;
  db: PreparedDatabase;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The statements the server has logged so far, oldest first. */
  statements(): string[];
}

// A statement line, as text or inside a JSON log record.
const STATEMENT = /^query: |"query: /;

/**
 * Starts the built server on a fresh, Entra-ready database of the dialect with every statement logged, runs `work`
 * against it, then stops the server and drops the database, whatever `work` did.
 */
export async function withSqlLoggedServer(
  dialect: Dialect,
  name: string,
  work: (server: SqlLoggedServer) => Promise<void>,
  /** More of the server's environment (a setting the diagnostic compares). */
  env: Record<string, string> = {},
): Promise<void> {
  const db = await prepareDatabase(dialect, { mysqlUrl: 'mysql://root@127.0.0.1:3306', logLevel: 'info' });
  const logFile = join(tmpdir(), `scim-${name}-${dialect}.log`);
  try {
    const server = await ServerProcess.start({
      name: 'server',
      args: SERVER_ARGS,
      env: { ...db.env, ...env, LOG_SQL: 'true' },
      logFile,
      readyPath: '/api/system/health',
    });
    try {
      await work({
        dialect,
        db,
        origin: `http://127.0.0.1:${server.port}`,
        statements: () =>
          readFileSync(logFile, 'utf8')
            .split('\n')
            .filter((line) => STATEMENT.test(line)),
      });
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
  }
}

/** Runs a diagnostic for the dialect named on the command line, else for SQLite then MySQL; exits 1 on an error. */
export function runForDialects(main: (dialect: Dialect) => Promise<void>): void {
  const dialects: Dialect[] = process.argv[2] ? [process.argv[2] as Dialect] : ['sqlite', 'mysql'];
  (async () => {
    for (const dialect of dialects) await main(dialect);
  })().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
