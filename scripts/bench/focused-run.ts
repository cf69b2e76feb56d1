import { existsSync } from 'node:fs';
import type { Dialect } from '@nest-scim/persistence';
import type { FocusedOptions } from './focused-args';
import { describeMachine } from './report/machine';
import { writeMarkedSection } from './report/marked-section';
import type { Machine } from './report/results';
import { withBufferPool } from './servers/buffer-pool';
import { SERVER_MAIN } from './servers/built-server';

/** What a focused benchmark renders its section from. */
export interface FocusedRun<R> {
  started: Date;
  machine: Machine;
  /** One result per dialect, in the order of the options. */
  results: R[];
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * The frame every focused benchmark (`bench:activity`, `bench:scale`, `bench:large-group`) runs in: checks that the
 * server is built, describes the machine, runs the dialects one after the other (MySQL with InnoDB's buffer pool
 * resized when the options ask for it), then prints the section `render` makes of the results with the time taken, and
 * writes it between its markers in the report file, if any. Answers the process's exit code.
 */
export async function runFocusedBenchmark<R>(
  options: FocusedOptions & { mysqlBufferPoolMiB?: number },
  markers: { begin: string; end: string },
  runDialect: (dialect: Dialect) => Promise<R>,
  render: (run: FocusedRun<R>) => string | Promise<string>,
): Promise<number> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`no build at ${SERVER_MAIN}: run npm run build first`);
  const started = new Date();
  const machine = await describeMachine(options);
  const results: R[] = [];
  for (const dialect of options.dialects) {
    const run = () => runDialect(dialect);
    results.push(dialect === 'mysql' ? await withBufferPool(options, log, run) : await run());
  }
  const section = await render({ started, machine, results });
  log(section);
  log(`took ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`);
  if (options.report) writeMarkedSection(options.report, markers, section);
  return 0;
}
