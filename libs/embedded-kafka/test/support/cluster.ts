import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { EmbeddedKafka, EmbeddedKafkaOptions } from '../../src';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

export function startBroker(options: EmbeddedKafkaOptions = {}): Promise<EmbeddedKafka> {
  return EmbeddedKafka.start({ port: 0, ...options });
}

export function client(broker: EmbeddedKafka, clientId = 'test'): Kafka {
  return new Kafka({ clientId, brokers: broker.brokers, logLevel: logLevel.NOTHING, retry: { retries: 5 } });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** Resolves when `condition` holds, checking after every `intervalMs`; fails after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
