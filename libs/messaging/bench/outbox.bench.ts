// `npm run bench:outbox`: events committed through the outbox until each is consumed from Kafka.
// Embedded PostgreSQL and the embedded Kafka broker unless DATABASE_URL / KAFKA_BROKERS are set.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { createTestDatabase, startKafkaProcess, uniqueTopic, startSharedPostgres } from '@aftersales/testing';
import { addToOutbox, migrateMessaging, type OutgoingMessage } from '../src';

const THROUGHPUT_EVENTS = Number(process.env.BENCH_EVENTS ?? 30_000);
const RATE = 1000;
const RATE_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const pg = await startSharedPostgres();
  process.env.DATABASE_URL = pg.url;
  const db = await createTestDatabase('bench_outbox');
  const kafkaServer = await startKafkaProcess({ partitions: 6 });
  const pool = new Pool({ connectionString: db.url, max: 16 });
  await migrateMessaging(pool);
  const relay = new Worker(join(__dirname, 'relay-worker.ts'), {
    execArgv: ['-r', '@swc-node/register'],
    workerData: { url: db.url, brokers: kafkaServer.brokers },
  });
  await new Promise((r) => relay.once('message', r));

  const topic = uniqueTopic('bench');
  const committedAt = new Map<string, number>();
  const consumedAt = new Map<string, number>();
  const latencies: number[] = [];
  let consumed = 0;
  let onConsumed: (() => void) | undefined;
  const consumer = new Worker(join(__dirname, 'consumer-worker.ts'), {
    execArgv: ['-r', '@swc-node/register'],
    workerData: { brokers: kafkaServer.brokers, topic },
  });
  consumer.on('message', (received: { id: string; at: number }[]) => {
    for (const { id, at } of received) {
      const t = committedAt.get(id);
      // Consumed before this thread got round to noting the commit: match it when it does.
      if (t === undefined) consumedAt.set(id, at);
      else latencies.push(at - t);
      consumed++;
    }
    onConsumed?.();
  });

  const message = (key: string): OutgoingMessage => {
    const id = randomUUID();
    return {
      id,
      topic,
      key,
      value: JSON.stringify({ key, at: Date.now() }),
      headers: { ce_id: id, ce_type: 'bench' },
    };
  };
  const commit = async (messages: OutgoingMessage[]) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await addToOutbox(client, messages);
      await client.query('COMMIT');
      const t = performance.timeOrigin + performance.now();
      for (const m of messages) {
        committedAt.set(m.id, t);
        const at = consumedAt.get(m.id);
        if (at !== undefined) latencies.push(Math.max(0, at - t));
      }
    } finally {
      client.release();
    }
  };
  const waitFor = (target: number) =>
    new Promise<void>((resolve) => {
      onConsumed = () => consumed >= target && resolve();
      onConsumed();
    });

  // Warm-up: topic creation, group join, first metadata.
  await commit([message('warm')]);
  await waitFor(1);
  latencies.length = 0;

  // 1. Throughput: 8 writers, 10 events per transaction, as fast as they go.
  const start = performance.now();
  const base = consumed;
  let next = 0;
  const writer = async () => {
    while (next < THROUGHPUT_EVENTS) {
      next += 10;
      await commit(Array.from({ length: 10 }, (_, i) => message(`order-${(next + i) % 500}`)));
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
  await waitFor(base + THROUGHPUT_EVENTS);
  const seconds = (performance.now() - start) / 1000;
  const throughput = THROUGHPUT_EVENTS / seconds;

  // 2. Latency at a fixed 1,000 events/s, one event per transaction.
  latencies.length = 0;
  const before = consumed;
  const total = RATE * RATE_SECONDS;
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(commit([message(`order-${i % 500}`)]));
  }
  await Promise.all(inflight);
  await waitFor(before + total);
  const sorted = [...latencies].sort((a, b) => a - b);

  console.log(
    `outbox -> Kafka -> consumer (embedded PostgreSQL: ${pg.embedded}, Kafka: ${process.env.KAFKA_BROKERS ? 'KAFKA_BROKERS' : 'embedded broker in its own process'})`,
  );
  console.log(
    `throughput: ${THROUGHPUT_EVENTS} events in ${seconds.toFixed(2)} s = ${Math.round(throughput)} events/s (8 writers, 10 per tx)`,
  );
  console.log(
    `latency at ${RATE}/s for ${RATE_SECONDS} s (${sorted.length} events): p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`,
  );

  consumer.postMessage('stop');
  await new Promise((r) => consumer.once('exit', r));
  relay.postMessage('stop');
  await new Promise((r) => relay.once('exit', r));
  await pool.end();
  await kafkaServer.stop();
  await db.drop();
  await pg.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
