import { join } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { parseTrustedPublicKeys } from '@nest-scim/license';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toStr = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The example product's environment, read once at start; a wrong value stops it with a message naming the variable. */
class ExampleHostEnvironment {
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
  @Matches(/^(mysql|mariadb):\/\/[^\s/]+\/[A-Za-z0-9_$-]+(\?.*)?$/, {
    message: 'DATABASE_URL must be a MySQL/MariaDB URL such as mysql://user:password@host:3306/database',
  })
  DATABASE_URL?: string;

  @Transform(toStr)
  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @Transform(toStr)
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+[^/\s]$/, { message: 'PUBLIC_URL must be an http(s) address without a trailing slash' })
  PUBLIC_URL?: string;

  @Transform(toStr)
  @IsOptional()
  @IsString()
  LICENSE_PUBLIC_KEYS?: string;

  @Transform(toStr)
  @IsOptional()
  @IsString()
  LICENSE_KEY?: string;

  @Transform(toStr)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must be at least 32 characters long' })
  SESSION_SECRET?: string;
}

export interface ExampleHostDatabase {
  /** `mysql://…` for MySQL/MariaDB; unset for the SQLite file. */
  url?: string;
  sqlitePath: string;
}

export interface ExampleHostConfig {
  port: number;
  host: string;
  dataDir: string;
  database: ExampleHostDatabase;
  publicUrl?: string;
  /** Ed25519 public keys (PEM) whose signatures make a license key valid. */
  licensePublicKeys: string[];
  /** A license key to install at start when it is not installed yet. */
  licenseKey?: string;
  /** Signs the product's own access tokens; random per process when unset (tokens then end with the process). */
  sessionSecret?: string;
  /** Where "now" comes from for license expiry; tests move it. */
  clock?: () => Date;
}

export class ExampleHostConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ExampleHostConfigError';
  }
}

export function loadExampleHostConfig(env: NodeJS.ProcessEnv): ExampleHostConfig {
  const vars = plainToInstance(ExampleHostEnvironment, { ...env });
  const problems = validateSync(vars, { forbidUnknownValues: false }).map(
    (e) => Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`,
  );
  const keys = parseTrustedPublicKeys(vars.LICENSE_PUBLIC_KEYS);
  if (vars.LICENSE_PUBLIC_KEYS && keys.length === 0) {
    problems.push('LICENSE_PUBLIC_KEYS must hold one or more PEM public keys (-----BEGIN PUBLIC KEY----- …)');
  }
  if (problems.length) throw new ExampleHostConfigError(problems);
  const dataDir = vars.DATA_DIR ?? 'data';
  return {
    port: vars.PORT ?? 9100,
    host: vars.HOST ?? '0.0.0.0',
    dataDir,
    database: { url: vars.DATABASE_URL, sqlitePath: join(dataDir, 'host.sqlite') },
    publicUrl: vars.PUBLIC_URL,
    licensePublicKeys: keys,
    licenseKey: vars.LICENSE_KEY?.trim(),
    sessionSecret: vars.SESSION_SECRET,
  };
}
