import { readFileSync } from 'node:fs';

/** Ticks of /proc/<pid>/stat's utime and stime: 100 a second on Linux (USER_HZ). */
const TICK_MS = 10;

/** CPU time the process has used so far (user + system), ms. */
export function cpuTimeMs(pid: number): number {
  // The command name, in parentheses, may hold spaces: fields are counted after it (utime, stime: 14th and 15th).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}
