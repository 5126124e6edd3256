// `npm run bench:after-sales`: 32 concurrent clients apply for and approve tickets over HTTP against
// the after-sales service on embedded PostgreSQL and the embedded Kafka broker (or DATABASE_URL /
// KAFKA_BROKERS), then the read models are rebuilt from the log.
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { mintToken } from '@aftersales/auth';
import type { EventStore } from '@aftersales/event-store';
import { PG_POOL } from '@aftersales/messaging';
import { createServiceApp } from '@aftersales/service-kit';
import {
  answersReady,
  createTestDatabase,
  freePort,
  startKafkaProcess,
  TEST_JWT_SECRET,
  startSharedPostgres,
  waitUntil,
} from '@aftersales/testing';
import { AfterSalesServiceModule, attachAfterSalesConsumer } from '../src/after-sales-service.module';
import { rebuildReadModels } from '../src/application/rebuild-read-models';
import { pinCores } from './pin-cores';
import { cpuShares, machineCpu, referenceWorkMs, sampleSteal, type StealWindow } from './machine';
import type { JobResult } from './load-clients';
import { processCpuMs, processIds, processTreeCpuMs } from './proc';
import { TICKET_EVENT_STORE } from '../src/application/ticket-command.handler';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
/** Service processes: this one, plus child processes running the service's main.ts. */
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1);
/** A second, paced run: latency at a load the service is not saturated by (0 skips it). */
const RATE = Number(process.env.BENCH_RATE ?? 500);
const PACED_SECONDS = 20;
const PACED_TICKETS = Math.round((RATE * PACED_SECONDS) / 2);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 6000);
const MERCHANT = 'm-bench';
/** Rebuilds of the read models at the end, after a warm-up one (each prints its figures). */
const REBUILDS = Number(process.env.BENCH_REBUILDS ?? 1);

/** Another instance of the service, as a process of its own, on a free port; resolves once ready. */
async function startInstance(env: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '../src/main.ts')], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`a service instance exited with ${child.exitCode}`);
      return answersReady(base);
    },
    'a service instance to get ready',
    { timeoutMs: 60_000 },
  );
  return { base, child };
}

/** CPU time of every process of the postgres user and of their ended children, from /proc (Linux), in ms. */
function postgresCpuMs(): number {
  let total = 0;
  for (const pid of processIds()) {
    try {
      if (statSync(`/proc/${pid}`).uid === 0) continue;
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
      total += processTreeCpuMs(pid);
    } catch {
      // the process ended while being read
    }
  }
  return total;
}

/**
 * The machine's cores during a run: the share the hypervisor kept for other guests (steal) and the
 * share left idle. Steal was 0-4 % in some runs and 8-40 % in others within the same hour
 * (2026-12-03): a run with steal had fewer than its two cores.
 */
function machineShares(before: ReturnType<typeof machineCpu>): string {
  const { steal, idle } = cpuShares(before, machineCpu());
  return `cores: ${steal}% taken by the hypervisor (steal), ${idle}% idle`;
}

/** Issue #5's targets on 2 cores. */
const TARGET_RATE = 500;
const TARGET_P99_MS = 50;
const TARGET_REBUILD = 50_000;

/** Each target against its figure from this run: the slowest measured rebuild counts, not the best. */
function targetsLine(commandsPerSecond: number, paced: { p99: number } | null, rebuilds: number[]): string {
  const verdict = (met: boolean, figure: string) => `${met ? 'met' : 'NOT met'} (${figure})`;
  const slowest = rebuilds.length > 0 ? Math.min(...rebuilds) : null;
  return (
    `targets: ≥ ${TARGET_RATE} commands/s ${verdict(commandsPerSecond >= TARGET_RATE, String(commandsPerSecond))}; ` +
    `p99 < ${TARGET_P99_MS} ms at ${TARGET_RATE}/s offered ` +
    (paced
      ? verdict(paced.p99 < TARGET_P99_MS, `${paced.p99.toFixed(1)} ms`)
      : `not measured (BENCH_RATE=${RATE})`) +
    `; rebuild ≥ ${TARGET_REBUILD.toLocaleString('en')} events/s ` +
    (slowest === null
      ? 'not measured'
      : verdict(slowest >= TARGET_REBUILD, `${slowest.toLocaleString('en')}`))
  );
}

/** Quarter-seconds of a paced run whose steal is reported apart, and how much steal makes a burst. */
const STEAL_WINDOW_MS = 250;
const STEAL_BURST = 5;
/** A backlog built up in a burst takes this long to drain at 500/s on the cores left. */
const BURST_DRAIN_MS = 1000;

/**
 * How much of a paced run's latency the hypervisor made: the windows with a steal burst, and the
 * p99 of the commands due neither in one nor within BURST_DRAIN_MS after one. For reading the run,
 * not for the target, which the p99 of all commands above is measured against.
 */
function stealBursts(windows: StealWindow[], latencies: number[], dueAt: number[]): string {
  const bursts = windows.filter((w) => w.steal >= STEAL_BURST);
  const clear: number[] = [];
  latencies.forEach((latency, i) => {
    const due = dueAt[i];
    if (!bursts.some((w) => w.from <= due && due < w.to + BURST_DRAIN_MS)) clear.push(latency);
  });
  clear.sort((a, b) => a - b);
  const worst = Math.max(0, ...windows.map((w) => w.steal));
  return (
    `steal bursts (≥ ${STEAL_BURST}% in a ${STEAL_WINDOW_MS} ms window): ${bursts.length} of ${windows.length} windows, the worst ${worst}%; ` +
    (clear.length > 0
      ? `p99 of the ${clear.length} commands due clear of them (and ${BURST_DRAIN_MS} ms after): ${percentile(clear, 99).toFixed(1)} ms`
      : 'no command was due clear of them')
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const pg = await startSharedPostgres();
  process.env.DATABASE_URL = pg.url;
  const db = await createTestDatabase('bench_after_sales');
  const kafka = await startKafkaProcess();
  const env = {
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: 'after_sales',
    KAFKA_BROKERS: kafka.brokers.join(','),
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    DEADLINE_POLL_INTERVAL_MS: '0',
    ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
  };
  const app = await createServiceApp(AfterSalesServiceModule.forRoot({ env }), {
    title: 'bench',
    quiet: true,
  });
  attachAfterSalesConsumer(app);
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const bases = [`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`];
  const others: ChildProcess[] = [];
  for (let i = 1; i < INSTANCES; i++) {
    const instance = await startInstance(env);
    bases.push(instance.base);
    others.push(instance.child);
  }
  const othersCpuMs = () => others.reduce((sum, c) => sum + (c.pid ? processCpuMs(c.pid) : 0), 0);
  const pool = app.get<Pool>(PG_POOL);
  const pinning =
    INSTANCES === 1
      ? pinCores({ postgres: pg.pid, broker: kafka.pid })
      : { description: 'not pinned (several service processes)', pinOtherThreads: () => undefined };

  // Orders arrive from the order service; seeding the projection directly keeps the bench on tickets.
  const now = new Date();
  const orders = Array.from({ length: TICKETS + PACED_TICKETS }, (_, i) => ({
    orderId: `o-${i}`,
    merchantId: MERCHANT,
    customerId: `c-${i % 500}`,
    state: 'SHIPPED',
    // Paid two days ago: outside the refund auto-approval window, so every ticket waits for review.
    paidAt: new Date(now.getTime() - 2 * 24 * 3600_000).toISOString(),
    completedAt: null,
    paymentNo: `PAY-${i}`,
    lines: [{ lineId: 'L1', sku: 'SKU-1', title: 'Kettle', category: 'home', unitPrice: 12900, quantity: 1 }],
    couponDiscount: 500,
    promotionDiscount: 0,
    coinsDeduction: 100,
    shippingFee: 1000,
    platformSubsidy: 0,
  }));
  for (let i = 0; i < orders.length; i += 1000) {
    const chunk = orders.slice(i, i + 1000);
    await pool.query(
      `INSERT INTO orders (order_id, revision, snapshot, updated_at) SELECT o, 1, s, now() FROM unnest($1::text[], $2::jsonb[]) AS t(o, s)`,
      [chunk.map((o) => o.orderId), chunk.map((o) => JSON.stringify(o))],
    );
  }
  const agent = `Bearer ${await mintToken({ role: 'merchant_agent', id: 'a-1', merchantId: MERCHANT, secret: TEST_JWT_SECRET })}`;
  const customers = new Map<string, string>();
  for (let c = 0; c < 500; c++) {
    customers.set(
      `c-${c}`,
      `Bearer ${await mintToken({ role: 'customer', id: `c-${c}`, secret: TEST_JWT_SECRET })}`,
    );
  }

  const clientsWorker = new Worker(join(__dirname, 'load-clients.ts'), {
    execArgv: ['-r', '@swc-node/register'],
  });
  clientsWorker.once('online', () => pinning.pinOtherThreads());
  const runClients = (clients: number, from: number, to: number, ratePerSecond?: number) =>
    new Promise<JobResult>((resolve, reject) => {
      clientsWorker.once('error', reject);
      clientsWorker.once('message', (result: JobResult) => {
        clientsWorker.off('error', reject);
        resolve(result);
      });
      clientsWorker.postMessage({
        bases,
        clients,
        agent,
        orders: orders
          .slice(from, to)
          .map((o) => ({ orderId: o.orderId, customerToken: customers.get(o.customerId) ?? '' })),
        ratePerSecond,
      });
    });
  /** The relay may still be publishing earlier commands: wait, so that a run starts on its own. */
  const outboxDrained = async () => {
    for (let i = 0; i < 600; i++) {
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`,
      );
      if (rows[0].n === '0') return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  // Warm-up (JIT, connection pools, Kafka metadata) on orders the measured run does not use.
  const warmup = Math.min(200, Math.floor(TICKETS / 10));
  const measured = TICKETS - warmup;
  await runClients(8, measured, TICKETS);
  // The main thread alone: the service's event loop, without the clients' worker and V8's helpers.
  const loopCpuMs = () => processCpuMs(process.pid, process.pid);
  const brokerCpuMs = () => (kafka.pid ? processCpuMs(kafka.pid) : 0);
  /** Runs the clients and prints what the commands took, and what they cost every process. */
  const measure = async (label: string, from: number, to: number, ratePerSecond?: number) => {
    await outboxDrained();
    const before = {
      service: process.cpuUsage(),
      loop: loopCpuMs(),
      others: othersCpuMs(),
      postgres: postgresCpuMs(),
      broker: brokerCpuMs(),
      busy: performance.eventLoopUtilization(),
      machine: machineCpu(),
    };
    // Only a paced run's latencies say anything per quarter-second; the timer is the loop's work too.
    const steal = ratePerSecond ? sampleSteal(STEAL_WINDOW_MS) : null;
    const { latencies, dueAt, failures, seconds } = await runClients(CLIENTS, from, to, ratePerSecond);
    const windows = steal?.stop();
    const own = process.cpuUsage(before.service);
    const perCommand = (ms: number) => (ms / latencies.length).toFixed(2);
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `${label}: ${latencies.length} in ${seconds.toFixed(2)} s = ${Math.round(latencies.length / seconds)} commands/s, ` +
        `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, failures ${failures}`,
    );
    console.log(
      `  CPU per command: service ${perCommand((own.user + own.system) / 1000 + othersCpuMs() - before.others)} ms ` +
        `(clients' worker thread included; the event loop's thread ${perCommand(loopCpuMs() - before.loop)} ms), ` +
        `PostgreSQL ${perCommand(postgresCpuMs() - before.postgres)} ms, ` +
        `Kafka broker ${kafka.pid ? `${perCommand(brokerCpuMs() - before.broker)} ms` : 'not measured'}; ` +
        `the bench's own service event loop busy ` +
        `${Math.round(performance.eventLoopUtilization(before.busy).utilization * 100)}% of the time`,
    );
    console.log(`  ${machineShares(before.machine)}`);
    if (windows) console.log(`  ${stealBursts(windows, latencies, dueAt)}`);
    return { commandsPerSecond: Math.round(latencies.length / seconds), p99: percentile(sorted, 99) };
  };

  console.log(`cores: ${pinning.description ?? 'not pinned (BENCH_PIN=0)'}`);
  console.log(
    `machine: reference work ${referenceWorkMs()} ms on one core (lower is faster; see docs/performance.md)`,
  );
  console.log(
    `after-sales over HTTP: ${CLIENTS} clients, ${INSTANCES} service process${INSTANCES > 1 ? 'es' : ''}, ${measured} tickets applied + approved (embedded PostgreSQL: ${pg.embedded}, Kafka: ${process.env.KAFKA_BROKERS ? 'KAFKA_BROKERS' : 'embedded broker in its own process'})`,
  );
  const fastest = await measure('commands, as fast as answered', 0, measured);
  let paced: { p99: number } | null = null;
  if (PACED_TICKETS > 0) {
    paced = await measure(
      `paced at ${RATE} commands/s offered (latency from when each command was due)`,
      TICKETS,
      TICKETS + PACED_TICKETS,
      RATE,
    );
  }

  await outboxDrained();
  // The process's first rebuild also compiles the rebuild's code (TurboFan, on the core PostgreSQL
  // works on): ~250 ms more CPU, once per process, whatever the log's length. Like the commands'
  // warm-up, it runs first and is printed apart; the figures after it are the rate without that
  // one-off cost (docs/performance.md, session 7).
  const rebuilds: number[] = [];
  for (let run = 0; run <= REBUILDS; run++) {
    const before = { service: process.cpuUsage(), postgres: postgresCpuMs(), machine: machineCpu() };
    const report = await rebuildReadModels(pool, app.get<EventStore>(TICKET_EVENT_STORE));
    const own = process.cpuUsage(before.service);
    const perEvent = (ms: number) => ((ms * 1000) / report.events).toFixed(1);
    const label =
      run === 0
        ? 'rebuild, warm-up (the JIT compiles the rebuild)'
        : `rebuild${REBUILDS > 1 ? ` ${run}/${REBUILDS}` : ''}`;
    console.log(
      `${label}: ${report.events} events, ${report.tickets} tickets in ${report.seconds.toFixed(2)} s = ${report.eventsPerSecond} events/s; ` +
        `CPU per event: service ${perEvent((own.user + own.system) / 1000)} µs, PostgreSQL ${perEvent(postgresCpuMs() - before.postgres)} µs`,
    );
    console.log(`  ${machineShares(before.machine)}`);
    if (run > 0) rebuilds.push(report.eventsPerSecond);
  }

  console.log(`machine: reference work ${referenceWorkMs()} ms at the end`);
  console.log(targetsLine(fastest.commandsPerSecond, RATE === TARGET_RATE ? paced : null, rebuilds));
  await clientsWorker.terminate();
  for (const child of others) child.kill('SIGTERM');
  await app.close();
  await kafka.stop();
  await db.drop();
  await pg.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
