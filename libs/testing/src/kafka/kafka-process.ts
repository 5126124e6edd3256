import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../net/free-port';
import { waitUntil } from '../wait/wait-until';
import type { TestKafka } from './test-kafka';

/**
 * KAFKA_BROKERS when set, otherwise the embedded broker in a process of its own, as Kafka is in
 * any deployment: for benchmarks, where a broker on the measured process's event loop would
 * inflate every latency.
 */
export async function startKafkaProcess(options: { partitions?: number } = {}): Promise<TestKafka> {
  const given = process.env.KAFKA_BROKERS;
  if (given) return { brokers: given.split(','), stop: async () => undefined };
  const port = await freePort();
  const root = join(__dirname, '../../../..');
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      join(root, 'libs/embedded-kafka/src/cli.ts'),
      '--port',
      String(port),
      '--partitions',
      String(options.partitions ?? 3),
    ],
    { cwd: root, stdio: 'ignore' },
  );
  await waitUntil(
    () => {
      if (child.exitCode !== null) throw new Error(`the Kafka broker process exited with ${child.exitCode}`);
      return listening(port);
    },
    'the Kafka broker process to listen',
    { timeoutMs: 30_000 },
  );
  return {
    brokers: [`127.0.0.1:${port}`],
    ...(child.pid ? { pid: child.pid } : {}),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
