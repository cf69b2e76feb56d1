import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The marker that opens the main benchmark's generated part, which ends BENCHMARKS.md. */
const MAIN_RESULTS = '<!-- bench:results:begin';

/**
 * Writes a focused benchmark's section of a report file: `section` runs from its `begin` marker to its `end` marker
 * and replaces what is between them; a file without them gets it before the main benchmark's generated part (or at
 * its end). What is outside the markers (a reading written by hand) is kept.
 */
export function writeMarkedSection(file: string, markers: { begin: string; end: string }, section: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const begin = current.indexOf(markers.begin);
  const end = current.indexOf(markers.end);
  let next: string;
  if (begin >= 0 && end > begin) next = current.slice(0, begin) + section + current.slice(end + markers.end.length);
  else {
    const at = current.indexOf(MAIN_RESULTS);
    next =
      at < 0 ? `${current.trimEnd()}\n\n${section}\n` : `${current.slice(0, at)}${section}\n\n${current.slice(at)}`;
  }
  writeFileSync(file, next);
}
