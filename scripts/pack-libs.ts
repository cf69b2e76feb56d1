/**
 * Builds every library under libs/ into an npm package and packs it: `dist/` (JavaScript and type declarations),
 * package.json, README.md and CHANGELOG.md. Before packing, each package is checked for completeness: every `require` of its code
 * and every import of its declarations is a file of the package, a Node built-in, or a declared dependency or peer;
 * every `exports` target exists; and each dependency range is the one the repository is tested with.
 *
 * With --check, the tarballs are installed into a scratch project (from npm's cache where it can, else the registry,
 * for their own dependencies' metadata, which `npm ci` does not cache; the peers — Nest,
 * TypeORM, drivers — come from the repository's node_modules) and used as a host would: every entry point is
 * required, a deep import is refused by the exports map, a TypeScript host type-checks against the declarations (with
 * node16 resolution, and as CommonJS with classic node resolution through typesVersions), and
 * a Nest app boots the packaged ScimProvisioningModule as the README shows it and answers Entra's first steps (Test
 * Connection, a user, a group, members added), on SQLite and, when SCIM_TEST_MYSQL_URL is set, on MySQL/MariaDB.
 *
 * With --registry <url>, the tarballs are published there and a fresh host outside the repository installs
 * @nest-scim/provisioning by name from it (its peers too, through the registry) and runs the same host script.
 *
 *   npx ts-node --transpile-only scripts/pack-libs.ts [--out dist/packages] [--check] [--registry <url>]
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

interface Manifest {
  name: string;
  version: string;
  main?: string;
  types?: string;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  typesVersions?: Record<string, Record<string, string[]>>;
}

const ROOT = resolve(__dirname, '..');
const LIBS = join(ROOT, 'libs');
const SCOPE = '@nest-scim/';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);
}

function exportTargets(manifest: Manifest): string[] {
  const targets = [manifest.main, manifest.types].filter((t): t is string => !!t);
  for (const entry of Object.values(manifest.exports ?? {})) {
    targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
  }
  // Classic (node10) resolution, `"module": "commonjs"` hosts: subpaths' declarations through typesVersions.
  for (const map of Object.values(manifest.typesVersions ?? {})) targets.push(...Object.values(map).flat());
  return targets;
}

function subpathExported(manifest: Manifest, specifier: string): boolean {
  const sub = specifier === manifest.name ? '.' : `.${specifier.slice(manifest.name.length)}`;
  return !!manifest.exports && sub in manifest.exports;
}

/** What the code and declarations of a staged package reach for, checked against what its manifest declares. */
function completenessProblems(stage: string, manifest: Manifest, siblings: Map<string, Manifest>): string[] {
  const problems: string[] = [];
  const rootManifest = readJson<Manifest>(join(ROOT, 'package.json'));
  const declared = { ...manifest.dependencies, ...manifest.peerDependencies };
  for (const sub of Object.keys(manifest.exports ?? {}).filter((k) => k !== '.' && k !== './package.json')) {
    if (!manifest.typesVersions?.['*']?.[sub.slice(2)]) {
      problems.push(`exports ${sub} has no typesVersions entry, so CommonJS hosts (node10 resolution) cannot type it`);
    }
  }
  for (const target of exportTargets(manifest)) {
    if (!existsSync(join(stage, target))) problems.push(`exports/main/types name ${target}, which is not built`);
  }
  const code = [/\brequire\((["'])([^"']+)\1\)/g];
  const declarations = [/^(?:import|export)\b[^;]*?\bfrom (["'])([^"']+)\1/gm, /\bimport\((["'])([^"']+)\1\)/g];
  for (const file of filesUnder(join(stage, 'dist'))) {
    const patterns = file.endsWith('.d.ts') ? declarations : file.endsWith('.js') ? code : [];
    const text = readFileSync(file, 'utf8');
    const where = relative(stage, file);
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const specifier = match[2];
        if (specifier.startsWith('.')) {
          const target = resolve(dirname(file), specifier);
          const candidates = [target, `${target}.js`, `${target}.d.ts`, join(target, 'index.js')];
          if (!target.startsWith(join(stage, 'dist')) || !candidates.some((c) => existsSync(c))) {
            problems.push(`${where} imports ${specifier}, which is not in the package`);
          }
        } else if (!isBuiltin(specifier)) {
          const name = packageOf(specifier);
          if (!(name in declared)) problems.push(`${where} imports ${specifier}, but ${name} is not declared`);
          const sibling = siblings.get(name);
          if (sibling && !subpathExported(sibling, specifier)) {
            problems.push(`${where} imports ${specifier}, which ${name} does not export`);
          }
        }
      }
    }
  }
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    const sibling = siblings.get(name);
    const tested = sibling ? sibling.version : rootManifest.dependencies?.[name];
    if (range !== tested) problems.push(`depends on ${name}@${range}, but the repository uses ${tested ?? 'none'}`);
  }
  for (const name of Object.keys(manifest.peerDependencies ?? {})) {
    if (!existsSync(join(ROOT, 'node_modules', name, 'package.json'))) {
      problems.push(`peer ${name} is not installed in the repository, so nothing tests against it`);
    }
  }
  return problems;
}

function pack(out: string): string[] {
  const compiled = join(out, 'compiled');
  console.log('== compiling libs/*/src');
  run(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'libs/tsconfig.build.json', '--outDir', compiled],
    ROOT,
  );
  const names = readdirSync(LIBS).filter((name) => existsSync(join(LIBS, name, 'package.json')));
  const manifests = new Map(names.map((name) => [name, readJson<Manifest>(join(LIBS, name, 'package.json'))]));
  const siblings = new Map([...manifests.values()].map((m) => [m.name, m]));
  const tarballs: string[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const manifest = manifests.get(name)!;
    if (manifest.name !== `${SCOPE}${name}`) problems.push(`libs/${name}: named ${manifest.name}`);
    const stage = join(out, 'stage', name);
    cpSync(join(compiled, name, 'src'), join(stage, 'dist'), { recursive: true });
    cpSync(join(LIBS, name, 'package.json'), join(stage, 'package.json'));
    if (!existsSync(join(LIBS, name, 'README.md'))) problems.push(`libs/${name}: no README.md`);
    else cpSync(join(LIBS, name, 'README.md'), join(stage, 'README.md'));
    cpSync(join(ROOT, 'CHANGELOG.md'), join(stage, 'CHANGELOG.md'));
    problems.push(...completenessProblems(stage, manifest, siblings).map((p) => `${manifest.name}: ${p}`));
  }
  if (problems.length > 0) throw new Error(`The packages are not complete:\n  ${problems.join('\n  ')}`);
  for (const name of names) {
    const [{ filename }] = JSON.parse(
      run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], join(out, 'stage', name)),
    ) as { filename: string }[];
    tarballs.push(join(out, filename));
    console.log(`   ${filename}`);
  }
  // Only the tarballs stay: copies of the manifests elsewhere in the tree would shadow libs/*/package.json for tools.
  rmSync(compiled, { recursive: true, force: true });
  rmSync(join(out, 'stage'), { recursive: true, force: true });
  return tarballs;
}

const HOST_TS = `import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LicenseGuard, LicenseService, RequiresEdition, RequiresFeature } from '@nest-scim/license';
import { makeLicenseKeyPair, signLicense } from '@nest-scim/license/testing';
import { buildDataSourceOptions } from '@nest-scim/persistence';
import { SCIM_PROVISIONING_SCHEMA, ScimProvisioningModule, ScimProvisioningOptions } from '@nest-scim/provisioning';
import { ScimError } from '@nest-scim/scim';

@Controller('reports')
@UseGuards(LicenseGuard)
@RequiresEdition('enterprise')
export class ReportsController {
  @Get() @RequiresFeature('reports') list(): string[] { return []; }
}

const keys = makeLicenseKeyPair();
const options: ScimProvisioningOptions = { trustedLicensePublicKeys: [keys.publicKey], limits: { maxResults: 200 } };

@Module({
  imports: [
    TypeOrmModule.forRoot({ ...buildDataSourceOptions({ sqlitePath: 'scim.sqlite' }, SCIM_PROVISIONING_SCHEMA), name: 'scim', migrationsRun: true }),
    ScimProvisioningModule.forRootAsync({ dataSource: 'scim', basePath: '/scim/v2', isGlobal: true, useFactory: () => options }),
  ],
  controllers: [ReportsController],
})
export class HostModule {}

export async function install(licenses: LicenseService): Promise<void> {
  await licenses.install(signLicense(keys.privateKey, { licensee: 'x', edition: 'enterprise', expiresAt: '2099-01-01' }));
}
export const invalid: ScimError = ScimError.invalidSyntax('bad');
`;

const HOST_JS = `'use strict';
require('reflect-metadata');
const assert = require('node:assert/strict');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, sep } = require('node:path');
const packages = JSON.parse(process.argv[2]);

// Every entry point loads from the installed package, and nothing else of a package is reachable.
for (const [name, subpaths] of Object.entries(packages)) {
  for (const sub of subpaths) {
    const specifier = sub === '.' ? name : name + sub.slice(1);
    const path = require.resolve(specifier);
    assert.ok(path.includes(join('node_modules', ...name.split('/')) + sep), specifier + ' resolved to ' + path);
    require(specifier);
  }
  assert.throws(() => require(name + '/dist/index.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
}

const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { TypeOrmModule } = require('@nestjs/typeorm');
const { makeLicenseKeyPair, signLicense } = require('@nest-scim/license/testing');
const { buildDataSourceOptions } = require('@nest-scim/persistence');
const { SCIM_PROVISIONING_SCHEMA, ScimProvisioningModule, ScimSetup } = require('@nest-scim/provisioning');

/** A host as the README shows it, on the given database settings, through Entra's first steps. */
async function boot(settings) {
  const keys = makeLicenseKeyPair();
  class HostModule {}
  Module({
    imports: [
      TypeOrmModule.forRoot({
        // The README's builder declares MySQL whatever the server: on MariaDB too, every query must run.
        ...buildDataSourceOptions(settings, SCIM_PROVISIONING_SCHEMA),
        name: 'scim',
        migrationsRun: true,
      }),
      ScimProvisioningModule.forRootAsync({ dataSource: 'scim', useFactory: () => ({ trustedLicensePublicKeys: [keys.publicKey] }) }),
    ],
  })(HostModule);
  const app = await NestFactory.create(HostModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = 'http://127.0.0.1:' + app.getHttpServer().address().port + '/api/scim/v2';
  try {
    const refused = await fetch(base + '/Users');
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('content-type'), /^application\\/scim\\+json/);
    // The embeddable setup API; no sign-in prerequisite is plugged in, so no SAML settings are needed.
    const setup = app.get(ScimSetup);
    await setup.ensureAdminAccount({ password: 'Admin-password-1234' });
    await setup.installLicense(
      signLicense(keys.privateKey, { licensee: 'Pack check', edition: 'enterprise', features: ['scim'], expiresAt: '2099-12-31' }),
    );
    await setup.enableScim();
    const { token } = await setup.createEntraToken({ name: 'entra' });
    const scim = (method, path, body) =>
      fetch(base + path, {
        method,
        headers: { authorization: 'Bearer ' + token, 'content-type': 'application/scim+json' },
        body: body && JSON.stringify(body),
      });
    // Entra's Test Connection.
    const probe = await scim('GET', '/Users?filter=' + encodeURIComponent('userName eq "x"'));
    assert.equal(probe.status, 200);
    assert.deepEqual((await probe.json()).schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    const created = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'alice@contoso.com' });
    assert.equal(created.status, 201);
    const alice = (await created.json()).id;
    const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'devs' });
    assert.equal(group.status, 201);
    const devs = (await group.json()).id;
    const added = await scim('PATCH', '/Groups/' + devs, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: alice }] }],
    });
    assert.equal(added.status, 204);
    const read = await scim('GET', '/Groups/' + devs);
    assert.deepEqual((await read.json()).members.map((m) => m.value), [alice]);
  } finally {
    await app.close();
  }
}
async function main() {
  await boot({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'pack-check-')), 'scim.sqlite') });
  console.log('   the packaged ScimProvisioningModule boots on SQLite and answers Entra (test connection, members)');
  const base = process.env.SCIM_TEST_MYSQL_URL;
  if (!base) {
    console.log('   MySQL/MariaDB: skipped, SCIM_TEST_MYSQL_URL is not set');
    return;
  }
  const mysql = require('mysql2/promise');
  const name = 'scim_pack_check_' + process.pid;
  const admin = await mysql.createConnection({ uri: base });
  await admin.query('CREATE DATABASE \`' + name + '\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
  try {
    const url = new URL(base);
    url.pathname = '/' + name;
    await boot({ url: url.toString(), option: 'SCIM_TEST_MYSQL_URL' });
    const [[{ v }]] = await admin.query('SELECT VERSION() AS v');
    console.log('   and on ' + v + ' through the README builder');
  } finally {
    await admin.query('DROP DATABASE IF EXISTS \`' + name + '\`');
    await admin.end();
  }
}
main().catch((error) => { console.error(error); process.exit(1); });
`;

/** Installs the tarballs into a scratch project under the repository, so the peers resolve from its node_modules. */
function check(tarballs: string[]): void {
  const scratch = join(ROOT, 'dist', 'pack-check');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'pack-check', version: '0.0.0', private: true }));
  console.log('== installing the tarballs into a scratch project');
  run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--legacy-peer-deps', '--ignore-scripts', ...tarballs],
    scratch,
  );
  const installed = readdirSync(join(scratch, 'node_modules', SCOPE.slice(0, -1))).map((name) => `${SCOPE}${name}`);
  const packages = Object.fromEntries(
    installed.map((name) => {
      const manifest = readJson<Manifest>(join(scratch, 'node_modules', name, 'package.json'));
      const subpaths = Object.keys(manifest.exports ?? {}).filter((s) => s !== './package.json');
      return [name, subpaths];
    }),
  );
  console.log(`   installed ${installed.join(', ')}`);
  console.log('== type-checking a host against the declarations (node16 resolution, exports map)');
  writeFileSync(join(scratch, 'host.ts'), HOST_TS);
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        skipLibCheck: true,
        types: ['node'],
      },
      files: ['host.ts'],
    }),
  );
  run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], scratch);
  console.log('== type-checking the same host as CommonJS with classic node resolution (typesVersions)');
  writeFileSync(
    join(scratch, 'tsconfig.cjs.json'),
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' },
    }),
  );
  run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.cjs.json'], scratch);
  console.log('== requiring every entry point and booting a host');
  writeFileSync(join(scratch, 'host.js'), HOST_JS);
  process.stdout.write(run(process.execPath, ['host.js', JSON.stringify(packages)], scratch));
  rmSync(scratch, { recursive: true, force: true });
}

/** The peers a host installs beside the feature, at the ranges the repository is tested with. */
const HOST_PEERS = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/typeorm',
  'typeorm',
  'better-sqlite3',
  'mysql2',
  'reflect-metadata',
  'rxjs',
];

/**
 * The TypeORM lines a host may be on, each checked by a fresh host pinned to it: the repository's own (1.x), and
 * 0.3.2x, which most Nest products still run.
 */
const TYPEORM_LINES = [undefined, '0.3.28'] as const;

/**
 * Publishes the tarballs to a registry (a local one: `.ci/run` starts Verdaccio on loopback), then, for each TypeORM
 * line, makes a fresh host outside the repository that installs `@nest-scim/provisioning` by name from it, with its
 * peers, and runs the same host script: Entra's first steps on SQLite and, when SCIM_TEST_MYSQL_URL is set, on
 * MySQL/MariaDB.
 */
function registryCheck(tarballs: string[], registry: string): void {
  const publisher = mkdtempSync(join(tmpdir(), 'nest-scim-publish-'));
  // The local registry takes anonymous publishes; npm still wants a token to send.
  const npmrc = join(publisher, '.npmrc');
  writeFileSync(npmrc, `registry=${registry}\n//${new URL(registry).host}/:_authToken=local\n`);
  try {
    console.log(`== publishing to ${registry}`);
    for (const tarball of tarballs) {
      run('npm', ['publish', tarball, '--userconfig', npmrc, '--registry', registry, '--ignore-scripts'], publisher);
    }
    for (const typeorm of TYPEORM_LINES) freshHost(npmrc, typeorm);
  } finally {
    rmSync(publisher, { recursive: true, force: true });
  }
}

/** A host outside the repository that installs the feature by name, on the repository's peers or another TypeORM. */
function freshHost(npmrc: string, typeorm: string | undefined): void {
  const host = mkdtempSync(join(tmpdir(), 'nest-scim-host-'));
  try {
    const rootManifest = readJson<Manifest>(join(ROOT, 'package.json'));
    const provisioning = readJson<Manifest>(join(LIBS, 'provisioning', 'package.json'));
    const dependencies = Object.fromEntries([
      [provisioning.name, provisioning.version],
      ...HOST_PEERS.map((name) => [name, rootManifest.dependencies?.[name] ?? '*']),
    ]);
    if (typeorm !== undefined) dependencies.typeorm = typeorm;
    writeFileSync(
      join(host, 'package.json'),
      JSON.stringify({ name: 'fresh-host', version: '0.0.0', private: true, dependencies }, null, 2),
    );
    console.log(`== installing ${provisioning.name}@${provisioning.version} by name, typeorm ${dependencies.typeorm}`);
    run('npm', ['install', '--userconfig', npmrc, '--prefer-offline', '--no-audit', '--no-fund'], host);
    const installed = readJson<Manifest>(join(host, 'node_modules', 'typeorm', 'package.json')).version;
    console.log(`   installed without --legacy-peer-deps, typeorm ${installed}`);
    writeFileSync(join(host, 'host.js'), HOST_JS);
    process.stdout.write(run(process.execPath, ['host.js', '{}'], host));
  } finally {
    rmSync(host, { recursive: true, force: true });
  }
}

function main(): void {
  const out = resolve(ROOT, argument('--out') ?? join('dist', 'packages'));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const tarballs = pack(out);
  if (process.argv.includes('--check')) check(tarballs);
  const registry = argument('--registry');
  if (registry) registryCheck(tarballs, registry);
  console.log(`== ${tarballs.length} packages in ${relative(process.cwd(), out) || '.'}`);
}

main();
