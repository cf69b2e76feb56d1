import type { AttrPath } from './filter.ast';

/** RFC 7643 §2.3 data types that a single column can hold. */
export type ScalarType = 'string' | 'boolean' | 'integer' | 'decimal' | 'dateTime' | 'reference' | 'binary';

/** A filterable attribute held in one column (or SQL expression) of the row being filtered. */
export interface ScalarTarget {
  readonly kind: 'scalar';
  /** A SQL expression from the caller, e.g. `u.user_name`; in a multi-valued target, `$` stands for the row alias. */
  readonly column: string;
  readonly type: ScalarType;
  /** RFC 7643 §2.2 `caseExact`: when false, string comparisons ignore case. */
  readonly caseExact: boolean;
  /**
   * When set (with `normalize`), eq / ne compare this column with `normalize(value)`: for case-insensitive unique
   * columns that keep a normalised copy under a unique index, so the lookup can use that index.
   */
  readonly normalizedColumn?: string;
  readonly normalize?: (value: string) => string;
  /** Filtering on it is refused with 403 `sensitive` (RFC 7644 §7.5.2), e.g. `password`. */
  readonly sensitive?: boolean;
  /**
   * Lists may be sorted by it (RFC 7644 §3.4.2.3), on `normalizedColumn` when the attribute is case-insensitive, else
   * on `column`. `alwaysSet`: the column is never NULL, so no "unassigned last" term is needed. Text is ordered by its
   * UTF-8 bytes (code point order on both databases, where MySQL's padding collations would put `a\n` before `a`),
   * unless `byColumn`: its values never end in a space nor hold a control character, so the column's own order is the
   * same everywhere and an index on it serves the sort.
   */
  readonly sortable?: { readonly alwaysSet: boolean; readonly byColumn?: boolean };
}

/** A multi-valued attribute stored as rows of a child table, e.g. `emails`. */
export interface MultiValuedTarget {
  readonly kind: 'multi';
  /** The child table, e.g. `user_emails`. */
  readonly table: string;
  /** The join condition from a child row, aliased `alias`, to the filtered row, e.g. `a => \`${a}.user_id = u.id\``. */
  readonly correlate: (alias: string) => string;
  /** Sub-attributes by name (matched case-insensitively); columns are written with `$` as the alias, e.g. `$.value`. */
  readonly subAttributes: Readonly<Record<string, ScalarTarget>>;
  /** The sub-attribute compared when the filter names only the attribute (`emails co "x"`), usually `value`. */
  readonly defaultSubAttribute?: string;
  readonly sensitive?: boolean;
}

export type FilterTarget = ScalarTarget | MultiValuedTarget;

/** The allow-list of filterable attributes: anything it does not resolve is refused. */
export interface FilterTargets {
  /** The target of a path (its value filter ignored), or undefined when the attribute cannot be filtered on. */
  resolve(path: AttrPath): FilterTarget | undefined;
}

/**
 * Builds {@link FilterTargets} from a plain map. Keys name attributes of the default schema by their short path
 * (`userName`, `name.givenName`, `emails`) and extension attributes by their full path
 * (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`); keys are matched case-insensitively.
 *
 * Resolution accepts the short path of a core attribute, the URN-qualified path of any attribute, and the short path
 * of an extension attribute when the core schema lacks it and exactly one extension defines it (Entra writes
 * `manager` for the enterprise `manager`). A path with a sub-attribute falls back to its parent when the parent is
 * multi-valued (`emails.type` → `emails`).
 *
 * @throws Error on a key with an unknown schema, a duplicate key, or an inconsistent target: a programming error.
 */
export function createFilterTargets(
  defaultSchemaUrn: string,
  extensionUrns: readonly string[],
  map: Readonly<Record<string, FilterTarget>>,
): FilterTargets {
  const defaultSchema = defaultSchemaUrn.toLowerCase();
  const extensions = extensionUrns.map((urn) => urn.toLowerCase());
  const schemas = [defaultSchema, ...extensions];
  const entries = new Map<string, FilterTarget>();

  for (const [key, target] of Object.entries(map)) {
    checkTarget(key, target);
    const lower = key.toLowerCase();
    // Longest first: an extension URN may extend another, e.g. `…:User` and `…:User:v2`.
    const schema = [...schemas].sort((a, b) => b.length - a.length).find((s) => lower.startsWith(`${s}:`));
    if (schema === undefined && lower.includes(':')) throw new Error(`Filter target "${key}": unknown schema`);
    const qualified = schema === undefined ? `${defaultSchema}:${lower}` : lower;
    if (entries.has(qualified)) throw new Error(`Filter target "${key}" is defined twice`);
    entries.set(qualified, target);
  }

  const lookup = (schema: string, path: AttrPath): FilterTarget | undefined => {
    const attribute = path.attribute.toLowerCase();
    if (path.subAttribute === undefined) return entries.get(`${schema}:${attribute}`);
    const exact = entries.get(`${schema}:${attribute}.${path.subAttribute.toLowerCase()}`);
    if (exact !== undefined) return exact;
    const parent = entries.get(`${schema}:${attribute}`);
    return parent?.kind === 'multi' ? parent : undefined;
  };

  return {
    resolve(path: AttrPath): FilterTarget | undefined {
      if (path.schema !== undefined) {
        const schema = path.schema.toLowerCase();
        return schemas.includes(schema) ? lookup(schema, path) : undefined;
      }
      const core = lookup(defaultSchema, path);
      if (core !== undefined) return core;
      const found = extensions.map((schema) => lookup(schema, path)).filter((t) => t !== undefined);
      return found.length === 1 ? found[0] : undefined;
    },
  };
}

function checkTarget(key: string, target: FilterTarget): void {
  const scalars = target.kind === 'multi' ? Object.values(target.subAttributes) : [target];
  for (const scalar of scalars) {
    if ((scalar.normalizedColumn === undefined) !== (scalar.normalize === undefined)) {
      throw new Error(`Filter target "${key}": normalizedColumn and normalize go together`);
    }
  }
  if (target.kind !== 'multi') return;
  const names = Object.keys(target.subAttributes).map((n) => n.toLowerCase());
  if (new Set(names).size !== names.length) throw new Error(`Filter target "${key}": duplicate sub-attribute`);
  const fallback = target.defaultSubAttribute?.toLowerCase();
  if (fallback !== undefined && !names.includes(fallback)) {
    throw new Error(`Filter target "${key}": unknown default sub-attribute`);
  }
}
