import { ConfigurationError, loadServerConfig, startupWarnings } from './server-config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadServerConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadServerConfig', () => {
  it('starts on the embedded SQLite file under ./data with nothing configured', () => {
    const config = loadServerConfig({});
    expect(config).toMatchObject({ port: 9000, host: '0.0.0.0', dataDir: 'data', logFormat: 'pretty' });
    expect(config.database).toEqual({
      url: undefined,
      option: 'DATABASE_URL',
      sqlitePath: 'data/scim.sqlite',
      logSql: false,
      timeouts: {},
    });
    expect(config.licensePublicKeys).toEqual([]);
  });

  it('uses MySQL when DATABASE_URL is a mysql:// URL, and JSON logs in production', () => {
    const config = loadServerConfig({
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/sonar',
      NODE_ENV: 'production',
      PORT: '8080',
    });
    expect(config.database.url).toBe('mysql://root@127.0.0.1:3306/sonar');
    expect(config.logFormat).toBe('json');
    expect(config.port).toBe(8080);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be an integer between 1 and 65535 \(got 'abc'\)$/],
    [{ PORT: '70000' }, /^PORT must be an integer/],
    [{ DATABASE_URL: 'postgres://u:secret@h/db' }, /^DATABASE_URL must be a MySQL\/MariaDB URL .* \(got '\*\*\*'\)$/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ PUBLIC_URL: 'https://sonar.example.com/' }, /^PUBLIC_URL must be/],
    [{ ADMIN_PASSWORD: 'short' }, /^ADMIN_PASSWORD must be at least 12 characters long \(got '\*\*\*'\)$/],
    [{ LICENSE_PUBLIC_KEYS: 'not a key' }, /^LICENSE_PUBLIC_KEYS must hold one or more PEM public keys/],
  ])('refuses %o with a message naming the variable', (env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('reads the SCIM limits, the failed-authentication throttle and the log file; unset ones are left to the defaults', () => {
    const config = loadServerConfig({
      SCIM_MAX_BODY_BYTES: '2097152',
      SCIM_MAX_FILTER_LENGTH: '8192',
      SCIM_MAX_FILTER_DEPTH: '16',
      SCIM_MAX_PATCH_OPERATIONS: '500',
      SCIM_MAX_MEMBERS_PER_OPERATION: '20000',
      SCIM_MAX_RESULTS: '200',
      AUTH_MAX_FAILURES_PER_ADDRESS: '50',
      AUTH_THROTTLE_WINDOW_SECONDS: '600',
      AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN_AND_ADDRESS: '4',
      AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN: '25',
      LOG_FILE: '/var/log/scim.log',
    });
    expect(config.scimLimits).toEqual({
      maxPayloadBytes: 2097152,
      maxFilterLength: 8192,
      maxFilterDepth: 16,
      maxPatchOperations: 500,
      maxMembersPerOperation: 20000,
      maxResults: 200,
    });
    expect(config.authThrottle).toEqual({
      maxFailuresPerAddress: 50,
      maxFailuresPerLoginAndAddress: 4,
      maxFailuresPerLogin: 25,
      windowSeconds: 600,
    });
    expect(config.logFile).toBe('/var/log/scim.log');
    expect(
      loadServerConfig({ DATABASE_QUERY_TIMEOUT_MS: '20000', DATABASE_ACQUIRE_TIMEOUT_MS: '3000' }).database.timeouts,
    ).toEqual({ queryMs: 20000, acquireMs: 3000 });
    expect(loadServerConfig({ SCIM_MAX_RESULTS: '50' }).scimLimits).toEqual({ maxResults: 50 });
    expect(loadServerConfig({}).authThrottle).toEqual({});
  });

  it('reads how a blocked address is refused (the hold, and how many are held at once); 0 answers at once', () => {
    expect(
      loadServerConfig({ AUTH_BLOCKED_REFUSAL_DELAY_MS: '2500', AUTH_BLOCKED_REFUSAL_MAX_HELD: '20' })
        .blockedAddressRefusal,
    ).toEqual({ delayMs: 2500, maxHeld: 20 });
    expect(loadServerConfig({ AUTH_BLOCKED_REFUSAL_DELAY_MS: '0' }).blockedAddressRefusal).toEqual({ delayMs: 0 });
    expect(loadServerConfig({}).blockedAddressRefusal).toEqual({});
  });

  it('buffers log lines unless LOG_SYNC=true asks for each to be written as it is logged', () => {
    expect(loadServerConfig({}).logSync).toBe(false);
    expect(loadServerConfig({ LOG_SYNC: 'true' }).logSync).toBe(true);
    expect(loadServerConfig({ LOG_SYNC: 'false' }).logSync).toBe(false);
    expect(problemsOf({ LOG_SYNC: 'always' })[0]).toMatch(/LOG_SYNC must be true or false \(got 'always'\)/);
  });

  it('reads the strict attribute rule: refused when asked for, left to the default (ignored) when unset', () => {
    expect(loadServerConfig({ SCIM_REFUSE_UNDECLARED_ATTRIBUTES: 'true' }).scimLimits).toEqual({
      refuseUndeclaredAttributes: true,
    });
    expect(loadServerConfig({ SCIM_REFUSE_UNDECLARED_ATTRIBUTES: 'false' }).scimLimits).toEqual({
      refuseUndeclaredAttributes: false,
    });
    expect(loadServerConfig({}).scimLimits).toEqual({});
    expect(problemsOf({ SCIM_REFUSE_UNDECLARED_ATTRIBUTES: 'maybe' })[0]).toMatch(
      /SCIM_REFUSE_UNDECLARED_ATTRIBUTES must be true or false/,
    );
  });

  it.each([
    ['SCIM_MAX_BODY_BYTES', '1024'],
    ['SCIM_MAX_FILTER_LENGTH', '100'],
    ['SCIM_MAX_FILTER_DEPTH', '1000'],
    ['SCIM_MAX_PATCH_OPERATIONS', '1'],
    ['SCIM_MAX_MEMBERS_PER_OPERATION', 'lots'],
    ['SCIM_MAX_RESULTS', '0'],
    ['AUTH_MAX_FAILURES_PER_ADDRESS', '1'],
    ['AUTH_THROTTLE_WINDOW_SECONDS', '-5'],
    ['AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN_AND_ADDRESS', '2'],
    ['AUTH_SIGN_IN_MAX_FAILURES_PER_LOGIN', 'many'],
    ['AUTH_BLOCKED_REFUSAL_DELAY_MS', '-1'],
    ['AUTH_BLOCKED_REFUSAL_DELAY_MS', '60000'],
    ['AUTH_BLOCKED_REFUSAL_MAX_HELD', '0'],
    ['AUTH_BLOCKED_REFUSAL_MAX_HELD', 'all'],
    ['DATABASE_QUERY_TIMEOUT_MS', '10'],
    ['DATABASE_ACQUIRE_TIMEOUT_MS', '1000000'],
    ['PURGE_INTERVAL_SECONDS', '5'],
    ['SCIM_ACTIVITY_RETENTION_DAYS', '0'],
    ['SCIM_ACTIVITY_CYCLE_GAP_SECONDS', '1.5'],
    ['SCIM_SILENT_AFTER_SECONDS', 'never'],
  ])('refuses %s=%s: out of its range', (variable, value) => {
    const problems = problemsOf({ [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${variable} must be a whole number between \\d+ and \\d+`));
  });

  it('never quotes a secret back', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql//root:hunter2@db/x',
      ADMIN_PASSWORD: 'hunter2',
      METRICS_TOKEN: 'hunter2',
    });
    expect(problems).toContain("METRICS_TOKEN must be at least 16 characters long (got '***')");
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('serves no metrics unless a token or a port of their own is set', () => {
    expect(loadServerConfig({}).metrics).toEqual({ token: undefined, port: undefined, host: '127.0.0.1' });
    expect(loadServerConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toMatchObject({
      port: 9464,
      host: '0.0.0.0',
    });
    expect(problemsOf({ METRICS_PORT: '70000' })).toEqual([
      "METRICS_PORT must be an integer between 1 and 65535 (got '70000')",
    ]);
  });

  it('reads SCIM_ACTIVITY_RECORDING as on or off, left to the default (on) when unset, and refuses anything else', () => {
    expect(loadServerConfig({}).scimActivity).toEqual({});
    expect(loadServerConfig({ SCIM_ACTIVITY_RECORDING: 'off' }).scimActivity).toEqual({ record: false });
    expect(loadServerConfig({ SCIM_ACTIVITY_RECORDING: 'on' }).scimActivity).toEqual({ record: true });
    expect(problemsOf({ SCIM_ACTIVITY_RECORDING: 'false' })).toEqual([
      "SCIM_ACTIVITY_RECORDING must be on or off (got 'false')",
    ]);
  });

  it('reads ALLOWED_HOSTS as hosts with optional ports, and refuses anything else', () => {
    expect(
      loadServerConfig({ ALLOWED_HOSTS: 'Scim.Example.com, admin.example.com:9000,[::1]:9000' }).allowedHosts,
    ).toEqual([
      { host: 'scim.example.com' },
      { host: 'admin.example.com', port: '9000' },
      { host: '[::1]', port: '9000' },
    ]);
    expect(loadServerConfig({}).allowedHosts).toEqual([]);
    for (const bad of ['https://scim.example.com', 'scim.example.com/path', 'a b', 'host:port']) {
      const problems = problemsOf({ ALLOWED_HOSTS: bad });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^ALLOWED_HOSTS must be a comma-separated list/);
    }
  });

  it('warns at start in production when neither PUBLIC_URL nor ALLOWED_HOSTS says which host is ours', () => {
    expect(startupWarnings(loadServerConfig({ NODE_ENV: 'production' }))).toEqual([
      expect.stringMatching(/^Neither PUBLIC_URL nor ALLOWED_HOSTS is set/),
    ]);
    expect(startupWarnings(loadServerConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://s.example.com' }))).toEqual(
      [],
    );
    expect(startupWarnings(loadServerConfig({ NODE_ENV: 'production', ALLOWED_HOSTS: 's.example.com' }))).toEqual([]);
    expect(startupWarnings(loadServerConfig({ NODE_ENV: 'development' }))).toEqual([]);
  });
});
