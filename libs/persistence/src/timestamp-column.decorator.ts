import { Column, ColumnOptions } from 'typeorm';

/**
 * A point in time with millisecond precision, stored in UTC on both databases (DATETIME(3) on MySQL, ISO-like text on
 * SQLite). Values are set by the application (`new Date()`), never by a database default, so both dialects agree to
 * the millisecond — SCIM ETags and meta.lastModified depend on it.
 */
export function TimestampColumn(options: Pick<ColumnOptions, 'name' | 'nullable'> = {}): PropertyDecorator {
  return Column({ type: 'datetime', precision: 3, nullable: options.nullable ?? false, name: options.name });
}

/**
 * Reads a TimestampColumn from a raw row (a statement run with `query`, not through an entity): MySQL hands back a
 * Date, SQLite the stored text `YYYY-MM-DD HH:MM:SS.SSS` in UTC.
 */
export function readTimestamp(value: unknown): Date;
export function readTimestamp(value: unknown, nullable: 'nullable'): Date | null;
export function readTimestamp(value: unknown, nullable?: 'nullable'): Date | null {
  if (value instanceof Date) return value;
  if ((value === null || value === undefined) && nullable) return null;
  return new Date(`${String(value).replace(' ', 'T')}Z`);
}

/**
 * Reads a boolean from a raw row: SQLite and MySQL hand back 0/1 (a number, or text for a computed column on some
 * drivers), an entity read through TypeORM gives true/false.
 */
export function readBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}
