import { EmbeddedKafka } from '../src';
import { ApiKey } from '../src/protocol/api-keys';
import { Writer } from '../src/protocol/writer';
import { client, startBroker, waitFor } from './support/cluster';
import { RawClient } from './support/raw-client';

function fetchRequest(topic: string, offset: number, maxWaitMs: number, minBytes: number): Writer {
  const w = new Writer()
    .int32(-1)
    .int32(maxWaitMs)
    .int32(minBytes)
    .int32(1 << 20)
    .int8(0)
    .int32(0)
    .int32(-1);
  w.array([topic], (w, t) =>
    w.string(t).array([0], (w, p) =>
      w
        .int32(p)
        .int32(-1)
        .int64(offset)
        .int64(-1)
        .int32(1 << 20),
    ),
  );
  return w.array([], () => undefined).string('');
}

describe('fetch long polling', () => {
  let broker: EmbeddedKafka;
  beforeAll(async () => (broker = await startBroker()));
  afterAll(() => broker.stop());

  it("wakes a waiting kafkajs consumer's fetch on produce instead of holding it for maxWait", async () => {
    const kafka = client(broker);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'live', messages: [{ value: 'warm-up' }] });

    const arrivals = new Map<string, number>();
    // A long maxWait: only the broker's wake-up on append can make delivery fast.
    const consumer = kafka.consumer({ groupId: 'live-readers', maxWaitTimeInMs: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'live', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void arrivals.set(message.value?.toString() ?? '', Date.now()),
    });
    await waitFor(() => arrivals.has('warm-up'), 10_000, 'warm-up message');

    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      // Let the consumer settle into its next long-polling fetch.
      await new Promise((r) => setTimeout(r, 300));
      const sentAt = Date.now();
      await producer.send({ topic: 'live', messages: [{ value: `live-${i}` }] });
      await waitFor(() => arrivals.has(`live-${i}`), 5000, `live-${i}`, 2);
      latencies.push((arrivals.get(`live-${i}`) ?? Infinity) - sentAt);
    }
    await consumer.disconnect();
    await producer.disconnect();
    // The fetch would otherwise be held for its 10 s maxWait. Delivery is a few milliseconds on an
    // idle machine; the bound leaves room for a loaded CI runner without losing the point.
    expect(Math.max(...latencies)).toBeLessThan(5000);
  }, 30_000);

  it('holds an empty fetch for maxWait and answers it when nothing arrives', async () => {
    const raw = await RawClient.connect(broker.port);
    const kafka = client(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'quiet', numPartitions: 1 }] });
    await admin.disconnect();
    const started = Date.now();
    const r = await raw.request(ApiKey.Fetch, 11, fetchRequest('quiet', 0, 300, 1));
    const waited = Date.now() - started;
    raw.close();
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(3000);
    r.int32();
    expect(r.int16()).toBe(0);
  });

  it('waits for minBytes to accumulate before answering', async () => {
    const raw = await RawClient.connect(broker.port);
    const kafka = client(broker);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'accumulate', messages: [{ value: 'small' }] });
    let answered = false;
    const pending = raw
      .request(ApiKey.Fetch, 11, fetchRequest('accumulate', 0, 5000, 2000))
      .then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    await producer.send({ topic: 'accumulate', messages: [{ value: 'x'.repeat(3000) }] });
    await pending;
    raw.close();
    await producer.disconnect();
  });
});
