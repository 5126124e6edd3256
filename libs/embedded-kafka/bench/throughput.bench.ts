// Produce/consume throughput of the embedded broker through kafkajs on loopback, with a
// file-backed data directory, and the broker's peak resident memory while ~1 GB passes.
// Run: npm run bench:kafka  (optional env: BENCH_MB=1024)
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
const MESSAGES_PER_PARTITION_BATCH = 900;
const CONCURRENT_SENDS = 4;
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
  // execArgv cleared: a fork would otherwise inherit this process's TypeScript loader.
  const child = fork(compileBroker(path.join(workDir, 'js')), [dataDir], { execArgv: [] });
  const { port, rss: idleRss } = await request<{ port: number; rss: number }>(child, '', 'ready');
  const kafka = new Kafka({ clientId: 'bench', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });

  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  await admin.disconnect();

  const perRequest = MESSAGES_PER_PARTITION_BATCH * PARTITIONS;
  const requestsPerProducer = Math.ceil((TOTAL_MB * 1024 * 1024) / (perRequest * VALUE_BYTES * PRODUCER_PROCESSES));
  const totalMessages = requestsPerProducer * PRODUCER_PROCESSES * perRequest;

  const producers = Array.from({ length: PRODUCER_PROCESSES }, () => fork(path.join(__dirname, 'producer-process.ts')));
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
  const done = producers.map((p) => request(p, 'go', 'done'));
  await Promise.all(done);
  const produceSecs = Number(process.hrtime.bigint() - produceStart) / 1e9;
  const afterProduce = await request<Stats>(child, 'stats', 'stats');

  let received = 0;
  let receivedBytes = 0;
  const consumer = kafka.consumer({
    groupId: 'bench-readers',
    maxBytes: 16 * 1024 * 1024,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const consumeStart = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: PARTITIONS,
      eachBatch: async ({ batch }) => {
        received += batch.messages.length;
        for (const m of batch.messages) receivedBytes += m.value?.length ?? 0;
        if (received >= totalMessages) resolve();
      },
    });
  });
  const consumeSecs = Number(process.hrtime.bigint() - consumeStart) / 1e9;
  await consumer.disconnect();
  const afterConsume = await request<Stats>(child, 'stats', 'stats');

  const payloadBytes = totalMessages * VALUE_BYTES;
  console.log(
    `messages: ${totalMessages} x ${VALUE_BYTES} B values (${mb(payloadBytes)} MB payload), ${PARTITIONS} partitions, ` +
      `${PRODUCER_PROCESSES} kafkajs producer processes x ${CONCURRENT_SENDS} concurrent sendBatch of ${perRequest} messages`,
  );
  console.log(
    `produce: ${Math.round(totalMessages / produceSecs)} msg/s, ${mb(payloadBytes / produceSecs)} MB/s (${produceSecs.toFixed(2)} s)`,
  );
  console.log(
    `consume: ${Math.round(received / consumeSecs)} msg/s, ${mb(receivedBytes / consumeSecs)} MB/s (${consumeSecs.toFixed(2)} s)`,
  );
  console.log(
    `broker RSS: idle ${mb(idleRss)} MB, peak while producing ${mb(afterProduce.peakRss)} MB, ` +
      `peak while consuming ${mb(afterConsume.peakRss)} MB, at end ${mb(afterConsume.rss)} MB`,
  );
  console.log(
    `broker CPU: ${(afterProduce.cpuMs - beforeProduce.cpuMs).toFixed(0)} ms while producing, ` +
      `${(afterConsume.cpuMs - afterProduce.cpuMs).toFixed(0)} ms while consuming`,
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
