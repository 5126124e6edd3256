// What the bench reads of the machine it runs on, so that its figures say what hour they come from.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** The machine's CPU time since boot, over all cores, in clock ticks (the `cpu` line of /proc/stat). */
export interface MachineCpu {
  total: number;
  idle: number;
  /** Time the hypervisor ran other guests while this machine's cores had work: "steal". */
  steal: number;
}

export function machineCpu(): MachineCpu {
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

/** The share of the cores' time between two readings the hypervisor kept (steal) and left idle, in %. */
export function cpuShares(before: MachineCpu, after: MachineCpu): { steal: number; idle: number } {
  const total = after.total - before.total;
  if (total <= 0) return { steal: 0, idle: 0 };
  return {
    steal: Math.round(((after.steal - before.steal) * 100) / total),
    idle: Math.round(((after.idle - before.idle) * 100) / total),
  };
}

/** A stretch of time and the share of the cores' time the hypervisor kept in it, in %. */
export interface StealWindow {
  from: number;
  to: number;
  steal: number;
}

/**
 * Reads steal every `intervalMs` until stopped. Steal comes in bursts: in one paced run (2026-12-03)
 * every quarter-second with a command over 50 ms was in or just after one with 12–20 % steal, and
 * the run's average steal was 2 %; the windows show which latencies the hypervisor made.
 */
export function sampleSteal(intervalMs: number): { stop(): StealWindow[] } {
  const windows: StealWindow[] = [];
  let at = Date.now();
  let last = machineCpu();
  const read = () => {
    const now = Date.now();
    const cpu = machineCpu();
    windows.push({ from: at, to: now, steal: cpuShares(last, cpu).steal });
    at = now;
    last = cpu;
  };
  const timer = setInterval(read, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      read();
      return windows;
    },
  };
}

/**
 * Milliseconds one core takes for a fixed piece of work like the service's own (JSON in and out of
 * a ticket-sized object, a sort, string building), the best of five. The same code's figures move
 * with it from hour to hour on a shared host, steal or not, so a reader can tell the machine's
 * change from the code's.
 */
export function referenceWorkMs(): number {
  const ticket = {
    ticketId: '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
    lines: Array.from({ length: 3 }, (_, i) => ({
      lineId: `L${i}`,
      sku: `SKU-${i}`,
      unitPrice: 12900,
      quantity: 1,
    })),
    policy: { windows: { days: 7 }, deadlines: [4320, 10080, 1440, 2880], autoApprove: true },
    timeline: Array.from({ length: 6 }, (_, i) => ({
      at: new Date(i * 1000).toISOString(),
      note: `step ${i}`,
    })),
  };
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    let length = 0;
    for (let i = 0; i < 4000; i++) {
      const copy = JSON.parse(JSON.stringify(ticket)) as typeof ticket;
      copy.timeline.sort((a, b) => (a.at < b.at ? 1 : -1));
      length += `${copy.ticketId}:${copy.lines.length}:${copy.timeline[0].note}`.length;
    }
    if (length === 0) throw new Error('the reference work was optimised away');
    best = Math.min(best, performance.now() - started);
  }
  return Math.round(best * 10) / 10;
}
