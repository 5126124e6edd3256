import { EmbeddedKafka } from '../src';
import { ApiKey } from '../src/protocol/api-keys';
import { ErrorCode } from '../src/protocol/error-codes';
import { Writer } from '../src/protocol/writer';
import { buildBatch } from './support/batch-builder';
import { client, startBroker, waitFor } from './support/cluster';
import { RawClient } from './support/raw-client';

async function initProducerId(raw: RawClient): Promise<number> {
  const r = await raw.request(ApiKey.InitProducerId, 1, new Writer().nullableString(null).int32(60_000));
  r.int32();
  expect(r.int16()).toBe(ErrorCode.NONE);
  return r.int64();
}

/** Produce v7 of one batch to partition 0; returns [errorCode, baseOffset]. */
async function produce(raw: RawClient, topic: string, batch: Buffer): Promise<[number, number]> {
  const body = new Writer().nullableString(null).int16(-1).int32(5000);
  body.array([topic], (w, t) => w.string(t).array([batch], (w, b) => w.int32(0).bytes(b)));
  const r = await raw.request(ApiKey.Produce, 7, body);
  r.int32();
  r.string();
  r.int32();
  r.int32();
  const error = r.int16();
  return [error, r.int64()];
}

async function highWatermark(raw: RawClient, topic: string): Promise<number> {
  const body = new Writer().int32(-1).int8(0);
  body.array([topic], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int64(-1)));
  const r = await raw.request(ApiKey.ListOffsets, 2, body);
  r.int32();
  r.int32();
  r.string();
  r.int32();
  r.int32();
  expect(r.int16()).toBe(ErrorCode.NONE);
  r.int64();
  return r.int64();
}

describe('idempotent producer', () => {
  let broker: EmbeddedKafka;
  let raw: RawClient;
  beforeAll(async () => {
    broker = await startBroker();
    raw = await RawClient.connect(broker.port);
  });
  afterAll(async () => {
    raw.close();
    await broker.stop();
  });

  it('stores a retried batch once and answers the retry with the original offset', async () => {
    const producerId = await initProducerId(raw);
    const records = [0, 1, 2].map((i) => ({ key: `k${i}`, value: `v${i}` }));
    const first = buildBatch({ producerId, producerEpoch: 0, baseSequence: 0, records });

    expect(await produce(raw, 'idem', first)).toEqual([ErrorCode.NONE, 0]);
    // The same bytes again, as a producer retrying after a lost response would send them.
    expect(await produce(raw, 'idem', first)).toEqual([ErrorCode.NONE, 0]);
    expect(await highWatermark(raw, 'idem')).toBe(3);

    const next = buildBatch({ producerId, producerEpoch: 0, baseSequence: 3, records });
    expect(await produce(raw, 'idem', next)).toEqual([ErrorCode.NONE, 3]);
    expect(await highWatermark(raw, 'idem')).toBe(6);
  });

  it('rejects a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER and stores nothing', async () => {
    const producerId = await initProducerId(raw);
    const records = [{ key: null, value: 'x' }];
    expect(
      await produce(raw, 'gaps', buildBatch({ producerId, producerEpoch: 0, baseSequence: 0, records })),
    ).toEqual([ErrorCode.NONE, 0]);
    const [error] = await produce(
      raw,
      'gaps',
      buildBatch({ producerId, producerEpoch: 0, baseSequence: 5, records }),
    );
    expect(error).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await highWatermark(raw, 'gaps')).toBe(1);
  });

  it('rejects a batch whose CRC does not match its contents', async () => {
    const batch = buildBatch({ records: [{ key: null, value: 'intact' }] });
    batch[batch.length - 2] ^= 0xff;
    const [error] = await produce(raw, 'crc', batch);
    expect(error).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('works with the kafkajs idempotent producer end to end', async () => {
    const kafka = client(broker);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < 5; i++) {
      await producer.send({
        topic: 'idem-kafkajs',
        messages: [
          { key: 'k', value: `v${i}` },
          { key: 'k', value: `w${i}` },
        ],
      });
    }
    await producer.disconnect();
    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId: 'idem-reader', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'idem-kafkajs', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? ''),
    });
    await waitFor(() => seen.length === 10, 10_000, 'idempotent messages');
    await consumer.disconnect();
    expect(seen).toEqual([0, 1, 2, 3, 4].flatMap((i) => [`v${i}`, `w${i}`]));
  }, 20_000);
});
