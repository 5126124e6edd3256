import { ApiKey } from '../protocol/api-keys';
import { ErrorCode, ErrorCodeValue } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { splitProducedBatches } from '../records/record-batch';
import { ApiDefinition, BrokerState } from './api';

interface PartitionResult {
  index: number;
  error: ErrorCodeValue;
  baseOffset: number;
  logStartOffset: number;
}

function appendToPartition(
  broker: BrokerState,
  topicName: string,
  index: number,
  records: Buffer | null,
): PartitionResult {
  const fail = (error: ErrorCodeValue): PartitionResult => ({
    index,
    error,
    baseOffset: -1,
    logStartOffset: -1,
  });
  const lookup = broker.topics.getOrCreate(topicName);
  if ('error' in lookup) return fail(lookup.error);
  const log = lookup.topic.partitions[index];
  if (!log) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (!records || records.length === 0) return fail(ErrorCode.INVALID_RECORD);
  const split = splitProducedBatches(records);
  if (!split.ok) return fail(split.error);
  if (split.batches.some((b) => b.buf.length > broker.maxMessageBytes))
    return fail(ErrorCode.MESSAGE_TOO_LARGE);

  let firstOffset = -1;
  for (const { buf, header } of split.batches) {
    const check = log.producers.check(header);
    if (check.kind === 'reject') return fail(check.error);
    let baseOffset: number;
    if (check.kind === 'duplicate') {
      // A retry of a batch already in the log: acknowledge it with the offset it got then.
      baseOffset = check.baseOffset;
    } else {
      try {
        baseOffset = log.append(buf, header);
      } catch (err) {
        broker.log.warn(`append to ${topicName}-${index} failed: ${(err as Error).message}`);
        return fail(ErrorCode.KAFKA_STORAGE_ERROR);
      }
    }
    if (firstOffset < 0) firstOffset = baseOffset;
  }
  return { index, error: ErrorCode.NONE, baseOffset: firstOffset, logStartOffset: log.logStartOffset };
}

export const produceApi: ApiDefinition = {
  key: ApiKey.Produce,
  name: 'Produce',
  // v0-v2 carry message format v0/v1, which this broker does not store.
  minVersion: 3,
  maxVersion: 8,
  handle(broker, { apiVersion: v }, r) {
    r.nullableString();
    const acks = r.int16();
    r.int32();
    const topics = r.array((t) => ({
      name: t.string(),
      partitions: t.array((p) => ({ index: p.int32(), records: p.nullableBytes() })),
    }));

    const validAcks = acks === 0 || acks === 1 || acks === -1;
    const results = topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) =>
        validAcks
          ? appendToPartition(broker, t.name, p.index, p.records)
          : { index: p.index, error: ErrorCode.INVALID_REQUIRED_ACKS, baseOffset: -1, logStartOffset: -1 },
      ),
    }));
    // With acks=0 the producer expects no response at all.
    if (acks === 0) return null;

    const w = new Writer();
    w.array(results, (w, t) => {
      w.string(t.name).array(t.partitions, (w, p) => {
        w.int32(p.index).int16(p.error).int64(p.baseOffset).int64(-1);
        if (v >= 5) w.int64(p.logStartOffset);
        if (v >= 8) w.array([], () => undefined).nullableString(null);
      });
    });
    w.int32(0);
    return w;
  },
};
