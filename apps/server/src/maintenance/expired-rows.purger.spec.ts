import { Logger } from '@nestjs/common';
import type { SessionsService, SignInThrottleService } from '@nest-scim/auth';
import type { ScimActivityRecorder } from '@nest-scim/provisioning';
import type { SamlSignInService } from '@nest-scim/saml';
import type { ServerConfig } from '../config/server-config';
import { ExpiredRowsPurger } from './expired-rows.purger';

/*
 * The schedule of the purge: first within one interval of the start, then every interval, never two runs at once,
 * nothing after stop. What a run deletes is tested against real databases in test/hardening/purge.e2e-spec.ts.
 */
describe('ExpiredRowsPurger schedule', () => {
  const INTERVAL_SECONDS = 60;
  let runs: number;
  let finishRun: (() => void) | undefined;
  let purger: ExpiredRowsPurger;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    runs = 0;
    finishRun = undefined;
    // The first kind's purge stays open until the test finishes it, to see a run in progress; the rest are instant.
    const slow = {
      purgeExpired: () => {
        runs++;
        return new Promise<number>((resolve) => (finishRun = () => resolve(1)));
      },
    };
    const instant = { purgeExpired: () => Promise.resolve(0) };
    purger = new ExpiredRowsPurger(
      { purgeIntervalSeconds: INTERVAL_SECONDS } as ServerConfig,
      slow as unknown as SessionsService,
      instant as unknown as SignInThrottleService,
      instant as unknown as SamlSignInService,
      instant as unknown as ScimActivityRecorder,
    );
  });

  afterEach(async () => {
    finishRun?.();
    await purger.stop();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** Lets the finished purge's promise chain settle, which schedules the next run. */
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };

  it('runs first within one interval, then once per interval after each run ends', async () => {
    purger.onApplicationBootstrap();
    jest.advanceTimersByTime(INTERVAL_SECONDS * 1000);
    expect(runs).toBe(1);

    // While a run is open, no second one starts, however long it takes.
    jest.advanceTimersByTime(5 * INTERVAL_SECONDS * 1000);
    expect(runs).toBe(1);

    finishRun!();
    await settle();
    jest.advanceTimersByTime(INTERVAL_SECONDS * 1000 - 1);
    expect(runs).toBe(1);
    jest.advanceTimersByTime(1);
    expect(runs).toBe(2);
  });

  it('runs nothing after stop, and stop waits for the run in progress', async () => {
    purger.onApplicationBootstrap();
    jest.advanceTimersByTime(INTERVAL_SECONDS * 1000);
    expect(runs).toBe(1);

    let stopped = false;
    const stopping = purger.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    finishRun!();
    await stopping;
    expect(stopped).toBe(true);

    jest.advanceTimersByTime(10 * INTERVAL_SECONDS * 1000);
    expect(runs).toBe(1);
  });

  it('still purges on demand once stopped', async () => {
    purger.onApplicationBootstrap();
    await purger.stop();
    jest.advanceTimersByTime(10 * INTERVAL_SECONDS * 1000);
    expect(runs).toBe(0);

    const run = purger.purgeOnce();
    finishRun!();
    await expect(run).resolves.toEqual({ sessions: 1, signInThrottle: 0, saml: 0, scimActivity: 0 });
  });
});
