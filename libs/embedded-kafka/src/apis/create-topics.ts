import { ApiKey } from '../protocol/api-keys';
import { ErrorCode, ErrorCodeValue } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { isValidTopicName } from '../topics/topic-registry';
import { ApiDefinition, BrokerState } from './api';

interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: { partition: number; brokers: number[] }[];
}

/** Resolves the partition count of a creatable topic, or the error explaining why it cannot be made. */
type PartitionCount = { count: number } | { error: ErrorCodeValue };

function partitionCount(broker: BrokerState, t: CreatableTopic, defaultPartitions: number): PartitionCount {
  if (t.assignments.length > 0) {
    if (t.numPartitions !== -1 || t.replicationFactor !== -1) return { error: ErrorCode.INVALID_REQUEST };
    const indexes = t.assignments.map((a) => a.partition).sort((a, b) => a - b);
    const contiguous = indexes.every((p, i) => p === i);
    const onThisNode = t.assignments.every((a) => a.brokers.length === 1 && a.brokers[0] === broker.nodeId);
    if (!contiguous || !onThisNode) return { error: ErrorCode.INVALID_REPLICA_ASSIGNMENT };
    return { count: indexes.length };
  }
  // -1 means the broker default (KIP-464). Only v4 clients may rely on it, but like Kafka the
  // broker honours it whatever the version (kafkajs sends -1 replication with v3).
  if (t.replicationFactor !== -1 && t.replicationFactor !== 1)
    return { error: ErrorCode.INVALID_REPLICATION_FACTOR };
  if (t.numPartitions === -1) return { count: defaultPartitions };
  if (t.numPartitions <= 0) return { error: ErrorCode.INVALID_PARTITIONS };
  return { count: t.numPartitions };
}

export function createTopicsApi(defaultPartitions: number): ApiDefinition {
  return {
    key: ApiKey.CreateTopics,
    name: 'CreateTopics',
    minVersion: 0,
    maxVersion: 4,
    handle(broker, { apiVersion: v }, r) {
      const topics = r.array((t): CreatableTopic => {
        const topic = {
          name: t.string(),
          numPartitions: t.int32(),
          replicationFactor: t.int16(),
          assignments: t.array((a) => ({ partition: a.int32(), brokers: a.array((b) => b.int32()) })),
        };
        // Topic configs are read past but not applied: there is no retention or compaction here.
        t.array((c) => [c.string(), c.nullableString()]);
        return topic;
      });
      r.int32();
      const validateOnly = v >= 1 ? r.bool() : false;

      const seen = new Map<string, number>();
      for (const t of topics) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
      const results = topics.map((t): { name: string; error: ErrorCodeValue; message: string | null } => {
        if ((seen.get(t.name) ?? 0) > 1)
          return { name: t.name, error: ErrorCode.INVALID_REQUEST, message: 'duplicate topic' };
        if (!isValidTopicName(t.name))
          return { name: t.name, error: ErrorCode.INVALID_TOPIC_EXCEPTION, message: null };
        if (broker.topics.get(t.name))
          return { name: t.name, error: ErrorCode.TOPIC_ALREADY_EXISTS, message: null };
        const resolved = partitionCount(broker, t, defaultPartitions);
        if ('error' in resolved) return { name: t.name, error: resolved.error, message: null };
        if (validateOnly) return { name: t.name, error: ErrorCode.NONE, message: null };
        const error = broker.topics.create(t.name, resolved.count);
        if (error === ErrorCode.NONE)
          broker.log.info(`created topic ${t.name} (${resolved.count} partitions)`);
        return { name: t.name, error, message: null };
      });

      const w = new Writer();
      if (v >= 2) w.int32(0);
      w.array(results, (w, res) => {
        w.string(res.name).int16(res.error);
        if (v >= 1) w.nullableString(res.message);
      });
      return w;
    },
  };
}
