import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import type { ScimObject } from '../resource/scim-value.types';
import type { PagedValues } from './resource-store.interface';

/**
 * An answer of this many characters or fewer is sent whole, with a Content-Length, as any other answer; a longer one
 * (a group with tens of thousands of members) is streamed as it is read, so memory stays flat whatever its size.
 */
export const PAGED_ANSWER_BUFFER = 256 * 1024;

/** Values written per piece of a streamed answer. */
const VALUES_PER_PIECE = 100;

/**
 * A multi-valued attribute whose values a store reads in pages (a group's members): it stands in the projected
 * resource where the values go, and is written page by page. `project` applies the request's `attributes` /
 * `excludedAttributes` to one page's values.
 */
export class PagedAttributeValue {
  constructor(
    readonly values: PagedValues,
    readonly project: (page: ScimObject[]) => ScimObject[],
  ) {}
}

/** True when the value (an answer, or a list of them) holds values still to be read in pages. */
function holdsPaged(value: unknown): boolean {
  if (value instanceof PagedAttributeValue) return true;
  if (Array.isArray(value)) return value.some(holdsPaged);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsPaged);
  return false;
}

async function* resume<T>(head: T, rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

async function* projectedPages(value: PagedAttributeValue): AsyncGenerator<ScimObject[]> {
  for await (const page of value.values.pages()) yield value.project(page);
}

/**
 * The JSON text of `value` in pieces, as JSON.stringify writes it, each PagedAttributeValue written as one array of
 * its pages' projected values. An attribute whose first page is empty is left out (unassigned, RFC 7643 §2.5), as
 * the stores leave out any empty list.
 */
async function* jsonPieces(value: unknown): AsyncGenerator<string> {
  if (!holdsPaged(value)) {
    yield JSON.stringify(value);
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (const [index, element] of value.entries()) {
      if (index > 0) yield ',';
      yield* jsonPieces(element);
    }
    yield ']';
    return;
  }
  yield '{';
  let separator = '';
  for (const [key, element] of Object.entries(value as Record<string, unknown>)) {
    if (!(element instanceof PagedAttributeValue)) {
      if (element === undefined) continue;
      yield `${separator}${JSON.stringify(key)}:`;
      separator = ',';
      yield* jsonPieces(element);
      continue;
    }
    const pages = projectedPages(element);
    const head = await pages.next();
    if (head.done || head.value.length === 0) continue;
    yield `${separator}${JSON.stringify(key)}:[`;
    separator = ',';
    let first = true;
    for await (const page of resume(head.value, pages)) {
      // Pieces of a few kilobytes: V8 keeps strings over about 128 KB in its large-object space until a full
      // collection, which would let a long answer's pages pile up.
      for (let i = 0; i < page.length; i += VALUES_PER_PIECE) {
        yield (first ? '' : ',') + JSON.stringify(page.slice(i, i + VALUES_PER_PIECE)).slice(1, -1);
        first = false;
      }
    }
    yield ']';
  }
  yield '}';
}

/**
 * What a handler returns for an answer that may hold paged values: the object itself when it holds none (as any other
 * answer); otherwise its JSON text, whole when it is short (the bytes `res.json` would send, with a Content-Length),
 * or streamed when it is longer than PAGED_ANSWER_BUFFER (the Content-Type is the one the SCIM interceptor set). An error before anything is sent (a database that fails on
 * a page) is answered as any other error; one after the answer started cuts the connection, so a client never takes a
 * partial answer for a whole one.
 */
export async function pagedAnswer(value: unknown): Promise<unknown> {
  if (!holdsPaged(value)) return value;
  const pieces = jsonPieces(value);
  const buffered: string[] = [];
  let size = 0;
  for (let next = await pieces.next(); !next.done; next = await pieces.next()) {
    buffered.push(next.value);
    size += next.value.length;
    if (size > PAGED_ANSWER_BUFFER) {
      return new StreamableFile(Readable.from(resume(buffered.join(''), pieces), { objectMode: false }));
    }
  }
  return buffered.join('');
}
