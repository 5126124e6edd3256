import * as fs from 'node:fs';
import { client, startBroker, tempDir, waitFor } from './support/cluster';

describe('file-backed broker restart', () => {
  const dataDir = tempDir('embedded-kafka-restart');
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps messages and committed offsets across a restart with the same dataDir', async () => {
    const first = await startBroker({ dataDir });
    const kafka1 = client(first);
    const admin1 = kafka1.admin();
    await admin1.connect();
    await admin1.createTopics({ topics: [{ topic: 'durable', numPartitions: 2 }] });
    await admin1.disconnect();
    const producer = kafka1.producer();
    await producer.connect();
    await producer.send({
      topic: 'durable',
      messages: Array.from({ length: 500 }, (_, i) => ({
        key: `k${i}`,
        value: `before-${i}`,
        headers: { i: String(i) },
      })),
    });
    await producer.disconnect();

    const seen: string[] = [];
    const consumer = kafka1.consumer({ groupId: 'keeper', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'durable', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? ''),
    });
    await waitFor(() => seen.length === 500, 10_000, 'first consumption');
    await consumer.disconnect();
    await first.stop();

    const second = await startBroker({ dataDir });
    try {
      const kafka2 = client(second);
      const admin2 = kafka2.admin();
      await admin2.connect();
      expect(await admin2.listTopics()).toContain('durable');
      const committed = await admin2.fetchOffsets({ groupId: 'keeper', topics: ['durable'] });
      const highs = await admin2.fetchTopicOffsets('durable');
      const sum = (xs: { offset?: string; high?: string }[], f: 'offset' | 'high') =>
        xs.reduce((n, x) => n + Number(x[f]), 0);
      expect(sum(committed[0].partitions, 'offset')).toBe(500);
      expect(sum(highs, 'high')).toBe(500);
      await admin2.disconnect();

      // New writes continue after the recovered offsets instead of overwriting them.
      const producer2 = kafka2.producer();
      await producer2.connect();
      await producer2.send({
        topic: 'durable',
        messages: Array.from({ length: 10 }, (_, i) => ({ value: `after-${i}` })),
      });
      await producer2.disconnect();

      // The old group resumes from its committed offsets: only the new messages arrive.
      const resumed: string[] = [];
      const again = kafka2.consumer({ groupId: 'keeper', maxWaitTimeInMs: 200 });
      await again.connect();
      await again.subscribe({ topic: 'durable', fromBeginning: true });
      await again.run({
        eachMessage: async ({ message }) => void resumed.push(message.value?.toString() ?? ''),
      });
      await waitFor(() => resumed.length >= 10, 10_000, 'resumed consumption');
      await new Promise((r) => setTimeout(r, 300));
      await again.disconnect();
      expect(resumed.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `after-${i}`).sort());

      // A fresh group reads everything back from disk, headers included.
      const everything: string[] = [];
      let headersOk = true;
      const fresh = kafka2.consumer({ groupId: 'newcomer', maxWaitTimeInMs: 200 });
      await fresh.connect();
      await fresh.subscribe({ topic: 'durable', fromBeginning: true });
      await fresh.run({
        eachMessage: async ({ message }) => {
          const value = message.value?.toString() ?? '';
          if (value.startsWith('before-') && message.headers?.i?.toString() !== value.slice(7))
            headersOk = false;
          everything.push(value);
        },
      });
      await waitFor(() => everything.length === 510, 10_000, 'full re-read');
      await fresh.disconnect();
      expect(headersOk).toBe(true);
      expect(new Set(everything).size).toBe(510);
    } finally {
      await second.stop();
    }
  }, 30_000);
});
