import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('starting the server with a bad configuration', () => {
  it('exits non-zero with a message that names the variable, before touching any database', () => {
    const run = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/server/src/main.ts'],
      {
        cwd: root,
        env: { ...process.env, PORT: 'eighty', DATA_DIR: '/nonexistent/never-created' },
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("PORT must be an integer between 1 and 65535 (got 'eighty')");
  });
});
