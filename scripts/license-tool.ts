/**
 * Vendor-side license tool. The product only ever holds public keys; this is where keys are made and licenses signed.
 *
 *   npx ts-node scripts/license-tool.ts keygen --out <dir>
 *   npx ts-node scripts/license-tool.ts sign --key <private.pem> --licensee "Acme Corp" --edition enterprise \
 *       --features scim,saml --expires 2027-12-31 [--issued 2026-01-01]
 *   npx ts-node scripts/license-tool.ts verify --public <public.pem> [--license <key>]   (key from stdin otherwise)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
// Relative imports: ts-node runs this file without the tsconfig path aliases.
import { EDITIONS, isEdition } from '../libs/license/src/edition.constants';
import { LicenseVerifier } from '../libs/license/src/license.verifier';
import { makeLicenseKeyPair, signLicense } from '../libs/license/src/signing';

const PRIVATE_KEY_FILE = 'license-signing-private.pem';
const PUBLIC_KEY_FILE = 'license-signing-public.pem';

const USAGE = `Usage:
  license-tool keygen --out <dir> [--force]
      Writes ${PRIVATE_KEY_FILE} (keep it secret) and ${PUBLIC_KEY_FILE} (give it to servers).
  license-tool sign --key <private.pem> --licensee <name> --edition <${EDITIONS.join('|')}>
                    --expires <YYYY-MM-DD|ISO date> [--features a,b] [--issued <date>]
      Prints the license key. A bare expiry day means the license runs to the end of that day, UTC.
  license-tool verify --public <public.pem> [--license <key>]
      Checks a license key (read from stdin without --license) and prints what it states.`;

class UsageError extends Error {}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required`);
  return value.trim();
}

function keygen(args: string[]): void {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, force: { type: 'boolean' } } });
  const dir = resolve(required(values, 'out'));
  const privatePath = join(dir, PRIVATE_KEY_FILE);
  const publicPath = join(dir, PUBLIC_KEY_FILE);
  // Overwriting a signing key would orphan every license issued with it.
  if (!values.force && (existsSync(privatePath) || existsSync(publicPath))) {
    throw new Error(`${dir} already holds a key pair; pass --force to replace it`);
  }
  mkdirSync(dir, { recursive: true });
  const pair = makeLicenseKeyPair();
  writeFileSync(privatePath, pair.privateKey, { mode: 0o600 });
  writeFileSync(publicPath, pair.publicKey, { mode: 0o644 });
  process.stdout.write(`key id ${pair.keyId}\nprivate key: ${privatePath}\npublic key:  ${publicPath}\n`);
}

function signCommand(args: string[]): void {
  const { values } = parseArgs({
    args,
    options: {
      key: { type: 'string' },
      licensee: { type: 'string' },
      edition: { type: 'string' },
      features: { type: 'string' },
      expires: { type: 'string' },
      issued: { type: 'string' },
    },
  });
  const edition = required(values, 'edition');
  if (!isEdition(edition)) throw new UsageError(`--edition must be one of ${EDITIONS.join(', ')}`);
  const features = (values.features ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const licenseKey = signLicense(readFileSync(required(values, 'key'), 'utf8'), {
    licensee: required(values, 'licensee'),
    edition,
    features,
    expiresAt: required(values, 'expires'),
    ...(values.issued ? { issuedAt: values.issued } : {}),
  });
  process.stdout.write(`${licenseKey}\n`);
}

function verifyCommand(args: string[]): void {
  const { values } = parseArgs({ args, options: { public: { type: 'string' }, license: { type: 'string' } } });
  const verifier = new LicenseVerifier([readFileSync(required(values, 'public'), 'utf8')]);
  const licenseKey = values.license ?? readFileSync(0, 'utf8');
  const statement = verifier.verify(licenseKey);
  const expired = new Date(statement.expiresAt).getTime() <= Date.now();
  process.stdout.write(`${JSON.stringify({ ...statement, expired }, null, 2)}\n`);
}

function main(argv: string[]): number {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'keygen':
        keygen(args);
        return 0;
      case 'sign':
        signCommand(args);
        return 0;
      case 'verify':
        verifyCommand(args);
        return 0;
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        return command ? 0 : 2;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    process.stderr.write(`license-tool: ${(error as Error).message}\n`);
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
