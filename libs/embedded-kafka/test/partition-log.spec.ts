import * as fs from 'node:fs';
import * as path from 'node:path';
import { PartitionLog } from '../src/log/partition-log';
import { readBatchHeader, splitProducedBatches } from '../src/records/record-batch';
import { buildBatch } from './support/batch-builder';
import { tempDir } from './support/cluster';

function append(log: PartitionLog, batch: Buffer): number {
  const split = splitProducedBatches(batch);
  if (!split.ok) throw new Error(`invalid batch ${split.error}`);
  const [{ buf, header }] = split.batches;
  return log.append(buf, header);
}

describe('file-backed partition log', () => {
  const dir = tempDir('embedded-kafka-log');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rolls segments, reads across them and recovers after a torn write', () => {
    const logDir = path.join(dir, 'p-0');
    const log = PartitionLog.open({ dir: logDir, segmentBytes: 400 });
    const base = 1_700_000_000_000;
    for (let i = 0; i < 20; i++) {
      const batch = buildBatch({
        producerId: 42,
        producerEpoch: 0,
        baseSequence: i * 2,
        timestamp: base + i * 1000,
        records: [
          { key: 'k', value: `a${i}` },
          { key: 'k', value: `b${i}` },
        ],
      });
      expect(append(log, batch)).toBe(i * 2);
    }
    expect(fs.readdirSync(logDir).length).toBeGreaterThan(3);
    const fromMiddle = Buffer.concat(log.read(13, 1 << 20, true));
    expect(readBatchHeader(fromMiddle).baseOffset).toBe(12);
    expect(log.offsetForTimestamp(base + 7000)).toEqual({ offset: 14, timestamp: base + 7000 });
    log.close();

    // A crash mid-append leaves half a batch at the end of the last segment.
    const last = fs.readdirSync(logDir).sort().at(-1) as string;
    fs.appendFileSync(
      path.join(logDir, last),
      buildBatch({ records: [{ key: null, value: 'torn' }] }).subarray(0, 30),
    );

    const reopened = PartitionLog.open({ dir: logDir, segmentBytes: 400 });
    expect(reopened.highWatermark).toBe(40);
    // Producer state was rebuilt from the log: a retry of the last batch is still recognised.
    const retry = buildBatch({
      producerId: 42,
      producerEpoch: 0,
      baseSequence: 38,
      records: [
        { key: 'k', value: 'a19' },
        { key: 'k', value: 'b19' },
      ],
    });
    const split = splitProducedBatches(retry);
    if (!split.ok) throw new Error('invalid retry batch');
    expect(reopened.producers.check(split.batches[0].header)).toEqual({ kind: 'duplicate', baseOffset: 38 });
    expect(append(reopened, buildBatch({ records: [{ key: null, value: 'next' }] }))).toBe(40);
    reopened.close();
  });
});
