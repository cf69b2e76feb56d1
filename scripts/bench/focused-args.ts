import { join, resolve } from 'node:path';
import type { Dialect } from '@nest-scim/persistence';
import { ROOT } from './servers/built-server';

/** What every focused benchmark (`bench:activity`, `bench:scale`, `bench:large-group`) takes on its command line. */
export interface FocusedOptions {
  dialects: Dialect[];
  mysqlUrl: string;
  /** The report file, or none (`--no-report`). */
  report?: string;
}

export function focusedDefaults(): FocusedOptions {
  return {
    dialects: ['sqlite', 'mysql'],
    mysqlUrl: process.env.SCIM_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    report: join(ROOT, 'BENCHMARKS.md'),
  };
}

/** A whole number of at least 1, or an error naming the option. */
export function wholeNumber(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs positive whole numbers, got '${text}'`);
  return n;
}

/**
 * Reads `argv` into `options`: `--dialect`, `--mysql-url`, `--report` and `--no-report` here, every other option
 * through `own`, which answers false for one it does not know (an error then).
 */
export function readFocusedArgs(
  argv: readonly string[],
  options: FocusedOptions,
  own: (arg: string, value: () => string) => boolean,
): void {
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i] ?? '';
    const arg = argv[i];
    if (arg === '--dialect') {
      const dialect = value();
      if (dialect !== 'sqlite' && dialect !== 'mysql') throw new Error('--dialect is sqlite or mysql');
      options.dialects = [dialect];
    } else if (arg === '--mysql-url') options.mysqlUrl = value();
    else if (arg === '--report') options.report = resolve(value());
    else if (arg === '--no-report') options.report = undefined;
    else if (!own(arg, value)) throw new Error(`unknown option ${arg}`);
  }
}
