import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';

/** Bytes of log lines gathered before one write: a few dozen request lines. */
export const LOG_BUFFER_BYTES = 4096;
/** The longest a buffered line waits for more lines before it is written anyway. */
export const LOG_FLUSH_INTERVAL_MS = 500;

type Destination = ReturnType<typeof pino.destination>;

/**
 * One destination per target (standard output or a file) for the whole process: in-process tests build many
 * applications, and every one of them writes through the same buffer, which `closeLogDestinations` empties.
 */
const destinations = new Map<string, Destination>();

/**
 * Where JSON log lines go. By default lines are gathered in a buffer of `LOG_BUFFER_BYTES` and written together, or
 * after `LOG_FLUSH_INTERVAL_MS` when no more come (one write system call per request was a measurable share of the
 * server's CPU during a bulk sync). Every way the process ends on its own empties the buffer first: a stop signal
 * (main.ts), a failed start, `process.exit` and a crash (pino writes what is left synchronously on `exit`). Only a
 * kill that gives the process no chance to run (SIGKILL, a power cut) loses the lines still in the buffer.
 * `sync`: each line written as it is logged, as `LOG_SYNC=true` asks.
 */
export function logDestination(file: string | undefined, sync: boolean): Destination {
  const key = `${sync ? 'sync' : 'buffered'} ${file ?? 'stdout'}`;
  const existing = destinations.get(key);
  if (existing) return existing;
  const destination = pino.destination({
    // The file is opened here, synchronously, so that one that cannot be written fails the start with its reason
    // instead of an error event later.
    dest: file === undefined ? 1 : openLogFile(file),
    sync,
    ...(sync ? {} : { minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS }),
  });
  destinations.set(key, destination);
  return destination;
}

function openLogFile(file: string): number {
  mkdirSync(dirname(file), { recursive: true });
  return openSync(file, 'a');
}

/**
 * Writes every buffered line and closes the destinations (a file's descriptor; standard output stays open). The last
 * step before the process ends: a line logged afterwards would have nowhere to go.
 */
export async function closeLogDestinations(): Promise<void> {
  const closing = [...destinations.values()];
  destinations.clear();
  await Promise.all(closing.map(endDestination));
}

function endDestination(destination: Destination): Promise<void> {
  return new Promise((resolve) => {
    destination.once('close', () => resolve());
    destination.once('error', () => resolve());
    try {
      destination.end();
    } catch {
      // Already closed.
      resolve();
    }
  });
}

/**
 * For a test that reads a log file while the application still runs, once nothing else is being logged: the lines
 * logged so far, written out. The asynchronous flush waits for a write in progress; what it leaves behind (lines
 * logged meanwhile) is then written synchronously.
 */
export async function flushLogDestinations(): Promise<void> {
  for (const destination of destinations.values()) {
    await new Promise<void>((resolve) => destination.flush(() => resolve()));
    destination.flushSync();
  }
}
