import { ApiKey } from '../protocol/api-keys';
import { ErrorCode, ErrorCodeValue } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { ApiDefinition, BrokerState } from './api';

/** Kafka's offset.metadata.max.bytes default. */
const MAX_METADATA_BYTES = 4096;
const OFFSET_METADATA_TOO_LARGE = 12;

interface CommitPartition {
  index: number;
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
}

/** The group-level outcome: commits from outside a live generation are only allowed on groups without members. */
function groupError(
  broker: BrokerState,
  groupId: string,
  generationId: number,
  memberId: string,
): ErrorCodeValue {
  if (!groupId) return ErrorCode.INVALID_GROUP_ID;
  const group = broker.groups.get(groupId);
  if (generationId < 0 && memberId === '') {
    return !group || group.members.size === 0 ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }
  const check = broker.groups.checkMember(groupId, memberId, generationId);
  if ('error' in check) return check.error;
  if (check.group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
  broker.groups.armSession(check.group, check.member);
  return ErrorCode.NONE;
}

export const offsetCommitApi: ApiDefinition = {
  key: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  minVersion: 0,
  // v7 adds static membership, which is not implemented.
  maxVersion: 6,
  handle(broker, { apiVersion: v }, r) {
    const groupId = r.string();
    const generationId = v >= 1 ? r.int32() : -1;
    const memberId = v >= 1 ? r.string() : '';
    if (v >= 2 && v <= 4) r.int64();
    const topics = r.array((t) => ({
      name: t.string(),
      partitions: t.array((p): CommitPartition => {
        const index = p.int32();
        const offset = p.int64();
        const leaderEpoch = v >= 6 ? p.int32() : -1;
        if (v === 1) p.int64();
        return { index, offset, leaderEpoch, metadata: p.nullableString() };
      }),
    }));

    const error = groupError(broker, groupId, generationId, memberId);
    const results = topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        let e: number = error;
        if (e === ErrorCode.NONE && !broker.topics.partition(t.name, p.index))
          e = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        if (e === ErrorCode.NONE && p.metadata && Buffer.byteLength(p.metadata) > MAX_METADATA_BYTES) {
          e = OFFSET_METADATA_TOO_LARGE;
        }
        return { p, error: e };
      }),
    }));
    const accepted = results.flatMap((t) =>
      t.partitions
        .filter((x) => x.error === ErrorCode.NONE)
        .map(({ p }) => ({
          topic: t.name,
          partition: p.index,
          value: { offset: p.offset, leaderEpoch: p.leaderEpoch, metadata: p.metadata },
        })),
    );
    if (accepted.length > 0) {
      broker.groups.getOrCreate(groupId);
      broker.offsets.commit(groupId, accepted);
    }

    const w = new Writer();
    if (v >= 3) w.int32(0);
    w.array(results, (w, t) => {
      w.string(t.name).array(t.partitions, (w, x) => w.int32(x.p.index).int16(x.error));
    });
    return w;
  },
};
