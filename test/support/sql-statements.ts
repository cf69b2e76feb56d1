import type { DataSource, EntitySubscriberInterface } from 'typeorm';
import { ACTIVITY_SQL_COMMENT } from '@nest-scim/provisioning';

export interface RecordedStatement {
  sql: string;
  /** The values of its placeholders, in order. */
  parameters: readonly unknown[];
  /** Rows a SELECT returned; undefined for other statements. */
  rows?: number;
}

/**
 * Records every SQL statement the data source runs while `work` runs, with the number of rows each read returned.
 * Counts statements rather than time, so it measures cost without being flaky. Nothing else may use the data source
 * meanwhile, bar the activity recorder's background flush, whose statements (marked with its comment) are left out:
 * it writes what earlier requests did, after their answers.
 */
export async function recordStatements<T>(
  dataSource: DataSource,
  work: () => Promise<T>,
): Promise<{ result: T; statements: RecordedStatement[] }> {
  const statements: RecordedStatement[] = [];
  const recorder: EntitySubscriberInterface = {
    afterQuery(event) {
      if (event.query.startsWith(`/* ${ACTIVITY_SQL_COMMENT} */`)) return;
      const raw = event.rawResults as unknown;
      statements.push({
        sql: event.query,
        parameters: Array.isArray(event.parameters) ? event.parameters : [],
        rows: Array.isArray(raw) ? raw.length : undefined,
      });
    },
  };
  const subscribers = dataSource.subscribers as EntitySubscriberInterface[];
  subscribers.push(recorder);
  try {
    const result = await work();
    return { result, statements };
  } finally {
    subscribers.splice(subscribers.indexOf(recorder), 1);
  }
}

/**
 * The row limit of a statement: its `LIMIT n`, or the value of its `LIMIT ?` placeholder (the placeholders before it
 * counted); undefined when it has none.
 */
export function limitOf(statement: RecordedStatement): number | undefined {
  const match = /\bLIMIT\s+(\d+|\?)/i.exec(statement.sql);
  if (!match) return undefined;
  if (match[1] !== '?') return Number(match[1]);
  const before = statement.sql.slice(0, match.index).split('?').length - 1;
  return Number(statement.parameters[before]);
}
