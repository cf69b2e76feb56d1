import type { DataSource, EntityManager } from 'typeorm';

/**
 * A value one lib reads from its own tables, in a form another lib's statement can carry as extra columns: each
 * column is a scalar sub-query (one row and one column at most, NULL when it finds no row) with `?` placeholders. The
 * lib that owns the tables writes the sub-queries and reads their values back (`read`); the lib that runs the
 * statement only places them. So a check that needs several libs' rows costs one round trip, and no lib writes SQL
 * over another's tables.
 */
export interface ScalarRead<T> {
  /** Where the tables are: a statement on another data source runs the read on its own (`readScalarsAlone`). */
  readonly source: DataSource | EntityManager;
  readonly columns: readonly ScalarColumn[];
  /** The value, from the columns' raw values in their order. */
  read(values: readonly unknown[]): T;
}

export interface ScalarColumn {
  /** A scalar sub-query, parenthesised by whoever places it. */
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** The values of a list of reads, in the list's order. */
export type ScalarValues<R extends readonly ScalarRead<unknown>[]> = {
  -readonly [K in keyof R]: R[K] extends ScalarRead<infer T> ? T : never;
};

const ALIAS = 'scalar_';

function dataSourceOf(source: DataSource | EntityManager): DataSource {
  return 'connection' in source ? source.connection : source;
}

/** Whether a read can ride on a statement run on `source` (the same database). */
export function sharesSource(read: ScalarRead<unknown>, source: DataSource | EntityManager): boolean {
  return dataSourceOf(read.source) === dataSourceOf(source);
}

/**
 * A statement (text with `?` placeholders) extended with the columns of `reads`: each row it answers carries their
 * values, for `scalarValuesOf`. When the statement finds no row, the reads are not answered either.
 */
export function withScalarReads(
  sql: string,
  parameters: readonly unknown[],
  reads: readonly ScalarRead<unknown>[],
): { sql: string; parameters: unknown[] } {
  const columns = reads.flatMap((read) => read.columns);
  if (columns.length === 0) return { sql, parameters: [...parameters] };
  const selected = columns.map((column, index) => `(${column.sql}) AS ${ALIAS}${index}`).join(', ');
  return {
    sql: `SELECT scalar_base.*, ${selected} FROM (${sql}) scalar_base`,
    parameters: [...columns.flatMap((column) => column.parameters), ...parameters],
  };
}

/** The values of `reads` in a row of a statement `withScalarReads` extended. */
export function scalarValuesOf<R extends readonly ScalarRead<unknown>[]>(
  row: Record<string, unknown>,
  reads: R,
): ScalarValues<R> {
  let index = 0;
  return reads.map((read) => read.read(read.columns.map(() => row[`${ALIAS}${index++}`]))) as ScalarValues<R>;
}

/** Runs reads by themselves, one statement for all of them (they share a data source) or one per data source. */
export async function readScalarsAlone<R extends readonly ScalarRead<unknown>[]>(reads: R): Promise<ScalarValues<R>> {
  const values: unknown[] = new Array(reads.length);
  const groups = new Map<DataSource, number[]>();
  reads.forEach((read, index) => {
    const key = dataSourceOf(read.source);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      const group = indexes.map((index) => reads[index]);
      const columns = group.flatMap((read) => read.columns);
      if (columns.length === 0) {
        indexes.forEach((index) => (values[index] = reads[index].read([])));
        return;
      }
      const selected = columns.map((column, index) => `(${column.sql}) AS ${ALIAS}${index}`).join(', ');
      const rows: Record<string, unknown>[] = await group[0].source.query(
        `SELECT ${selected}`,
        columns.flatMap((column) => column.parameters),
      );
      const read = scalarValuesOf(rows[0] ?? {}, group);
      indexes.forEach((index, position) => (values[index] = read[position]));
    }),
  );
  return values as ScalarValues<R>;
}

/**
 * Runs a statement on `source` with `reads`: those on the same database ride on it (`statement` is given them, in
 * their order, to place with `withScalarReads`, and answers what it read and their values), the others run by
 * themselves beside it (`readScalarsAlone`). Answers the statement's answer and the values of all reads, in the order
 * of `reads`. When the statement fails, so does the whole.
 */
export async function runWithScalarReads<T, R extends readonly ScalarRead<unknown>[]>(
  source: DataSource | EntityManager,
  reads: R,
  statement: (carried: readonly ScalarRead<unknown>[]) => Promise<{ answer: T; values: readonly unknown[] }>,
): Promise<{ answer: T; values: ScalarValues<R> }> {
  const rides = reads.map((read) => sharesSource(read, source));
  const [ran, aloneValues] = await Promise.all([
    statement(reads.filter((_, index) => rides[index])),
    readScalarsAlone(reads.filter((_, index) => !rides[index])),
  ]);
  let carriedIndex = 0;
  let aloneIndex = 0;
  const values = rides.map((ride) => (ride ? ran.values[carriedIndex++] : (aloneValues as unknown[])[aloneIndex++]));
  return { answer: ran.answer, values: values as ScalarValues<R> };
}
