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

  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds (1000 or more)' })
  @Min(1000, { message: 'SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds (1000 or more)' })
  SHUTDOWN_TIMEOUT_MS?: number;

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
}

export interface ServerConfig {
  port: number;
  host: string;
  database: { url?: string; sqlitePath: string; logSql: boolean };
  dataDir: string;
  logLevel: string;
  logFormat: 'json' | 'pretty';
  publicUrl?: string;
  shutdownTimeoutMs: number;
  adminPassword?: string;
  licensePublicKeys: string[];
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

function splitPemKeys(value: string | undefined): string[] {
  if (!value) return [];
  const keys = value.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  return keys.map((k) => k.trim());
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
  const keys = splitPemKeys(vars.LICENSE_PUBLIC_KEYS);
  if (vars.LICENSE_PUBLIC_KEYS && keys.length === 0) {
    problems.push('LICENSE_PUBLIC_KEYS must hold one or more PEM public keys (-----BEGIN PUBLIC KEY----- …)');
  }
  if (problems.length) throw new ConfigurationError(problems);
  const dataDir = vars.DATA_DIR ?? 'data';
  const production = vars.NODE_ENV === 'production';
  return {
    port: vars.PORT ?? 9000,
    host: vars.HOST ?? '0.0.0.0',
    dataDir,
    database: { url: vars.DATABASE_URL, sqlitePath: `${dataDir}/scim.sqlite`, logSql: vars.LOG_SQL ?? false },
    logLevel: vars.LOG_LEVEL ?? 'info',
    logFormat: (vars.LOG_FORMAT as 'json' | 'pretty' | undefined) ?? (production ? 'json' : 'pretty'),
    publicUrl: vars.PUBLIC_URL,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS ?? 10000,
    adminPassword: vars.ADMIN_PASSWORD,
    licensePublicKeys: keys,
  };
}

/** A configuration error may quote the bad value, but never a secret's. */
function redact(property: string, value: unknown): string {
  if (/PASSWORD|DATABASE_URL/.test(property)) return '***';
  return String(value);
}
