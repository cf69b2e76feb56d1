import type { CompareValue } from './filter.ast';
import { filterSyntaxError } from './filter.errors';

export type PunctuationKind = '(' | ')' | '[' | ']' | '.';

export type FilterToken =
  /** An attribute path, keyword or operator: the parser decides which from where it stands. */
  | { readonly kind: 'word'; readonly text: string; readonly pos: number }
  | { readonly kind: 'string'; readonly pos: number }
  | { readonly kind: 'number'; readonly pos: number }
  | { readonly kind: PunctuationKind; readonly pos: number }
  | { readonly kind: 'eof'; readonly pos: number };

export interface ValueToken {
  readonly value: CompareValue;
  readonly pos: number;
}

/** RFC 8259 §6. */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** An xsd:dateTime written without quotes; the compiler checks it as it checks a quoted one. */
const BARE_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/i;

const PUNCTUATION = new Set<string>(['(', ')', '[', ']', '.']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function isWordStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '$';
}

/** Letters, digits and the characters of ATTRNAME (RFC 7643 §2.1) and of schema URNs (`:` and `.` as in `2.0`). */
function isWordChar(c: string): boolean {
  return isWordStart(c) || (c >= '0' && c <= '9') || c === '_' || c === '-' || c === '.' || c === ':';
}

/** Ends a bare (unquoted) comparison value. */
function endsBareValue(c: string): boolean {
  return isSpace(c) || c === '(' || c === ')' || c === '[' || c === ']' || c === '"';
}

/**
 * Splits filter text into tokens on demand. Comparison values are read with {@link nextValue}, a separate entry
 * point, because an unquoted value (`externalId eq jyoung`, Entra) may contain characters no other token allows.
 */
export class FilterLexer {
  private pos = 0;
  private peeked: FilterToken | undefined;

  constructor(private readonly text: string) {}

  peek(): FilterToken {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): FilterToken {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  /** Reads a `compValue`; must not be called with a token already peeked. */
  nextValue(): ValueToken {
    if (this.peeked !== undefined) throw new Error('FilterLexer.nextValue called after peek');
    this.skipSpace();
    const start = this.pos;
    const c = this.text.charAt(start);
    if (c === '"') return { value: this.readString(), pos: start };
    if (c === '' || c === '(' || c === ')' || c === '[' || c === ']') {
      throw filterSyntaxError('expected a comparison value', start);
    }
    while (this.pos < this.text.length && !endsBareValue(this.text.charAt(this.pos))) this.pos++;
    const word = this.text.slice(start, this.pos);
    // Not RFC 7644 either: Microsoft's reference client writes dates unquoted (`meta.created gt 2015-10-10T14:38:21Z`).
    if (BARE_DATE_TIME.test(word)) return { value: word, pos: start };
    if (c === '-' || (c >= '0' && c <= '9')) return { value: this.toNumber(word, start), pos: start };
    switch (word.toLowerCase()) {
      case 'true':
        return { value: true, pos: start };
      case 'false':
        return { value: false, pos: start };
      case 'null':
        return { value: null, pos: start };
      default:
        // Not RFC 7644: Entra's documentation prints `externalId eq jyoung`, so a bare word is read as a string.
        return { value: word, pos: start };
    }
  }

  private scan(): FilterToken {
    this.skipSpace();
    const pos = this.pos;
    if (pos >= this.text.length) return { kind: 'eof', pos };
    const c = this.text.charAt(pos);
    if (PUNCTUATION.has(c)) {
      this.pos++;
      return { kind: c as PunctuationKind, pos };
    }
    if (isWordStart(c)) {
      while (this.pos < this.text.length && isWordChar(this.text.charAt(this.pos))) this.pos++;
      return { kind: 'word', text: this.text.slice(pos, this.pos), pos };
    }
    if (c === '"') {
      this.readString();
      return { kind: 'string', pos };
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      while (this.pos < this.text.length && !endsBareValue(this.text.charAt(this.pos))) this.pos++;
      this.toNumber(this.text.slice(pos, this.pos), pos);
      return { kind: 'number', pos };
    }
    throw filterSyntaxError('unexpected character', pos);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text.charAt(this.pos))) this.pos++;
  }

  private toNumber(word: string, pos: number): number {
    if (!JSON_NUMBER.test(word)) throw filterSyntaxError('invalid number', pos);
    const value = Number(word);
    if (!Number.isFinite(value)) throw filterSyntaxError('number out of range', pos);
    return value;
  }

  /** A JSON string (RFC 8259 §7), starting at the opening quote; leaves the position after the closing one. */
  private readString(): string {
    const start = this.pos;
    const text = this.text;
    let out = '';
    let runStart = ++this.pos;
    for (;;) {
      if (this.pos >= text.length) throw filterSyntaxError('unterminated string', start);
      const code = text.charCodeAt(this.pos);
      if (code === 0x22) {
        out += text.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (code < 0x20) throw filterSyntaxError('control character in a string', this.pos);
      if (code !== 0x5c) {
        this.pos++;
        continue;
      }
      out += text.slice(runStart, this.pos);
      out += this.readEscape();
      runStart = this.pos;
    }
  }

  /** One escape sequence, starting at the backslash. */
  private readEscape(): string {
    const at = this.pos;
    const c = this.text.charAt(at + 1);
    this.pos += 2;
    switch (c) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        return this.readUnicodeEscape(at);
      default:
        throw filterSyntaxError('invalid escape sequence', at);
    }
  }

  /** `\uXXXX`, pairing surrogates; a lone surrogate is refused rather than sent to the database as broken text. */
  private readUnicodeEscape(at: number): string {
    const high = this.readHex4(at);
    // SQLite reads a NUL as the end of a LIKE pattern (so `co "\u0000"` would match everything) where MySQL matches it
    // literally; no stored value a filter compares holds one, so it is refused rather than answered two ways.
    if (high === 0) throw filterSyntaxError('NUL character in a string', at);
    if (high < 0xd800 || high > 0xdfff) return String.fromCharCode(high);
    if (high <= 0xdbff && this.text.startsWith('\\u', this.pos)) {
      const lowAt = this.pos;
      this.pos += 2;
      const low = this.readHex4(lowAt);
      if (low >= 0xdc00 && low <= 0xdfff) return String.fromCharCode(high, low);
    }
    throw filterSyntaxError('unpaired surrogate in a unicode escape', at);
  }

  private readHex4(at: number): number {
    const hex = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw filterSyntaxError('invalid unicode escape', at);
    this.pos += 4;
    return parseInt(hex, 16);
  }
}
