/**
 * Entry point of a second server process in multi-process tests (see scim-server-pair.ts). Under ts-node, loading
 * the server's modules is most of a start, so this loads them at once, then waits for its environment as one JSON
 * line on stdin and starts the server exactly as `apps/server/src/main.ts` does, by running it. When stdin closes (the
 * test run ended, or died) the process stops the way a deployment stops it, with SIGTERM.
 */
import '../../apps/server/src/server-app.factory';

let buffered = '';
let started = false;

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (started) return;
  buffered += chunk;
  const end = buffered.indexOf('\n');
  if (end < 0) return;
  started = true;
  Object.assign(process.env, JSON.parse(buffered.slice(0, end)) as Record<string, string>);
  void import('../../apps/server/src/main');
});
process.stdin.on('end', () => {
  if (!started) process.exit(0);
  process.kill(process.pid, 'SIGTERM');
});
