// What the bench reads of other processes and threads, from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

/** The ids of every process running now. */
export function processIds(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/**
 * The fields of `/proc/<pid>/stat` (or of one of its threads) after the command name, which may
 * hold spaces: [0] state, [1] parent pid, [11] and [12] user and system time in clock ticks.
 */
export function statFields(pid: number, thread?: number): string[] {
  const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  return readFileSync(path, 'utf8').split(') ')[1].split(' ');
}

/** CPU time (user + system) of one process, or of one of its threads, in ms. */
export function processCpuMs(pid: number, thread?: number): number {
  const fields = statFields(pid, thread);
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time of a process and of its children that have ended and been waited for, in ms, from one
 * reading: PostgreSQL's postmaster collects its backends', so a backend that exits between two
 * readings (a closed connection, an autovacuum worker) still counts.
 */
export function processTreeCpuMs(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10;
}
