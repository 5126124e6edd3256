// The bench's consumer, in its own thread: a real consumer runs in another process, so its
// receive time must not wait behind the writers and the relay on one event loop.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { createKafka } from '../src';

const { brokers, topic } = workerData as { brokers: string[]; topic: string };

async function main(): Promise<void> {
  const kafka = createKafka('bench-outbox-consumer', brokers);
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      const at = performance.timeOrigin + performance.now();
      parentPort?.postMessage(
        batch.messages.map((m) => ({ id: m.headers?.['ce_id']?.toString() ?? '', at })),
      );
    },
  });
  parentPort?.on('message', (m) => {
    if (m === 'stop') void consumer.disconnect().then(() => process.exit(0));
  });
}

void main();
