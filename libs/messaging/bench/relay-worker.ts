// The relay under benchmark, on a thread of its own: deployed as a sidecar or a replica of its
// own it has its own event loop, and the bench's writers (the load generator) must not sit on it.
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'pg';
import { OutboxRelay, createKafka } from '../src';

const { url, brokers } = workerData as { url: string; brokers: string[] };

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 4 });
  const relay = new OutboxRelay({
    pool,
    kafka: createKafka('bench-outbox-relay', brokers),
    listenUrl: url,
    schema: 'public',
    batchSize: 1000,
  });
  await relay.start();
  parentPort?.postMessage('started');
  parentPort?.on('message', (m) => {
    if (m === 'stop')
      void relay
        .stop()
        .then(() => pool.end())
        .then(() => process.exit(0));
  });
}

void main();
