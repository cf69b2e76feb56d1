import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { closeLogDestinations } from './logging/log-destination';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * SIGTERM or SIGINT: no new connections, the requests in flight answered, the database closed, the buffered log lines
 * written, then the process ends by the same signal (what a service manager expects of a clean stop). A further signal
 * meanwhile changes nothing. A stop that hangs (a stuck request, an unreachable database) still ends the process
 * after `timeoutMs`, with exit code 1. Until `closes(app)` names the application (while it is being built), a signal
 * has only the log to write out.
 */
export function stopOnSignals(timeoutMs: number): { closes(app: INestApplication): void } {
  let application: INestApplication | undefined;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      application?.get(Logger).error(`Not stopped after ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS): exiting`, 'Server');
      void exitAfterLogs(1);
    }, timeoutMs).unref();
    void stop(signal);
  };
  const stop = async (signal: NodeJS.Signals) => {
    if (application) {
      const logger = application.get(Logger);
      logger.log(`${signal} received: answering the requests in flight, then stopping`, 'Server');
      try {
        await application.close();
      } catch (error) {
        logger.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`, 'Server');
        return exitAfterLogs(1);
      }
      logger.log('Stopped', 'Server');
    }
    await closeLogDestinations();
    for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return {
    closes(app) {
      application = app;
    },
  };
}

/**
 * Exits with `code` once the buffered log lines are written; after a second regardless (exiting writes what is left
 * synchronously too).
 */
export async function exitAfterLogs(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.race([closeLogDestinations(), new Promise((done) => setTimeout(done, 1000))]);
  process.exit(code);
}
