// Produce/consume throughput of the embedded broker through kafkajs on loopback, with a
// file-backed data directory, and the broker's peak resident memory while ~1 GB passes.
// Run: npm run bench:kafka  (optional env: BENCH_MB=1024, BENCH_PRODUCERS=2, BENCH_BATCH=100
// records per partition per request, BENCH_INFLIGHT=4 concurrent sendBatch calls per producer,
// BENCH_BROKER_NODE_ARGS / BENCH_PRODUCER_NODE_ARGS extra node flags, e.g. '--cpu-prof')
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { compileBroker } from './compile-broker';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const TOTAL_MB = Number(process.env.BENCH_MB ?? 1024);
const VALUE_BYTES = 1024;
const PARTITIONS = 4;
// Kept under the broker's default message.max.bytes (1 MiB) per partition batch.
// 100 records per partition per request: kafkajs groups a request's messages by partition with
// an array spread per message (quadratic in the per-partition count), so large batches cost it
// noticeably more CPU per record. Of 50/100/150/300/900, 100 gave the lowest producer CPU per MB
// in our (noisy, shared-machine) runs.
const MESSAGES_PER_PARTITION_BATCH = Number(process.env.BENCH_BATCH ?? 100);
const CONCURRENT_SENDS = Number(process.env.BENCH_INFLIGHT ?? 4);
const PRODUCER_PROCESSES = Number(process.env.BENCH_PRODUCERS ?? 2);
const TOPIC = 'bench';

interface Stats {
  type: 'stats';
  peakRss: number;
  rss: number;
  cpuMs: number;
}

function request<T>(child: ChildProcess, message: string, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string }): void => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
    if (message) child.send(message);
  });
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-kafka-bench-'));
  const dataDir = path.join(workDir, 'data');
  // execArgv replaced: a fork would otherwise inherit this process's TypeScript loader.
  // BENCH_BROKER_NODE_ARGS passes node flags to the broker alone, e.g. '--cpu-prof'.
  const brokerArgs = (process.env.BENCH_BROKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = fork(compileBroker(path.join(workDir, 'js')), [dataDir], { execArgv: brokerArgs });
  const { port, rss: idleRss } = await request<{ port: number; rss: number }>(child, '', 'ready');
  const kafka = new Kafka({ clientId: 'bench', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });

  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  await admin.disconnect();

  const perRequest = MESSAGES_PER_PARTITION_BATCH * PARTITIONS;
  const requestsPerProducer = Math.ceil(
    (TOTAL_MB * 1024 * 1024) / (perRequest * VALUE_BYTES * PRODUCER_PROCESSES),
  );
  const totalMessages = requestsPerProducer * PRODUCER_PROCESSES * perRequest;

  const producerArgs = [
    ...process.execArgv,
    ...(process.env.BENCH_PRODUCER_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const producers = Array.from({ length: PRODUCER_PROCESSES }, () =>
    fork(path.join(__dirname, 'producer-process.ts'), [], { execArgv: producerArgs }),
  );
  const connected = producers.map((p) => request(p, '', 'connected'));
  for (const p of producers) {
    p.send({
      brokers: [`127.0.0.1:${port}`],
      topic: TOPIC,
      partitions: PARTITIONS,
      requests: requestsPerProducer,
      messagesPerPartitionBatch: MESSAGES_PER_PARTITION_BATCH,
      valueBytes: VALUE_BYTES,
      concurrentSends: CONCURRENT_SENDS,
    });
  }
  await Promise.all(connected);
  const beforeProduce = await request<Stats>(child, 'stats', 'stats');
  const produceStart = process.hrtime.bigint();
  const done = producers.map((p) => request<{ cpuMs: number }>(p, 'go', 'done'));
  const producerCpuMs = (await Promise.all(done)).map((d) => d.cpuMs);
  const produceSecs = Number(process.hrtime.bigint() - produceStart) / 1e9;
  const afterProduce = await request<Stats>(child, 'stats', 'stats');

  const produceLoad = os.loadavg()[0];

  // Each pass is a fresh consumer group reading the whole topic from the beginning. Two passes,
  // because one pass on a shared machine can land in a burst of other load.
  const consumeAll = async (
    groupId: string,
  ): Promise<{ received: number; bytes: number; secs: number; load: number }> => {
    let received = 0;
    let bytes = 0;
    const consumer = kafka.consumer({
      groupId,
      maxBytes: 16 * 1024 * 1024,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const start = process.hrtime.bigint();
    await new Promise<void>((resolve) => {
      void consumer.run({
        partitionsConsumedConcurrently: PARTITIONS,
        eachBatch: async ({ batch }) => {
          received += batch.messages.length;
          for (const m of batch.messages) bytes += m.value?.length ?? 0;
          if (received >= totalMessages) resolve();
        },
      });
    });
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    await consumer.disconnect();
    return { received, bytes, secs, load: os.loadavg()[0] };
  };
  const consumes = [await consumeAll('bench-readers-1'), await consumeAll('bench-readers-2')];
  const afterConsume = await request<Stats>(child, 'stats', 'stats');

  const payloadBytes = totalMessages * VALUE_BYTES;
  console.log(
    `messages: ${totalMessages} x ${VALUE_BYTES} B values (${mb(payloadBytes)} MB payload), ${PARTITIONS} partitions, ` +
      `${PRODUCER_PROCESSES} kafkajs producer processes x ${CONCURRENT_SENDS} concurrent sendBatch of ${perRequest} messages`,
  );
  const load = (l: number): string => `load average ${l.toFixed(2)}`;
  console.log(
    `produce: ${Math.round(totalMessages / produceSecs)} msg/s, ${mb(payloadBytes / produceSecs)} MB/s ` +
      `(${produceSecs.toFixed(2)} s, ${load(produceLoad)})`,
  );
  consumes.forEach((c, i) =>
    console.log(
      `consume pass ${i + 1}: ${Math.round(c.received / c.secs)} msg/s, ${mb(c.bytes / c.secs)} MB/s ` +
        `(${c.secs.toFixed(2)} s, ${load(c.load)})`,
    ),
  );
  console.log(
    `broker RSS: idle ${mb(idleRss)} MB, peak while producing ${mb(afterProduce.peakRss)} MB, ` +
      `peak while consuming ${mb(afterConsume.peakRss)} MB, at end ${mb(afterConsume.rss)} MB`,
  );
  console.log(
    `broker CPU: ${(afterProduce.cpuMs - beforeProduce.cpuMs).toFixed(0)} ms while producing, ` +
      `${(afterConsume.cpuMs - afterProduce.cpuMs).toFixed(0)} ms while consuming (both passes)`,
  );
  console.log(
    `producer CPU (client processes): ${producerCpuMs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`,
  );
  console.log(`bench client RSS: ${mb(process.memoryUsage().rss)} MB`);

  child.send('stop');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(workDir, { recursive: true, force: true });
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
