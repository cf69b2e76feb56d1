import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { parseTrustedPublicKeys } from '@nest-scim/license';
import { MAX_FILTER_DEPTH } from '@nest-scim/scim';
import type { ScimLimits } from '@nest-scim/scim';
import { AllowedHost, parseHostHeader } from '../http/host-header';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : value === true || value === 'true' || value === '1'
      ? true
      : value === false || value === 'false' || value === '0'
        ? false
        : value;
const toStr = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Process configuration, read from the environment once at start. What an admin changes at run time (SAML, the
 * provisioning mode, the license) lives in the database instead, so every instance sees the same.
 */
export class EnvironmentVariables {
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'PORT must be an integer between 1 and 65535' })
  @Min(1, { message: 'PORT must be an integer between 1 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 1 and 65535' })
  PORT?: number;

  @Transform(toStr)
  @IsOptional()
  @IsString()
  HOST?: string;

  @Transform(toStr)
  @IsOptional()
  @Matches(/^mysql:\/\/[^\s/]+\/[A-Za-z0-9_$-]+(\?.*)?$/, {
    message:
      'DATABASE_URL must be a MySQL/MariaDB URL such as mysql://user:password@host:3306/database (unset for the embedded SQLite file)',
  })
  DATABASE_URL?: string;

  @Transform(toStr)
  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @Transform(toStr)
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL?: string;

  @Transform(toStr)
  @IsOptional()
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' })
  LOG_FORMAT?: string;

  @Transform(toStr)
  @IsOptional()
  @IsIn(['production', 'development', 'test'], { message: 'NODE_ENV must be production, development or test' })
  NODE_ENV?: string;

  @Transform(toStr)
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+[^/\s]$/, {
    message: 'PUBLIC_URL must be the http(s) address users and Entra ID reach this server at, without a trailing slash',
  })
  PUBLIC_URL?: string;

  /** Without PUBLIC_URL: the Host header values the server answers to (comma-separated `host` or `host:port`). */
  @Transform(toStr)
  @IsOptional()
  @IsString()
  ALLOWED_HOSTS?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds (1000 or more)' })
  @Min(1000, { message: 'SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds (1000 or more)' })
  SHUTDOWN_TIMEOUT_MS?: number;

  /** A database statement running longer than this fails (503 to the client) and its connection is dropped. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('DATABASE_QUERY_TIMEOUT_MS', 1000, 600000) })
  @Min(1000, { message: range('DATABASE_QUERY_TIMEOUT_MS', 1000, 600000) })
  @Max(600000, { message: range('DATABASE_QUERY_TIMEOUT_MS', 1000, 600000) })
  DATABASE_QUERY_TIMEOUT_MS?: number;

  /** Waiting longer than this for a database connection (or SQLite's file lock) fails with 503. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('DATABASE_ACQUIRE_TIMEOUT_MS', 500, 120000) })
  @Min(500, { message: range('DATABASE_ACQUIRE_TIMEOUT_MS', 500, 120000) })
  @Max(120000, { message: range('DATABASE_ACQUIRE_TIMEOUT_MS', 500, 120000) })
  DATABASE_ACQUIRE_TIMEOUT_MS?: number;

  /** How often expired sessions, sign-in counters and SAML records are deleted. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('PURGE_INTERVAL_SECONDS', 60, 86400) })
  @Min(60, { message: range('PURGE_INTERVAL_SECONDS', 60, 86400) })
  @Max(86400, { message: range('PURGE_INTERVAL_SECONDS', 60, 86400) })
  PURGE_INTERVAL_SECONDS?: number;

  @Transform(toBool)
  @IsOptional()
  @IsBoolean({ message: 'LOG_SQL must be true or false' })
  LOG_SQL?: boolean;

  @Transform(toStr)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters long' })
  ADMIN_PASSWORD?: string;

  /** Ed25519 public keys (PEM, several separated by blank lines) whose signatures make a license key valid. */
  @Transform(toStr)
  @IsOptional()
  @IsString()
  LICENSE_PUBLIC_KEYS?: string;

  /** Write log lines to this file instead of standard output. */
  @Transform(toStr)
  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  /** `true`: each log line is written as it is logged, instead of gathered in a small buffer. */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean({ message: 'LOG_SYNC must be true or false' })
  LOG_SYNC?: boolean;

  // SCIM limits. Each lower bound stays above what Entra ID sends, so a setting cannot refuse legitimate traffic.
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('SCIM_MAX_BODY_BYTES', 65536, 104857600) })
  @Min(65536, { message: range('SCIM_MAX_BODY_BYTES', 65536, 104857600) })
  @Max(104857600, { message: range('SCIM_MAX_BODY_BYTES', 65536, 104857600) })
  SCIM_MAX_BODY_BYTES?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('SCIM_MAX_FILTER_LENGTH', 1024, 65536) })
  @Min(1024, { message: range('SCIM_MAX_FILTER_LENGTH', 1024, 65536) })
  @Max(65536, { message: range('SCIM_MAX_FILTER_LENGTH', 1024, 65536) })
  SCIM_MAX_FILTER_LENGTH?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('SCIM_MAX_FILTER_DEPTH', 4, MAX_FILTER_DEPTH) })
  @Min(4, { message: range('SCIM_MAX_FILTER_DEPTH', 4, MAX_FILTER_DEPTH) })
  @Max(MAX_FILTER_DEPTH, { message: range('SCIM_MAX_FILTER_DEPTH', 4, MAX_FILTER_DEPTH) })
  SCIM_MAX_FILTER_DEPTH?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('SCIM_MAX_PATCH_OPERATIONS', 50, 100000) })
  @Min(50, { message: range('SCIM_MAX_PATCH_OPERATIONS', 50, 100000) })
  @Max(100000, { message: range('SCIM_MAX_PATCH_OPERATIONS', 50, 100000) })
  SCIM_MAX_PATCH_OPERATIONS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('SCIM_MAX_MEMBERS_PER_OPERATION', 100, 1000000) })
  @Min(100, { message: range('SCIM_MAX_MEMBERS_PER_OPERATION', 100, 1000000) })
  @Max(1000000, { message: range('SCIM_MAX_MEMBERS_PER_OPERATION', 100, 1000000) })
  SCIM_MAX_MEMBERS_PER_OPERATION?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('SCIM_MAX_RESULTS', 10, 10000) })
  @Min(10, { message: range('SCIM_MAX_RESULTS', 10, 10000) })
  @Max(10000, { message: range('SCIM_MAX_RESULTS', 10, 10000) })
  SCIM_MAX_RESULTS?: number;

  /** `true`: a SCIM write naming an attribute the schema does not declare is refused (400) instead of ignored. */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean({ message: 'SCIM_REFUSE_UNDECLARED_ATTRIBUTES must be true or false' })
  SCIM_REFUSE_UNDECLARED_ATTRIBUTES?: boolean;

  /** Failed authentications (admin sign-in, SCIM token) from one address within the window before it is throttled. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('AUTH_MAX_FAILURES_PER_ADDRESS', 3, 100000) })
  @Min(3, { message: range('AUTH_MAX_FAILURES_PER_ADDRESS', 3, 100000) })
  @Max(100000, { message: range('AUTH_MAX_FAILURES_PER_ADDRESS', 3, 100000) })
  AUTH_MAX_FAILURES_PER_ADDRESS?: number;

  /** Failed password sign-ins for one login from one address within the window before that pair is throttled. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN_AND_ADDRESS', 3, 1000) })
  @Min(3, { message: range('AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN_AND_ADDRESS', 3, 1000) })
  @Max(1000, { message: range('AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN_AND_ADDRESS', 3, 1000) })
  AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN_AND_ADDRESS?: number;

  /** Failed password sign-ins for one login, from any address, before addresses that failed are refused for it. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN', 3, 100000) })
  @Min(3, { message: range('AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN', 3, 100000) })
  @Max(100000, { message: range('AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN', 3, 100000) })
  AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('AUTH_THROTTLE_WINDOW_SECONDS', 1, 86400) })
  @Min(1, { message: range('AUTH_THROTTLE_WINDOW_SECONDS', 1, 86400) })
  @Max(86400, { message: range('AUTH_THROTTLE_WINDOW_SECONDS', 1, 86400) })
  AUTH_THROTTLE_WINDOW_SECONDS?: number;

  /** Milliseconds a SCIM refusal of a blocked address is held before it is sent (a tarpit); 0 answers at once. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('AUTH_BLOCKED_REFUSAL_DELAY_MS', 0, 30000) })
  @Min(0, { message: range('AUTH_BLOCKED_REFUSAL_DELAY_MS', 0, 30000) })
  @Max(30000, { message: range('AUTH_BLOCKED_REFUSAL_DELAY_MS', 0, 30000) })
  AUTH_BLOCKED_REFUSAL_DELAY_MS?: number;

  /** Refusals of blocked addresses held at once; beyond, they are answered at once. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('AUTH_BLOCKED_REFUSAL_MAX_HELD', 1, 100000) })
  @Min(1, { message: range('AUTH_BLOCKED_REFUSAL_MAX_HELD', 1, 100000) })
  @Max(100000, { message: range('AUTH_BLOCKED_REFUSAL_MAX_HELD', 1, 100000) })
  AUTH_BLOCKED_REFUSAL_MAX_HELD?: number;

  /** `off`: SCIM requests leave no activity record (the metrics, kept in memory, still count them). */
  @Transform(toStr)
  @IsOptional()
  @IsIn(['on', 'off'], { message: 'SCIM_ACTIVITY_RECORDING must be on or off' })
  SCIM_ACTIVITY_RECORDING?: string;

  /** Days SCIM activity records are kept before the purge deletes them. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('SCIM_ACTIVITY_RETENTION_DAYS', 1, 3650) })
  @Min(1, { message: range('SCIM_ACTIVITY_RETENTION_DAYS', 1, 3650) })
  @Max(3650, { message: range('SCIM_ACTIVITY_RETENTION_DAYS', 1, 3650) })
  SCIM_ACTIVITY_RETENTION_DAYS?: number;

  /** A pause of this many seconds between two SCIM requests ends a provisioning cycle. */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('SCIM_ACTIVITY_CYCLE_GAP_SECONDS', 1, 86400) })
  @Min(1, { message: range('SCIM_ACTIVITY_CYCLE_GAP_SECONDS', 1, 86400) })
  @Max(86400, { message: range('SCIM_ACTIVITY_CYCLE_GAP_SECONDS', 1, 86400) })
  SCIM_ACTIVITY_CYCLE_GAP_SECONDS?: number;

  /** With SCIM on, this many seconds without a request make the connection "silent". */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: range('SCIM_SILENT_AFTER_SECONDS', 1, 604800) })
  @Min(1, { message: range('SCIM_SILENT_AFTER_SECONDS', 1, 604800) })
  @Max(604800, { message: range('SCIM_SILENT_AFTER_SECONDS', 1, 604800) })
  SCIM_SILENT_AFTER_SECONDS?: number;

  /** Serves `/metrics` on the main port to requests bearing this token. */
  @Transform(toStr)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long' })
  METRICS_TOKEN?: string;

  /** Serves `/metrics`, without a token, on this port of its own (bound to METRICS_HOST). */
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'METRICS_PORT must be an integer between 1 and 65535' })
  @Min(1, { message: 'METRICS_PORT must be an integer between 1 and 65535' })
  @Max(65535, { message: 'METRICS_PORT must be an integer between 1 and 65535' })
  METRICS_PORT?: number;

  @Transform(toStr)
  @IsOptional()
  @IsString()
  METRICS_HOST?: string;
}

export interface ServerConfig {
  port: number;
  host: string;
  database: {
    url?: string;
    /** The variable the URL comes from, named by errors about it. */
    option: string;
    sqlitePath: string;
    logSql: boolean;
    /** Only the limits the environment sets; the persistence lib's defaults fill the rest. */
    timeouts: { queryMs?: number; acquireMs?: number };
  };
  dataDir: string;
  logLevel: string;
  logFormat: 'json' | 'pretty';
  publicUrl?: string;
  /** Hosts a request may name when PUBLIC_URL is unset; empty when ALLOWED_HOSTS is unset. */
  allowedHosts: AllowedHost[];
  /** Production only: true when NODE_ENV=production. */
  production: boolean;
  shutdownTimeoutMs: number;
  /** Seconds between two purges of expired rows. */
  purgeIntervalSeconds: number;
  adminPassword?: string;
  licensePublicKeys: string[];
  /** Log lines go to this file when set, else to standard output. */
  logFile?: string;
  /**
   * JSON log lines written one by one as they are logged; otherwise gathered in a small buffer, written when it fills,
   * after a short pause, and whenever the process ends other than by SIGKILL.
   */
  logSync: boolean;
  /** Only the SCIM limits the environment sets; the SCIM module's defaults fill the rest. */
  scimLimits: Partial<ScimLimits>;
  /** Failed-authentication throttling: per source address (admin sign-in and SCIM tokens), per login for sign-in. */
  authThrottle: {
    maxFailuresPerAddress?: number;
    maxFailuresPerLoginAndAddress?: number;
    maxFailuresPerLogin?: number;
    windowSeconds?: number;
  };
  /** How a SCIM request from a blocked address is refused: held this long, at most this many at once. */
  blockedAddressRefusal: { delayMs?: number; maxHeld?: number };
  /** Retention of the SCIM activity records and how they are read (only what the environment sets). */
  scimActivity: { record?: boolean; retentionDays?: number; cycleGapSeconds?: number; silentAfterSeconds?: number };
  /** Prometheus metrics: off unless a token (main port) or a port of their own is set. */
  metrics: { token?: string; port?: number; host: string };
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the environment; a wrong value throws a ConfigurationError naming the variable. */
export function loadServerConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const vars = plainToInstance(EnvironmentVariables, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { skipMissingProperties: false, forbidUnknownValues: false });
  const problems = errors.flatMap((e) =>
    Object.values(e.constraints ?? {})
      .slice(0, 1)
      .map((m) => `${m} (got '${redact(e.property, env[e.property])}')`),
  );
  const keys = parseTrustedPublicKeys(vars.LICENSE_PUBLIC_KEYS);
  if (vars.LICENSE_PUBLIC_KEYS && keys.length === 0) {
    problems.push('LICENSE_PUBLIC_KEYS must hold one or more PEM public keys (-----BEGIN PUBLIC KEY----- …)');
  }
  const allowedHosts = (vars.ALLOWED_HOSTS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const parsedHosts = allowedHosts.map(parseHostHeader);
  if (parsedHosts.some((entry) => entry === undefined)) {
    problems.push(
      `ALLOWED_HOSTS must be a comma-separated list of host names or addresses, each with an optional :port (got '${vars.ALLOWED_HOSTS}')`,
    );
  }
  if (problems.length) throw new ConfigurationError(problems);
  const dataDir = vars.DATA_DIR ?? 'data';
  const production = vars.NODE_ENV === 'production';
  return {
    port: vars.PORT ?? 9000,
    host: vars.HOST ?? '0.0.0.0',
    dataDir,
    database: {
      url: vars.DATABASE_URL,
      option: 'DATABASE_URL',
      sqlitePath: `${dataDir}/scim.sqlite`,
      logSql: vars.LOG_SQL ?? false,
      timeouts: definedOnly({ queryMs: vars.DATABASE_QUERY_TIMEOUT_MS, acquireMs: vars.DATABASE_ACQUIRE_TIMEOUT_MS }),
    },
    logLevel: vars.LOG_LEVEL ?? 'info',
    logFormat: (vars.LOG_FORMAT as 'json' | 'pretty' | undefined) ?? (production ? 'json' : 'pretty'),
    publicUrl: vars.PUBLIC_URL,
    allowedHosts: parsedHosts as AllowedHost[],
    production,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS ?? 10000,
    purgeIntervalSeconds: vars.PURGE_INTERVAL_SECONDS ?? 900,
    adminPassword: vars.ADMIN_PASSWORD,
    licensePublicKeys: keys,
    logFile: vars.LOG_FILE,
    logSync: vars.LOG_SYNC ?? false,
    scimLimits: {
      ...definedOnly({
        maxPayloadBytes: vars.SCIM_MAX_BODY_BYTES,
        maxFilterLength: vars.SCIM_MAX_FILTER_LENGTH,
        maxFilterDepth: vars.SCIM_MAX_FILTER_DEPTH,
        maxPatchOperations: vars.SCIM_MAX_PATCH_OPERATIONS,
        maxMembersPerOperation: vars.SCIM_MAX_MEMBERS_PER_OPERATION,
        maxResults: vars.SCIM_MAX_RESULTS,
      }),
      ...(vars.SCIM_REFUSE_UNDECLARED_ATTRIBUTES === undefined
        ? {}
        : { refuseUndeclaredAttributes: vars.SCIM_REFUSE_UNDECLARED_ATTRIBUTES }),
    },
    authThrottle: definedOnly({
      maxFailuresPerAddress: vars.AUTH_MAX_FAILURES_PER_ADDRESS,
      maxFailuresPerLoginAndAddress: vars.AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN_AND_ADDRESS,
      maxFailuresPerLogin: vars.AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN,
      windowSeconds: vars.AUTH_THROTTLE_WINDOW_SECONDS,
    }),
    blockedAddressRefusal: definedOnly({
      delayMs: vars.AUTH_BLOCKED_REFUSAL_DELAY_MS,
      maxHeld: vars.AUTH_BLOCKED_REFUSAL_MAX_HELD,
    }),
    scimActivity: {
      ...(vars.SCIM_ACTIVITY_RECORDING === undefined ? {} : { record: vars.SCIM_ACTIVITY_RECORDING === 'on' }),
      ...definedOnly({
        retentionDays: vars.SCIM_ACTIVITY_RETENTION_DAYS,
        cycleGapSeconds: vars.SCIM_ACTIVITY_CYCLE_GAP_SECONDS,
        silentAfterSeconds: vars.SCIM_SILENT_AFTER_SECONDS,
      }),
    },
    metrics: { token: vars.METRICS_TOKEN, port: vars.METRICS_PORT, host: vars.METRICS_HOST ?? '127.0.0.1' },
  };
}

/** What an operator should hear about at start: settings that are valid but unsafe where the server runs. */
export function startupWarnings(config: Pick<ServerConfig, 'production' | 'publicUrl' | 'allowedHosts'>): string[] {
  const warnings: string[] = [];
  if (config.production && !config.publicUrl && config.allowedHosts.length === 0) {
    warnings.push(
      "Neither PUBLIC_URL nor ALLOWED_HOSTS is set: the addresses in SCIM answers (Location, meta.location) are built from each request's Host header, which clients choose. Set PUBLIC_URL to the address users and Entra ID reach this server at.",
    );
  }
  return warnings;
}

function range(variable: string, min: number, max: number): string {
  return `${variable} must be a whole number between ${min} and ${max}`;
}

function definedOnly<T extends Record<string, number | undefined>>(values: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<
    Record<keyof T, number>
  >;
}

/** A configuration error may quote the bad value, but never a secret's. */
function redact(property: string, value: unknown): string {
  if (/PASSWORD|DATABASE_URL|TOKEN/.test(property)) return '***';
  return String(value);
}
