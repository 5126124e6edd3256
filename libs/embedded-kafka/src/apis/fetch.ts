import { ApiKey } from '../protocol/api-keys';
import { ErrorCode, ErrorCodeValue } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { LEADER_EPOCH, PartitionLog } from '../log/partition-log';
import { ApiDefinition, BrokerState } from './api';

const READ_COMMITTED = 1;

interface FetchPartition {
  index: number;
  leaderEpoch: number;
  fetchOffset: number;
  maxBytes: number;
}

interface FetchTopic {
  name: string;
  partitions: FetchPartition[];
}

interface PartitionData {
  index: number;
  error: ErrorCodeValue;
  highWatermark: number;
  logStartOffset: number;
  records: Buffer[];
}

function leaderEpochError(epoch: number): ErrorCodeValue {
  if (epoch < 0 || epoch === LEADER_EPOCH) return ErrorCode.NONE;
  return epoch > LEADER_EPOCH ? ErrorCode.UNKNOWN_LEADER_EPOCH : ErrorCode.FENCED_LEADER_EPOCH;
}

/** Reads every requested partition once, within the per-partition and whole-response limits. */
function collect(broker: BrokerState, topics: FetchTopic[], maxBytes: number) {
  let total = 0;
  const data = topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): PartitionData => {
      const log = broker.topics.partition(t.name, p.index);
      const empty = (error: ErrorCodeValue, hw = -1, start = -1): PartitionData => ({
        index: p.index,
        error,
        highWatermark: hw,
        logStartOffset: start,
        records: [],
      });
      if (!log) return empty(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      const epochError = leaderEpochError(p.leaderEpoch);
      if (epochError !== ErrorCode.NONE) return empty(epochError);
      const hw = log.highWatermark;
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > hw) {
        return empty(ErrorCode.OFFSET_OUT_OF_RANGE, hw, log.logStartOffset);
      }
      const budget = Math.min(p.maxBytes, maxBytes - total);
      const records =
        budget > 0 || total === 0 ? log.read(p.fetchOffset, Math.max(budget, 0), total === 0) : [];
      for (const b of records) total += b.length;
      return {
        index: p.index,
        error: ErrorCode.NONE,
        highWatermark: hw,
        logStartOffset: log.logStartOffset,
        records,
      };
    }),
  }));
  return { data, total };
}

/**
 * Resolves once the fetch has minBytes of data or maxWait has passed. Appends to any requested
 * partition wake the wait (no polling), and so does the broker stopping.
 */
function longPoll(
  broker: BrokerState,
  topics: FetchTopic[],
  maxWaitMs: number,
  minBytes: number,
  maxBytes: number,
) {
  const first = collect(broker, topics, maxBytes);
  if (first.total >= minBytes || maxWaitMs <= 0) return Promise.resolve(first);
  const logs = topics.flatMap((t) =>
    t.partitions.map((p) => broker.topics.partition(t.name, p.index)).filter((l): l is PartitionLog => !!l),
  );
  return new Promise<ReturnType<typeof collect>>((resolve) => {
    let scheduled = false;
    const finish = (result = collect(broker, topics, maxBytes)): void => {
      clearTimeout(timer);
      for (const off of unsubscribes) off();
      resolve(result);
    };
    const onAppend = (): void => {
      if (scheduled) return;
      scheduled = true;
      // Deferred so the producing request finishes appending all its partitions first.
      setImmediate(() => {
        scheduled = false;
        const result = collect(broker, topics, maxBytes);
        if (result.total >= minBytes) finish(result);
      });
    };
    const timer = setTimeout(finish, maxWaitMs);
    const unsubscribes = [...logs.map((l) => l.onAppend(onAppend)), broker.onStop(finish)];
  });
}

export const fetchApi: ApiDefinition = {
  key: ApiKey.Fetch,
  name: 'Fetch',
  // v0-v3 predate message format v2, which is the only format this broker stores.
  minVersion: 4,
  maxVersion: 11,
  async handle(broker, { apiVersion: v }, r) {
    r.int32();
    const maxWaitMs = r.int32();
    const minBytes = r.int32();
    const maxBytes = r.int32();
    const isolationLevel = r.int8();
    const sessionId = v >= 7 ? r.int32() : 0;
    const sessionEpoch = v >= 7 ? r.int32() : -1;
    const topics: FetchTopic[] = r.array((t) => ({
      name: t.string(),
      partitions: t.array((p) => {
        const index = p.int32();
        const leaderEpoch = v >= 9 ? p.int32() : -1;
        const fetchOffset = p.int64();
        if (v >= 5) p.int64();
        return { index, leaderEpoch, fetchOffset, maxBytes: p.int32() };
      }),
    }));
    if (v >= 7) r.array((f) => ({ name: f.string(), partitions: f.array((p) => p.int32()) }));
    if (v >= 11) r.string();

    const w = new Writer();
    w.int32(0);
    // Incremental fetch sessions (KIP-227) are declined: session id 0 tells the client to keep
    // sending full fetch requests, which the protocol allows a broker to do.
    let sessionError: ErrorCodeValue = ErrorCode.NONE;
    if (v >= 7 && sessionId !== 0) sessionError = ErrorCode.FETCH_SESSION_ID_NOT_FOUND;
    else if (v >= 7 && sessionEpoch !== -1 && sessionEpoch !== 0)
      sessionError = ErrorCode.INVALID_FETCH_SESSION_EPOCH;
    if (v >= 7) w.int16(sessionError).int32(0);
    if (sessionError !== ErrorCode.NONE) return w.array([], () => undefined);

    const limit = Math.min(maxBytes, broker.fetchMaxBytes);
    const { data } = await longPoll(broker, topics, maxWaitMs, Math.max(minBytes, 0), limit);
    w.array(data, (w, t) => {
      w.string(t.name).array(t.partitions, (w, p) => {
        // Without transactions the last stable offset is the high watermark.
        w.int32(p.index).int16(p.error).int64(p.highWatermark).int64(p.highWatermark);
        if (v >= 5) w.int64(p.logStartOffset);
        w.nullableArray(isolationLevel === READ_COMMITTED ? [] : null, () => undefined);
        if (v >= 11) w.int32(-1);
        w.int32(p.records.reduce((n, b) => n + b.length, 0));
        for (const b of p.records) w.raw(b);
      });
    });
    return w;
  },
};
