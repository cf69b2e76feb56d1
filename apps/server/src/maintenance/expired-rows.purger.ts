import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SessionsService, SignInThrottleService } from '@nest-scim/auth';
import { driverErrorCode } from '@nest-scim/persistence';
import { ScimActivityRecorder } from '@nest-scim/provisioning';
import { SamlSignInService } from '@nest-scim/saml';
import type { ServerConfig } from '../config/server-config';
import { SERVER_CONFIG } from '../server-config.token';

/**
 * Deletes what has expired — admin-page sessions, failed-sign-in counters, SAML requests and replay records, SCIM
 * activity records past SCIM_ACTIVITY_RETENTION_DAYS — every
 * PURGE_INTERVAL_SECONDS, first at a random moment within the first interval so that instances started together do
 * not purge together. Each purge deletes in small batches, each batch rechecking expiry, so several instances may
 * run at once: no lock, nothing deleted twice, nothing alive deleted. A failed run (the database away) is logged
 * and the next one tries again.
 */
@Injectable()
export class ExpiredRowsPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Purge');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly sessions: SessionsService,
    private readonly throttle: SignInThrottleService,
    private readonly saml: SamlSignInService,
    private readonly activity: ScimActivityRecorder,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.purgeIntervalSeconds * 1000;
    const schedule = (delayMs: number) => {
      this.timer = setTimeout(() => {
        this.running = this.purgeOnce().finally(() => {
          this.running = undefined;
          if (this.timer) schedule(intervalMs);
        });
      }, delayMs);
      this.timer.unref();
    };
    schedule(Math.floor(Math.random() * intervalMs));
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Ends the schedule, after the run in progress if there is one; purgeOnce still works. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One run; returns how many rows each kind lost. Errors are logged (by code), not thrown. */
  async purgeOnce(
    now = new Date(),
  ): Promise<{ sessions: number; signInThrottle: number; saml: number; scimActivity: number } | undefined> {
    try {
      const counts = {
        sessions: await this.sessions.purgeExpired(now),
        signInThrottle: await this.throttle.purgeExpired(now),
        saml: await this.saml.purgeExpired(now),
        scimActivity: await this.activity.purgeExpired(now),
      };
      const total = counts.sessions + counts.signInThrottle + counts.saml + counts.scimActivity;
      if (total > 0) this.logger.log(`Deleted expired rows: ${JSON.stringify(counts)}`);
      return counts;
    } catch (error) {
      const code = driverErrorCode(error);
      this.logger.warn(`Purging expired rows failed (${String(code ?? (error as Error)?.name)}); next run retries`);
      return undefined;
    }
  }
}
