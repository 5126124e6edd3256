// On two cores shared by the service, PostgreSQL, the broker and the load clients, the kernel wakes
// a PostgreSQL backend on the core of the thread that wrote its query (the service's event loop),
// so the loop waits for its own core about a quarter of the time while the other core idles
// (/proc/<pid>/task/<tid>/schedstat: 2.6 s of run-queue wait in 10 s, with 11 % of the CPUs idle).
// A deployment does not put the database on the service's cores. Pinning gives the event loop core
// 0 and everything else the remaining cores, which is the same machine shared the way a deployment
// shares it. BENCH_PIN=0 turns it off, to see the difference.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync } from 'node:fs';
import { processIds, statFields } from './proc';

export interface CorePinning {
  /** What was pinned, for the report; null when nothing could be. */
  description: string | null;
  /** Moves this process's other threads (a worker started since, say) off the event loop's core. */
  pinOtherThreads(): void;
}

function setAffinity(tid: number, cores: string, allThreads = false): void {
  execFileSync('taskset', [...(allThreads ? ['-a'] : []), '-c', '-p', cores, String(tid)], {
    stdio: 'ignore',
  });
}

/** Children of `pid` now running (PostgreSQL's backends); those started later inherit the parent's cores. */
function childrenOf(pid: number): number[] {
  return processIds().filter((child) => {
    try {
      return Number(statFields(child)[1]) === pid;
    } catch {
      return false; // it ended while being read
    }
  });
}

export function pinCores(processes: { postgres?: number; broker?: number }): CorePinning {
  const cores = availableParallelism();
  const none = { description: null, pinOtherThreads: () => undefined };
  if (process.env.BENCH_PIN === '0' || process.platform !== 'linux' || cores < 2) return none;
  const others = `1-${cores - 1}`;
  const pinOtherThreads = () => {
    for (const tid of readdirSync(`/proc/${process.pid}/task`).map(Number)) {
      if (tid !== process.pid) setAffinity(tid, others);
    }
  };
  try {
    setAffinity(process.pid, '0');
    pinOtherThreads();
    if (processes.postgres) {
      setAffinity(processes.postgres, others, true);
      for (const backend of childrenOf(processes.postgres)) setAffinity(backend, others, true);
    }
    if (processes.broker) setAffinity(processes.broker, others, true);
  } catch (e) {
    try {
      setAffinity(process.pid, `0-${cores - 1}`);
    } catch {
      // taskset itself is missing: nothing was pinned either
    }
    return { ...none, description: `not pinned (${(e as Error).message.split('\n')[0]})` };
  }
  return {
    description:
      `service event loop on core 0; ${processes.postgres ? 'PostgreSQL, ' : ''}` +
      `${processes.broker ? 'the broker, ' : ''}the load clients and V8's helper threads on ${cores === 2 ? 'core 1' : `cores ${others}`}`,
    pinOtherThreads,
  };
}
