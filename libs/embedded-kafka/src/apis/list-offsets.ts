import { ApiKey } from '../protocol/api-keys';
import { ErrorCode, ErrorCodeValue } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { LEADER_EPOCH } from '../log/partition-log';
import { ApiDefinition, BrokerState } from './api';

const LATEST = -1;
const EARLIEST = -2;

interface OffsetAnswer {
  index: number;
  error: ErrorCodeValue;
  timestamp: number;
  offset: number;
}

function lookup(
  broker: BrokerState,
  topic: string,
  index: number,
  leaderEpoch: number,
  ts: number,
): OffsetAnswer {
  const log = broker.topics.partition(topic, index);
  if (!log) return { index, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1 };
  if (leaderEpoch >= 0 && leaderEpoch !== LEADER_EPOCH) {
    const error = leaderEpoch > LEADER_EPOCH ? ErrorCode.UNKNOWN_LEADER_EPOCH : ErrorCode.FENCED_LEADER_EPOCH;
    return { index, error, timestamp: -1, offset: -1 };
  }
  // Without transactions the last stable offset equals the high watermark for both isolation levels.
  if (ts === LATEST) return { index, error: ErrorCode.NONE, timestamp: -1, offset: log.highWatermark };
  if (ts === EARLIEST) return { index, error: ErrorCode.NONE, timestamp: -1, offset: log.logStartOffset };
  const found = log.offsetForTimestamp(ts);
  return { index, error: ErrorCode.NONE, timestamp: found?.timestamp ?? -1, offset: found?.offset ?? -1 };
}

export const listOffsetsApi: ApiDefinition = {
  key: ApiKey.ListOffsets,
  name: 'ListOffsets',
  // v0 returns offset arrays from segment boundaries, a model this broker does not follow.
  minVersion: 1,
  maxVersion: 5,
  handle(broker, { apiVersion: v }, r) {
    r.int32();
    if (v >= 2) r.int8();
    const topics = r.array((t) => ({
      name: t.string(),
      partitions: t.array((p) => {
        const index = p.int32();
        const leaderEpoch = v >= 4 ? p.int32() : -1;
        return { index, leaderEpoch, timestamp: p.int64() };
      }),
    }));
    const w = new Writer();
    if (v >= 2) w.int32(0);
    w.array(topics, (w, t) => {
      w.string(t.name).array(t.partitions, (w, p) => {
        const a = lookup(broker, t.name, p.index, p.leaderEpoch, p.timestamp);
        w.int32(a.index).int16(a.error).int64(a.timestamp).int64(a.offset);
        if (v >= 4) w.int32(LEADER_EPOCH);
      });
    });
    return w;
  },
};
