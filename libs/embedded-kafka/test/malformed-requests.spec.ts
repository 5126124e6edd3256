import { EmbeddedKafka } from '../src';
import { ApiKey } from '../src/protocol/api-keys';
import { ErrorCode } from '../src/protocol/error-codes';
import { Writer } from '../src/protocol/writer';
import { client, startBroker } from './support/cluster';
import { RawClient } from './support/raw-client';

function frame(bytes: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(bytes.length);
  return Buffer.concat([size, bytes]);
}

function header(apiKey: number, version: number): Buffer {
  return Buffer.concat(new Writer().int16(apiKey).int16(version).int32(7).nullableString('bad').buffers());
}

describe('malformed and unsupported requests', () => {
  let broker: EmbeddedKafka;
  beforeAll(async () => (broker = await startBroker()));
  afterAll(() => broker.stop());

  async function expectClosed(bytes: Buffer): Promise<void> {
    const raw = await RawClient.connect(broker.port);
    raw.write(bytes);
    await raw.closed;
  }

  async function expectBrokerHealthy(): Promise<void> {
    const admin = client(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: `healthy-${Date.now()}`, numPartitions: 1 }] });
    await admin.disconnect();
  }

  it('closes the connection on a body shorter than its fields', async () => {
    // Metadata v1 declaring 5 topics but carrying none.
    await expectClosed(frame(Buffer.concat([header(ApiKey.Metadata, 1), Buffer.from([0, 0, 0, 5])])));
    await expectBrokerHealthy();
  });

  it('closes the connection on an oversized or negative size prefix', async () => {
    await expectClosed(Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3]));
    await expectClosed(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    await expectBrokerHealthy();
  });

  it('closes the connection on an unknown api key and on a truncated header', async () => {
    await expectClosed(frame(header(999, 0)));
    await expectClosed(frame(Buffer.from([0, 3, 0])));
    await expectBrokerHealthy();
  });

  it('survives a client vanishing mid-frame', async () => {
    const raw = await RawClient.connect(broker.port);
    raw.write(Buffer.from([0, 0, 1, 0, 0, 3]));
    raw.close();
    await expectBrokerHealthy();
  });

  it('answers ApiVersions at an unknown version with UNSUPPORTED_VERSION and its ranges', async () => {
    const raw = await RawClient.connect(broker.port);
    const r = await raw.request(ApiKey.ApiVersions, 99, new Writer());
    expect(r.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const apis = r.array((a) => ({ key: a.int16(), min: a.int16(), max: a.int16() }));
    expect(apis).toContainEqual({ key: ApiKey.ApiVersions, min: 0, max: 2 });
    expect(apis).toContainEqual({ key: ApiKey.Fetch, min: 4, max: 11 });
    raw.close();
  });

  it('reassembles a request arriving one byte at a time', async () => {
    const raw = await RawClient.connect(broker.port);
    const bytes = frame(header(ApiKey.ApiVersions, 0));
    const response = new Promise<Buffer>((resolve) => raw.socket.once('data', resolve));
    for (const b of bytes) {
      raw.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    const data = await response;
    expect(data.readInt32BE(4)).toBe(7);
    expect(data.readInt16BE(8)).toBe(ErrorCode.NONE);
    raw.close();
  });

  it('rejects a produce with invalid acks per partition', async () => {
    const raw = await RawClient.connect(broker.port);
    const body = new Writer().nullableString(null).int16(5).int32(1000);
    body.array(['acks'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).bytes(Buffer.alloc(0))));
    const r = await raw.request(ApiKey.Produce, 7, body);
    r.int32();
    r.string();
    r.int32();
    r.int32();
    expect(r.int16()).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    raw.close();
  });
});
