import { CompressionTypes, EachBatchPayload } from 'kafkajs';
import { EmbeddedKafka } from '../src';
import { client, startBroker, waitFor } from './support/cluster';

interface Seen {
  key: string;
  value: string;
  header: string;
  offset: number;
}

async function produceAndConsume(broker: EmbeddedKafka, topic: string, compression: CompressionTypes) {
  const kafka = client(broker);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  await admin.disconnect();

  const total = 10_000;
  const producer = kafka.producer();
  await producer.connect();
  for (let start = 0; start < total; start += 1000) {
    const messages = Array.from({ length: 1000 }, (_, j) => {
      const i = start + j;
      return { key: `key-${i % 50}`, value: `value-${i}`, headers: { seq: String(i) } };
    });
    await producer.send({ topic, compression, messages });
  }
  await producer.disconnect();

  const byPartition = new Map<number, Seen[]>();
  let count = 0;
  const consumer = kafka.consumer({ groupId: `${topic}-readers`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }: EachBatchPayload) => {
      const list = byPartition.get(batch.partition) ?? [];
      byPartition.set(batch.partition, list);
      for (const m of batch.messages) {
        list.push({
          key: m.key?.toString() ?? '',
          value: m.value?.toString() ?? '',
          header: m.headers?.seq?.toString() ?? '',
          offset: Number(m.offset),
        });
        count++;
      }
    },
  });
  await waitFor(() => count >= total, 20_000, `${total} messages`);
  await consumer.disconnect();
  return { byPartition, total, count };
}

describe('produce and consume through kafkajs', () => {
  let broker: EmbeddedKafka;
  beforeAll(async () => (broker = await startBroker()));
  afterAll(() => broker.stop());

  it.each([
    ['uncompressed', CompressionTypes.None],
    ['gzip', CompressionTypes.GZIP],
  ])(
    'keeps 10,000 keyed %s messages intact and in per-partition order',
    async (name, compression) => {
      const { byPartition, total, count } = await produceAndConsume(broker, `orders-${name}`, compression);
      expect(count).toBe(total);
      expect([...byPartition.keys()].sort()).toEqual([0, 1, 2]);

      // Checked in plain code and asserted once: 10,000 separate expect() calls dominate the runtime.
      const problems: string[] = [];
      const keyPartition = new Map<string, number>();
      const values = new Set<string>();
      for (const [partition, seen] of byPartition) {
        let lastSeq = -1;
        seen.forEach((m, i) => {
          const seq = Number(m.header);
          // Offsets are dense from 0, and the producer's order is preserved within the partition.
          if (m.offset !== i) problems.push(`p${partition}: offset ${m.offset} at position ${i}`);
          if (seq <= lastSeq) problems.push(`p${partition}: seq ${seq} after ${lastSeq}`);
          if (m.value !== `value-${seq}` || m.key !== `key-${seq % 50}`)
            problems.push(`p${partition}: ${m.key}=${m.value}`);
          if ((keyPartition.get(m.key) ?? partition) !== partition)
            problems.push(`${m.key} in two partitions`);
          keyPartition.set(m.key, partition);
          values.add(m.value);
          lastSeq = seq;
        });
      }
      expect(problems).toEqual([]);
      expect(values.size).toBe(total);
    },
    30_000,
  );

  it('auto-creates a topic on first produce with the default partition count', async () => {
    const kafka = client(broker);
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    await producer.send({ topic: 'auto-created', messages: [{ value: 'x' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: ['auto-created'] });
    expect(meta.topics[0].partitions).toHaveLength(1);
    const offsets = await admin.fetchTopicOffsets('auto-created');
    expect(offsets[0].high).toBe('1');
    await admin.deleteTopics({ topics: ['auto-created'] });
    expect(await admin.listTopics()).not.toContain('auto-created');
    await admin.disconnect();
  });

  it('answers ListOffsets by timestamp with the first record at or after it', async () => {
    const kafka = client(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'timeline', numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    const base = Date.now() - 100_000;
    for (let i = 0; i < 5; i++) {
      await producer.send({
        topic: 'timeline',
        messages: [0, 1].map((j) => ({ value: `v${i}-${j}`, timestamp: String(base + i * 1000 + j * 10) })),
      });
    }
    await producer.disconnect();
    const at = async (ts: number) => (await admin.fetchTopicOffsetsByTimestamp('timeline', ts))[0].offset;
    expect(await at(base)).toBe('0');
    expect(await at(base + 5)).toBe('1');
    expect(await at(base + 2000)).toBe('4');
    expect(await at(base + 2001)).toBe('5');
    // Past the last record Kafka answers -1, which kafkajs turns into the high watermark.
    expect(await at(base + 999_999)).toBe('10');
    await admin.disconnect();
  });
});
