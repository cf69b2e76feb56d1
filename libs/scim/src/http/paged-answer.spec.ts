import { Readable } from 'node:stream';
import { StreamableFile } from '@nestjs/common';
import type { ScimObject } from '../resource/scim-value.types';
import { PAGED_ANSWER_BUFFER, PagedAttributeValue, pagedAnswer } from './paged-answer';

const member = (i: number) => ({ value: `user-${i}`, display: `User ${i} ${'x'.repeat(80)}`, type: 'User' });

/** `count` members in pages of `size`, failing with `failure` when the page at `failAt` is asked for. */
function paged(count: number, size: number, options: { failAt?: number; failure?: Error } = {}) {
  let reads = 0;
  const values = {
    attribute: 'members',
    async *pages() {
      for (let start = 0, page = 0; ; start += size, page++) {
        if (page === options.failAt) throw options.failure ?? new Error('changed');
        reads++;
        const chunk = Array.from({ length: Math.max(0, Math.min(size, count - start)) }, (_, i) => member(start + i));
        yield chunk;
        if (chunk.length < size) return;
      }
    },
  };
  return { value: new PagedAttributeValue(values, (page: ScimObject[]) => page), reads: () => reads };
}

async function text(answer: unknown): Promise<string> {
  if (typeof answer === 'string') return answer;
  const chunks: Buffer[] = [];
  for await (const chunk of (answer as StreamableFile).getStream() as Readable) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

describe('pagedAnswer', () => {
  it('returns an answer without paged values as it is', async () => {
    const answer = { id: 'g', members: [member(1)] };
    expect(await pagedAnswer(answer)).toBe(answer);
  });

  it('writes a short answer whole, as JSON.stringify would, the values in their place', async () => {
    const { value } = paged(25, 10);
    const answer = await pagedAnswer({ schemas: ['s'], id: 'g', members: value, meta: { version: 'W/"1"' } });
    expect(typeof answer).toBe('string');
    const members = Array.from({ length: 25 }, (_, i) => member(i));
    expect(answer).toBe(JSON.stringify({ schemas: ['s'], id: 'g', members, meta: { version: 'W/"1"' } }));
  });

  it('leaves the attribute out when it has no value, as an empty list is', async () => {
    const { value } = paged(0, 10);
    expect(await pagedAnswer({ id: 'g', members: value, meta: {} })).toBe(JSON.stringify({ id: 'g', meta: {} }));
  });

  it('streams a long answer, in a list among others, with the same text', async () => {
    const count = Math.ceil((3 * PAGED_ANSWER_BUFFER) / JSON.stringify(member(1)).length);
    const { value } = paged(count, 500);
    const answer = await pagedAnswer({ Resources: [{ id: 'a' }, { id: 'g', members: value }] });
    expect(answer).toBeInstanceOf(StreamableFile);
    const members = Array.from({ length: count }, (_, i) => member(i));
    expect(await text(answer)).toBe(JSON.stringify({ Resources: [{ id: 'a' }, { id: 'g', members }] }));
  });

  it('reads pages only as the stream is read, not all before it starts', async () => {
    const count = 50 * 500;
    const { value, reads } = paged(count, 500);
    const answer = await pagedAnswer({ id: 'g', members: value });
    expect(answer).toBeInstanceOf(StreamableFile);
    expect(reads()).toBeLessThan(20);
  });

  it('fails the answer when a page fails before anything is sent', async () => {
    const failure = new Error('the database is gone');
    const { value } = paged(5000, 10, { failAt: 2, failure });
    await expect(pagedAnswer({ id: 'g', members: value })).rejects.toBe(failure);
  });

  it('ends a streamed answer in an error, never as complete-looking JSON, when a later page fails', async () => {
    const failure = new Error('changed while read');
    const { value } = paged(20_000, 500, { failAt: 30, failure });
    const answer = await pagedAnswer({ id: 'g', members: value });
    expect(answer).toBeInstanceOf(StreamableFile);
    await expect(text(answer)).rejects.toThrow(failure.message);
  });
});
