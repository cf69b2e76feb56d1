import { DefaultNamingStrategy, getMetadataArgsStorage, Index } from 'typeorm';
import type { IndexOptions, NamingStrategyInterface } from 'typeorm';

/** A prefix: lower case (MySQL may fold table names), short enough that every name stays within 64 characters. */
const PREFIX_PATTERN = /^(?:[a-z][a-z0-9_]{0,19})?$/;

interface IndexName {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  target: Function;
  properties: string[];
  name: string;
}

/** The names the libraries give their indexes, kept here so that a table prefix can be applied to them. */
const INDEX_NAMES: IndexName[] = [];

/**
 * `@Index(name, properties, options)`, with the name applied by the libraries' naming strategy (`tableNaming`) rather
 * than fixed in the metadata: TypeORM hands a naming strategy only the indexes without a given name, and a table
 * prefix must reach these too. Without that strategy, TypeORM names the index itself (harmless: queries never name
 * indexes; only a schema comparison would see the difference).
 */
export function NamedIndex(name: string, properties: string[], options: IndexOptions = {}): ClassDecorator {
  return (target) => {
    Index(properties, options)(target);
    INDEX_NAMES.push({ target, properties, name });
  };
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function tableOfTarget(target: Function): string | undefined {
  const table = getMetadataArgsStorage().tables.find((t) => t.target === target);
  return table?.name;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function columnOf(target: Function, property: string): string {
  const column = getMetadataArgsStorage()
    .filterColumns(target)
    .find((c) => c.propertyName === property);
  return column?.options.name ?? property;
}

export function checkTablePrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new RangeError(
      `tablePrefix must be empty or a lower-case letter then up to 19 lower-case letters, digits or _ (got '${prefix}')`,
    );
  }
}

/**
 * A naming strategy for a connection that carries the libraries' entities beside (possibly) the host's own: the tables
 * of `entities` get `prefix`, and so do their indexes, unique, primary-key and foreign-key constraints (the prefix put
 * before the name they have without one). Every other entity is named by `base` (the host's strategy; TypeORM's
 * default when unset), untouched. TypeORM names an entity to a naming strategy by its class name and declared table,
 * so a host entity is only ever taken for one of these if it has both the same class name and the same table name.
 */
export function tableNaming(
  prefix: string,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: readonly Function[],
  base: NamingStrategyInterface = new DefaultNamingStrategy(),
): NamingStrategyInterface {
  checkTablePrefix(prefix);
  const owned = new Map<string, string>();
  for (const entity of entities) {
    const table = tableOfTarget(entity);
    if (table !== undefined) owned.set(table, entity.name);
  }
  const prefixed = new Set([...owned.keys()].map((t) => prefix + t));
  const plain = (table: unknown): string | undefined => {
    const name = typeof table === 'string' ? table : (table as { name?: string } | undefined)?.name;
    return name !== undefined && prefixed.has(name) ? name.slice(prefix.length) : undefined;
  };
  const indexName = (table: string, columns: string[]): string | undefined =>
    INDEX_NAMES.find(
      (entry) =>
        tableOfTarget(entry.target) === table &&
        entry.properties.length === columns.length &&
        entry.properties.every((p, i) => columnOf(entry.target, p) === columns[i]),
    )?.name;
  const overrides: Partial<NamingStrategyInterface> = {
    tableName(targetName: string, userSpecifiedName: string | undefined) {
      if (userSpecifiedName !== undefined && owned.get(userSpecifiedName) === targetName) {
        return prefix + userSpecifiedName;
      }
      return base.tableName(targetName, userSpecifiedName);
    },
    indexName(table, columns, where) {
      const own = plain(table);
      if (own === undefined) return base.indexName(table, columns, where);
      return prefix + (indexName(own, columns) ?? base.indexName(own, columns, where));
    },
    uniqueConstraintName(table, columns) {
      const own = plain(table);
      if (own === undefined) return base.uniqueConstraintName(table, columns);
      return prefix + (indexName(own, columns) ?? base.uniqueConstraintName(own, columns));
    },
    primaryKeyName(table, columns) {
      const own = plain(table);
      return own === undefined ? base.primaryKeyName(table, columns) : prefix + base.primaryKeyName(own, columns);
    },
    foreignKeyName(table, columns, referencedTable, referencedColumns) {
      const own = plain(table);
      if (own === undefined) return base.foreignKeyName(table, columns, referencedTable, referencedColumns);
      return prefix + base.foreignKeyName(own, columns, plain(referencedTable) ?? referencedTable, referencedColumns);
    },
    relationConstraintName(table, columns, where) {
      const own = plain(table);
      if (own === undefined) return base.relationConstraintName(table, columns, where);
      return prefix + base.relationConstraintName(own, columns, where);
    },
  };
  return new Proxy(base, {
    get(target, property, receiver) {
      if (property in overrides) return overrides[property as keyof NamingStrategyInterface];
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
