import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { RawMessage } from '../src';

function rawMessage(topic: string, partition: number, m: KafkaMessage): RawMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key?.toString() ?? null,
    value: m.value?.toString() ?? '',
    headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])),
  };
}

/** The first `count` messages of `topic`, read from its beginning by a consumer group of its own. */
export async function collect(kafka: Kafka, topic: string, count: number, timeoutMs = 60_000) {
  const consumer = kafka.consumer({ groupId: `collector-${randomUUID()}` });
  const got: RawMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${got.length} of ${count} messages arrived`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ message: m, partition }) => {
            got.push(rawMessage(topic, partition, m));
            if (got.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** The first message of `topic` that `matches`, read from its beginning: on a shared cluster the topic holds others. */
export async function findMessage(
  kafka: Kafka,
  topic: string,
  matches: (m: RawMessage) => boolean,
  timeoutMs = 30_000,
): Promise<RawMessage> {
  const consumer = kafka.consumer({ groupId: `finder-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<RawMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message on ${topic}`)), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ message: m, partition }) => {
            const raw = rawMessage(topic, partition, m);
            if (matches(raw)) {
              clearTimeout(timer);
              resolve(raw);
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
