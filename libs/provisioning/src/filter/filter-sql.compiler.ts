import { escapeLike, LIKE_ESCAPE } from '@nest-scim/persistence';
import {
  AttrPath,
  CompareOperator,
  CompareValue,
  filterError,
  FilterNode,
  formatAttrPath,
  ScimError,
  unsupportedAttributeError,
} from '@nest-scim/scim';
import type { FilterTarget, FilterTargets, MultiValuedTarget, ScalarTarget } from '@nest-scim/scim';

/*
 * SCIM filters compiled to SQL for the feature's side tables. The protocol lib parses a filter to an AST and keeps the
 * allow-list of attributes (`FilterTargets`); turning them into SQL belongs here, beside the tables they read.
 */

export interface CompileFilterOptions {
  /**
   * Names the parameters (`:f0`, `:f1`, …) and the child-table aliases (`f_m0`, …). Give two filters compiled into
   * one query different prefixes. Default `f`.
   */
  paramPrefix?: string;
  /** Turns a dateTime value into the parameter the database expects. Default: the Date itself. */
  formatDate?: (date: Date) => unknown;
}

/** Arguments for TypeORM's `QueryBuilder.where(where, params)`. */
export interface CompiledFilter {
  where: string;
  params: Record<string, unknown>;
}

/**
 * Compiles a filter AST to a parameterised SQL condition. Every value becomes a named parameter; every column, table
 * and join comes from the allow-list `targets`, so nothing the client wrote reaches the SQL text.
 *
 * The SQL is plain enough for SQLite and MySQL/MariaDB alike. Case-insensitive comparisons lower-case both sides (or
 * use the target's normalised column); case-exact ones compare as the column's collation does, so on MySQL give
 * case-exact columns a binary collation.
 *
 * @throws ScimError 400 invalidFilter for an attribute outside the allow-list or a value of the wrong type, 403
 *   sensitive for an attribute marked sensitive.
 */
export function compileFilter(
  filter: FilterNode,
  targets: FilterTargets,
  options: CompileFilterOptions = {},
): CompiledFilter {
  const prefix = options.paramPrefix ?? 'f';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) throw new Error('paramPrefix must be an SQL identifier');
  const compiler = new FilterCompiler(targets, prefix, options.formatDate ?? ((date) => date));
  const where = compiler.compile(filter, { kind: 'root' });
  return { where, params: compiler.params };
}

/** Where paths are resolved: the filtered row, one row of a multi-valued attribute, or a singular complex attribute. */
type Scope =
  | { readonly kind: 'root' }
  | { readonly kind: 'multi'; readonly parent: AttrPath; readonly target: MultiValuedTarget; readonly alias: string }
  | { readonly kind: 'complex'; readonly parent: AttrPath };

/** A scalar target ready to compare: columns with the row alias filled in, and a name for error messages. */
interface Operand {
  readonly target: ScalarTarget;
  readonly column: string;
  readonly normalizedColumn?: string;
  readonly name: string;
}

class FilterCompiler {
  readonly params: Record<string, unknown> = {};
  private paramCount = 0;
  private aliasCount = 0;

  constructor(
    private readonly targets: FilterTargets,
    private readonly prefix: string,
    private readonly formatDate: (date: Date) => unknown,
  ) {}

  compile(node: FilterNode, scope: Scope): string {
    switch (node.kind) {
      case 'and':
      case 'or':
        return `(${this.flatten(node)
          .map((operand) => this.compile(operand, scope))
          .join(` ${node.kind.toUpperCase()} `)})`;
      case 'not':
        // SQL's NOT keeps NULL (an absent attribute) as NULL, which would drop the row; SCIM wants it kept.
        return `((${this.compile(node.filter, scope)}) IS NOT TRUE)`;
      case 'valuePath':
        return this.compileValuePath(node.path, node.filter, scope, undefined);
      case 'present':
      case 'compare': {
        const test: Test = node.kind === 'present' ? { op: 'pr' } : { op: node.op, value: node.value };
        if (node.path.valueFilter !== undefined) {
          return this.compileValuePath(node.path, node.path.valueFilter, scope, test);
        }
        return this.compileTest(node.path, test, scope);
      }
    }
  }

  /** The operands of a chain of one operator, gathered without recursion: `a or b or … ` is a deep left spine. */
  private flatten(node: FilterNode & { kind: 'and' | 'or' }): FilterNode[] {
    const operands: FilterNode[] = [];
    const pending: FilterNode[] = [node];
    while (pending.length > 0) {
      const current = pending.pop() as FilterNode;
      if (current.kind === node.kind) pending.push(current.right, current.left);
      else operands.push(current);
    }
    return operands;
  }

  /** `attr[filter]`, optionally followed by `.sub` and a test that must hold on the same value. */
  private compileValuePath(path: AttrPath, filter: FilterNode, scope: Scope, test: Test | undefined): string {
    if (scope.kind !== 'root') throw filterError('value filters cannot be nested');
    const parent: AttrPath = { schema: path.schema, attribute: path.attribute };
    const target = this.targets.resolve(parent);
    if (target?.kind === 'scalar') {
      throw filterError(`${formatAttrPath(parent)} has no sub-attributes to filter on`);
    }
    if (target === undefined) {
      // Not multi-valued: a singular complex attribute such as `name[givenName eq "x"]`, whose sub-attributes are columns.
      const inner = this.compile(filter, { kind: 'complex', parent });
      if (test === undefined) return inner;
      return `(${inner} AND ${this.compileTest(path, test, scope)})`;
    }
    this.refuseSensitive(target);
    return this.exists(target, (alias) => {
      const rowScope: Scope = { kind: 'multi', parent, target, alias };
      const inner = this.compile(filter, rowScope);
      if (test === undefined) return [inner];
      const sub = path.subAttribute as string;
      return [inner, this.compileTest({ attribute: sub }, test, rowScope)];
    });
  }

  /** A comparison or `pr` on a path that carries no value filter of its own. */
  private compileTest(path: AttrPath, test: Test, scope: Scope): string {
    if (scope.kind !== 'root' && (path.schema !== undefined || path.subAttribute !== undefined)) {
      // The parser never builds this; an AST made by hand might.
      throw filterError('paths inside a value filter must be sub-attribute names');
    }
    switch (scope.kind) {
      case 'multi':
        return this.compare(this.subAttributeOperand(scope, path.attribute), test);
      case 'complex': {
        const full: AttrPath = { ...scope.parent, subAttribute: path.attribute };
        return this.compare(this.scalarOperand(full, this.targets.resolve(full)), test);
      }
      case 'root': {
        const target = this.targets.resolve(path);
        if (target?.kind !== 'multi') return this.compare(this.scalarOperand(path, target), test);
        this.refuseSensitive(target);
        const parent: AttrPath = { schema: path.schema, attribute: path.attribute };
        // RFC 7644 §3.4.2.2: a multi-valued attribute matches when any of its values does; `emails pr` when it has one.
        if (path.subAttribute === undefined && test.op === 'pr') return this.exists(target, () => []);
        const sub = path.subAttribute ?? target.defaultSubAttribute;
        if (sub === undefined) throw filterError(`${formatAttrPath(parent)} needs a sub-attribute to compare`);
        return this.exists(target, (alias) => [
          this.compare(this.subAttributeOperand({ kind: 'multi', parent, target, alias }, sub), test),
        ]);
      }
    }
  }

  private exists(target: MultiValuedTarget, conditions: (alias: string) => string[]): string {
    const alias = `${this.prefix}_m${this.aliasCount++}`;
    const where = [target.correlate(alias), ...conditions(alias).map((c) => `(${c})`)].join(' AND ');
    return `EXISTS (SELECT 1 FROM ${target.table} ${alias} WHERE ${where})`;
  }

  private scalarOperand(path: AttrPath, target: FilterTarget | undefined): Operand {
    if (target === undefined) throw unsupported(path);
    if (target.kind === 'multi') throw filterError(`${formatAttrPath(path)} is multi-valued`);
    this.refuseSensitive(target);
    return { target, column: target.column, normalizedColumn: target.normalizedColumn, name: formatAttrPath(path) };
  }

  private subAttributeOperand(scope: Extract<Scope, { kind: 'multi' }>, name: string): Operand {
    const lower = name.toLowerCase();
    // Own keys only: a sub-attribute called `constructor` must not find Object.prototype's.
    const key = Object.keys(scope.target.subAttributes).find((k) => k.toLowerCase() === lower);
    const path: AttrPath = { ...scope.parent, subAttribute: key ?? name };
    if (key === undefined) throw unsupported(path);
    const target = scope.target.subAttributes[key];
    this.refuseSensitive(target);
    const bind = (column: string) => column.replace(/\$(?=\.)/g, scope.alias);
    return {
      target,
      column: bind(target.column),
      normalizedColumn: target.normalizedColumn === undefined ? undefined : bind(target.normalizedColumn),
      name: formatAttrPath(path),
    };
  }

  private refuseSensitive(target: FilterTarget): void {
    // RFC 7644 §7.5.2: filter values end up in URLs and logs.
    if (target.sensitive) throw new ScimError(403, 'Filtering on a sensitive attribute is not allowed', 'sensitive');
  }

  /** One test on one column. */
  private compare(operand: Operand, test: Test): string {
    const { target, column, name } = operand;
    if (test.op === 'pr') {
      const textual = target.type === 'string' || target.type === 'reference' || target.type === 'binary';
      return textual ? `(${column} IS NOT NULL AND ${column} <> '')` : `${column} IS NOT NULL`;
    }
    const { op, value } = test;
    if (value === null) {
      if (op === 'eq') return `${column} IS NULL`;
      if (op === 'ne') return `${column} IS NOT NULL`;
      throw filterError(`null can only be compared with eq or ne`);
    }
    switch (target.type) {
      case 'string':
      case 'reference':
        return this.compareString(operand, op, expectString(value, name));
      case 'binary':
        if (isOrdering(op)) throw filterError(`${op} is not supported on binary attribute ${name}`);
        return this.compareString(operand, op, expectString(value, name));
      case 'boolean':
        if (op !== 'eq' && op !== 'ne') throw filterError(`${op} is not supported on boolean attribute ${name}`);
        return this.equality(column, op, this.bind(expectBoolean(value, name)));
      case 'integer':
      case 'decimal': {
        if (!isEqualityOrOrdering(op)) throw filterError(`${op} is not supported on number attribute ${name}`);
        return this.ordered(column, op, this.bind(expectNumber(value, target.type, name)));
      }
      case 'dateTime': {
        if (!isEqualityOrOrdering(op)) throw filterError(`${op} is not supported on dateTime attribute ${name}`);
        const { date, beyondMilliseconds } = expectDateTime(value, name);
        const param = this.bind(this.formatDate(date));
        if (!beyondMilliseconds) return this.ordered(column, op, param);
        // Stored times have millisecond precision; `date` is the value cut to its millisecond, and the value lies just
        // after it (.8617979 is after .861). So no stored time equals it, and every stored time after the cut
        // millisecond is also after the value.
        switch (op) {
          case 'eq':
            return '1 = 0';
          case 'ne':
            return '1 = 1';
          case 'gt':
          case 'ge':
            return `${column} > ${param}`;
          default:
            return `${column} <= ${param}`;
        }
      }
    }
  }

  private compareString(operand: Operand, op: CompareOperator, value: string): string {
    const { target, column, normalizedColumn } = operand;
    if (!target.caseExact && normalizedColumn !== undefined && target.normalize !== undefined) {
      // A case-insensitive attribute with a normalised copy is compared there, for every operator: both databases then
      // compare the same folded text exactly, whatever their own LOWER() and collations make of non-ASCII letters.
      return this.compareExact(normalizedColumn, op, target.normalize(value));
    }
    if (target.caseExact) return this.compareExact(column, op, value);
    if (op === 'eq' || op === 'ne') return this.equality(`LOWER(${column})`, op, `LOWER(${this.bind(value)})`);
    if (isOrdering(op)) return this.ordered(`LOWER(${column})`, op, `LOWER(${this.bind(value)})`);
    const escaped = escapeLike(value);
    const pattern = op === 'co' ? `%${escaped}%` : op === 'sw' ? `${escaped}%` : `%${escaped}`;
    return `LOWER(${column}) LIKE LOWER(${this.bind(pattern)}) ESCAPE '${LIKE_ESCAPE}'`;
  }

  /**
   * A case-exact test of one text column against one value, answered alike by SQLite and MySQL. MySQL's binary
   * collations pad with spaces (`'a' = 'a '`, and `'a\n' < 'a'`): equality also compares the lengths (spaces are one
   * byte and one character, so LENGTH, bytes on MySQL and characters on SQLite, tells them apart on both), and order
   * compares the UTF-8 bytes, which is code point order on both.
   */
  private compareExact(column: string, op: CompareOperator, value: string): string {
    if (op === 'eq' || op === 'ne') {
      const param = this.bind(value);
      if (op === 'eq') return `(${column} = ${param} AND LENGTH(${column}) = LENGTH(${param}))`;
      return `(${column} IS NULL OR ${column} <> ${param} OR LENGTH(${column}) <> LENGTH(${param}))`;
    }
    // SQLite's HEX(NULL) is '', MySQL's is NULL: an absent value is ruled out first, as a comparison with NULL would.
    if (isOrdering(op)) {
      return `(${column} IS NOT NULL AND ${this.ordered(`HEX(${column})`, op, `HEX(${this.bind(value)})`)})`;
    }
    // SQLite's LIKE ignores ASCII case whatever the column, so case-exact substring tests avoid it.
    if (op === 'co') return `INSTR(${column}, ${this.bind(value)}) > 0`;
    if (op === 'sw') return `INSTR(${column}, ${this.bind(value)}) = 1`;
    const length = Array.from(value).length;
    if (length === 0) return `${column} IS NOT NULL`;
    return `SUBSTR(${column}, ${this.bind(-length)}) = ${this.bind(value)}`;
  }

  /** eq / ne; an absent value is "not equal" to anything, so ne keeps NULL rows. */
  private equality(column: string, op: 'eq' | 'ne', param: string): string {
    return op === 'eq' ? `${column} = ${param}` : `(${column} IS NULL OR ${column} <> ${param})`;
  }

  private ordered(column: string, op: CompareOperator, param: string): string {
    switch (op) {
      case 'eq':
      case 'ne':
        return this.equality(column, op, param);
      case 'gt':
        return `${column} > ${param}`;
      case 'ge':
        return `${column} >= ${param}`;
      case 'lt':
        return `${column} < ${param}`;
      case 'le':
        return `${column} <= ${param}`;
      default:
        throw new Error(`Not an ordering operator: ${op}`);
    }
  }

  private bind(value: unknown): string {
    const name = `${this.prefix}${this.paramCount++}`;
    this.params[name] = value;
    return `:${name}`;
  }
}

type Test = { readonly op: 'pr' } | { readonly op: CompareOperator; readonly value: CompareValue };

function isOrdering(op: CompareOperator): boolean {
  return op === 'gt' || op === 'ge' || op === 'lt' || op === 'le';
}

function isEqualityOrOrdering(op: CompareOperator): boolean {
  return op === 'eq' || op === 'ne' || isOrdering(op);
}

function unsupported(_path: AttrPath): ScimError {
  // The name is the client's text, not the schema's: error details never echo input.
  return unsupportedAttributeError();
}

function expectString(value: Exclude<CompareValue, null>, name: string): string {
  // `userName eq 123` is refused rather than coerced.
  if (typeof value !== 'string') throw filterError(`${name} must be compared with a string`);
  return value;
}

/** Entra writes booleans as strings ("True", "False"), so those two strings are accepted too. */
function expectBoolean(value: Exclude<CompareValue, null>, name: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw filterError(`${name} must be compared with true or false`);
}

function expectNumber(value: Exclude<CompareValue, null>, type: 'integer' | 'decimal', name: string): number {
  if (typeof value !== 'number' || (type === 'integer' && !Number.isSafeInteger(value))) {
    throw filterError(`${name} must be compared with ${type === 'integer' ? 'an integer' : 'a number'}`);
  }
  return value;
}

/** xsd:dateTime (RFC 7643 §2.3.5); a value without a zone is read as UTC. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/i;

/** A filter's dateTime: the instant cut to its millisecond, and whether the value had a non-zero finer fraction. */
interface FilterDateTime {
  date: Date;
  beyondMilliseconds: boolean;
}

function expectDateTime(value: Exclude<CompareValue, null>, name: string): FilterDateTime {
  const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  const invalid = () => filterError(`${name} must be compared with an ISO 8601 dateTime string`);
  if (match === null) throw invalid();
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(local);
  // Date.UTC rolls 2024-02-30 over to March; a calendar-valid date comes back unchanged.
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    throw invalid();
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const [zh, zm] = zone.slice(1).split(':').map(Number);
    if (zh > 23 || zm > 59) throw invalid();
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (zh * 60 + zm);
  }
  // Seven digits (.8617979, as .NET writes times) are usual: what lies past the millisecond is kept as a flag.
  return { date: new Date(local - offsetMinutes * 60_000), beyondMilliseconds: /[1-9]/.test(fraction.slice(3)) };
}

/** How a list is ordered by one attribute: the column (or expression), and whether rows may have no value there. */
export interface SortKey {
  /** The column itself, for the "unassigned last" test. */
  readonly column: string;
  /** What to ORDER BY: the column, or its UTF-8 bytes as hexadecimal text. */
  readonly orderBy: string;
  readonly alwaysSet: boolean;
}

/**
 * The column a list is sorted on for `sortBy` (RFC 7644 §3.4.2.3: case-insensitive attributes sort case-insensitively,
 * so on their normalised copy), or undefined when the attribute cannot be sorted on.
 */
export function sortKeyOf(targets: FilterTargets, path: AttrPath): SortKey | undefined {
  if (path.valueFilter !== undefined) return undefined;
  const target = targets.resolve(path);
  if (target?.kind !== 'scalar' || !target.sortable || target.sensitive) return undefined;
  const column = !target.caseExact && target.normalizedColumn !== undefined ? target.normalizedColumn : target.column;
  const text = target.type === 'string' || target.type === 'reference';
  const orderBy = text && !target.sortable.byColumn ? `HEX(${column})` : column;
  return { column, orderBy, alwaysSet: target.sortable.alwaysSet };
}
