import { AttrPath, FilterNode, isCompareOperator } from './filter.ast';
import { filterError, filterSyntaxError } from './filter.errors';
import { FilterLexer, FilterToken } from './filter.lexer';

export interface FilterLimits {
  /** Longest filter accepted, in characters. Default 4096. */
  maxLength?: number;
  /** Deepest nesting accepted; each `(`, `not` and `[` is one level. Default 32, capped at {@link MAX_FILTER_DEPTH}. */
  maxDepth?: number;
}

export const DEFAULT_FILTER_MAX_LENGTH = 4096;
export const DEFAULT_FILTER_MAX_DEPTH = 32;
/** Whatever the caller asks for, recursion stays far from the engine's stack limit. */
export const MAX_FILTER_DEPTH = 256;

/** ATTRNAME of RFC 7643 §2.1, plus `$ref`, the one name the RFC itself spells outside it. */
const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2, figure 1) into an AST. Precedence is `not` > `and` > `or`; operators and
 * the literals true / false / null are case-insensitive. Both limits are checked as the text is read, so hostile
 * input is refused before it can cost time or stack.
 *
 * @throws ScimError 400 invalidFilter, whose detail gives the problem and its offset but never the input.
 */
export function parseFilter(text: string, limits: FilterLimits = {}): FilterNode {
  // A query string can repeat `filter=`; Express then hands over an array.
  if (typeof text !== 'string') throw filterError('the filter must be a single string');
  const maxLength = limits.maxLength ?? DEFAULT_FILTER_MAX_LENGTH;
  const maxDepth = Math.min(limits.maxDepth ?? DEFAULT_FILTER_MAX_DEPTH, MAX_FILTER_DEPTH);
  if (text.length > maxLength) throw filterError(`the filter is longer than ${maxLength} characters`);
  if (text.trim() === '') throw filterError('the filter is empty');
  return new FilterParser(new FilterLexer(text), maxDepth).parse();
}

class FilterParser {
  private depth = 0;

  constructor(
    private readonly lexer: FilterLexer,
    private readonly maxDepth: number,
  ) {}

  parse(): FilterNode {
    const node = this.parseOr(false);
    this.expect('eof', "expected 'and', 'or' or the end of the filter");
    return node;
  }

  /** `inValueFilter`: inside `attr[...]`, where paths are sub-attribute names and brackets cannot nest. */
  private parseOr(inValueFilter: boolean): FilterNode {
    let left = this.parseAnd(inValueFilter);
    while (this.acceptKeyword('or')) left = { kind: 'or', left, right: this.parseAnd(inValueFilter) };
    return left;
  }

  private parseAnd(inValueFilter: boolean): FilterNode {
    let left = this.parseUnary(inValueFilter);
    while (this.acceptKeyword('and')) left = { kind: 'and', left, right: this.parseUnary(inValueFilter) };
    return left;
  }

  private parseUnary(inValueFilter: boolean): FilterNode {
    const token = this.lexer.peek();
    if (token.kind === '(') {
      this.lexer.next();
      return this.nested(token.pos, () => this.parseGroupRest(inValueFilter));
    }
    if (token.kind === 'word' && token.text.toLowerCase() === 'not') {
      this.lexer.next();
      return this.nested(token.pos, () => {
        // RFC 7644 figure 1: `not` only ever applies to a parenthesised filter.
        const open = this.expect('(', "expected '(' after 'not'");
        return { kind: 'not', filter: this.nested(open.pos, () => this.parseGroupRest(inValueFilter)) };
      });
    }
    if (token.kind === 'word') {
      this.lexer.next();
      return this.parseAttributeExpression(token.text, token.pos, inValueFilter);
    }
    throw filterSyntaxError("expected an attribute name, 'not' or '('", token.pos);
  }

  /** The rest of a group, after its `(`. */
  private parseGroupRest(inValueFilter: boolean): FilterNode {
    const inner = this.parseOr(inValueFilter);
    this.expect(')', "expected 'and', 'or' or ')'");
    return inner;
  }

  /** `attrExp`, `valuePath`, or a value path followed by a sub-attribute and a comparison (Entra's form). */
  private parseAttributeExpression(word: string, pos: number, inValueFilter: boolean): FilterNode {
    const path = this.toAttrPath(word, pos, inValueFilter);
    const open = this.lexer.peek();
    if (open.kind !== '[') return this.parseComparison(path);

    if (inValueFilter) throw filterSyntaxError('value filters cannot be nested', open.pos);
    if (path.subAttribute !== undefined) throw filterSyntaxError("'[' must follow an attribute name", open.pos);
    this.lexer.next();
    const filter = this.nested(open.pos, () => {
      const inner = this.parseOr(true);
      this.expect(']', "expected 'and', 'or' or ']'");
      return inner;
    });
    if (this.lexer.peek().kind !== '.') return { kind: 'valuePath', path, filter };

    this.lexer.next();
    const sub = this.lexer.next();
    if (sub.kind !== 'word' || !ATTRNAME.test(sub.text))
      throw filterSyntaxError('expected a sub-attribute name', sub.pos);
    return this.parseComparison({ ...path, subAttribute: sub.text, valueFilter: filter });
  }

  private parseComparison(path: AttrPath): FilterNode {
    const token = this.lexer.next();
    const op = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!isCompareOperator(op)) throw filterSyntaxError('expected a comparison operator', token.pos);
    return { kind: 'compare', path, op, value: this.lexer.nextValue().value };
  }

  /** Splits `urn:...:User:name.givenName`: the schema URN is everything before the last `:`. */
  private toAttrPath(word: string, pos: number, inValueFilter: boolean): AttrPath {
    const colon = word.lastIndexOf(':');
    const schema = colon < 0 ? undefined : word.slice(0, colon);
    const names = word.slice(colon + 1).split('.');
    const valid =
      names.length <= 2 && names.every((n) => ATTRNAME.test(n)) && (schema === undefined || isSchemaUrn(schema));
    if (!valid) throw filterSyntaxError('invalid attribute path', pos);
    if (inValueFilter && (schema !== undefined || names.length > 1)) {
      throw filterSyntaxError('expected a sub-attribute name inside a value filter', pos);
    }
    const [attribute, subAttribute] = names;
    return {
      ...(schema === undefined ? {} : { schema }),
      attribute,
      ...(subAttribute === undefined ? {} : { subAttribute }),
    };
  }

  /** Runs `parse` one nesting level deeper, refusing the level that would pass the limit before descending. */
  private nested<T>(pos: number, parse: () => T): T {
    if (this.depth >= this.maxDepth) throw filterSyntaxError(`nesting deeper than ${this.maxDepth} levels`, pos);
    this.depth++;
    const result = parse();
    this.depth--;
    return result;
  }

  private acceptKeyword(keyword: 'and' | 'or'): boolean {
    const token = this.lexer.peek();
    if (token.kind !== 'word' || token.text.toLowerCase() !== keyword) return false;
    this.lexer.next();
    return true;
  }

  private expect(kind: FilterToken['kind'], problem: string): FilterToken {
    const token = this.lexer.next();
    if (token.kind !== kind) throw filterSyntaxError(problem, token.pos);
    return token;
  }
}

/** `urn:` followed by colon-separated, non-empty segments (RFC 8141 in spirit; the lexer already bounds the characters). */
function isSchemaUrn(schema: string): boolean {
  return /^urn:[A-Za-z0-9][A-Za-z0-9-]*(?::[A-Za-z0-9$_.-]+)+$/i.test(schema);
}
