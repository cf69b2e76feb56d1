import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const SECTION = '### Embedding onto your own users and teams';

/** The section's TypeScript snippets, each with the last source file the text before it names. */
function snippets(): { file: string; lines: string[] }[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(SECTION);
  expect(start).toBeGreaterThanOrEqual(0);
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const found: { file: string; lines: string[] }[] = [];
  let file = '';
  for (const part of section.split(/```ts\n|```\n/).map((text, i) => ({ text, code: i % 2 === 1 }))) {
    if (!part.code) {
      const named = [...part.text.matchAll(/`(apps\/example-host\/src\/[\w/.-]+\.ts)`/g)].map((m) => m[1]);
      if (named.length) file = named[named.length - 1];
      continue;
    }
    const lines = part.text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    found.push({ file, lines });
  }
  return found;
}

describe('README: embedding onto your own users and teams', () => {
  it('shows only code that apps/example-host runs, line for line and in order', () => {
    const all = snippets();
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const { file, lines } of all) {
      expect(file).not.toBe('');
      const source = readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .map((line) => line.trim());
      let at = 0;
      for (const line of lines) {
        const next = source.indexOf(line, at);
        if (next < 0) throw new Error(`README snippet line not found in ${file} (in order): ${line}`);
        at = next + 1;
      }
    }
  });
});
