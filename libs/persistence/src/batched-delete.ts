import { In } from 'typeorm';
import type { DataSource, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { inTransaction } from './transaction';

/** Rows a clean-up deletes per statement: small enough that no statement holds locks or the SQLite writer for long. */
export const DEFAULT_DELETE_BATCH_SIZE = 500;

/**
 * Deletes the rows matching `where` (one condition, or several meaning OR) a bounded batch at a time, each batch its
 * own short transaction: read up to `batchSize` primary keys, then delete those keys *that still match*. Safe to run
 * on several instances at once without a lock: a row another instance deleted first is simply not counted, and a row
 * that changed in between (a session extended, a counter reset) no longer matches and stays. Returns how many rows
 * this call deleted.
 */
export async function deleteInBatches<E extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<E>,
  key: keyof E & string,
  where: FindOptionsWhere<E> | FindOptionsWhere<E>[],
  batchSize = DEFAULT_DELETE_BATCH_SIZE,
): Promise<number> {
  const conditions = Array.isArray(where) ? where : [where];
  let deleted = 0;
  for (;;) {
    const batch = await inTransaction(dataSource, async (m) => {
      const rows = await m.find(entity, {
        select: { [key]: true } as never,
        where: conditions,
        take: batchSize,
      });
      if (rows.length === 0) return { found: 0, deleted: 0 };
      const keys = rows.map((row) => row[key] as unknown);
      const result = await m.delete(
        entity,
        conditions.map((condition) => ({ ...condition, [key]: In(keys) })),
      );
      return { found: rows.length, deleted: result.affected ?? 0 };
    });
    deleted += batch.deleted;
    // A short batch was the last; a full batch that deleted nothing means another instance is at the same rows.
    if (batch.found < batchSize || batch.deleted === 0) return deleted;
  }
}
