import { ApiKey } from '../protocol/api-keys';
import { ErrorCode, ErrorCodeValue } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { LEADER_EPOCH } from '../log/partition-log';
import { isValidTopicName, Topic } from '../topics/topic-registry';
import { ApiDefinition } from './api';

interface TopicMetadata {
  name: string;
  error: ErrorCodeValue;
  topic?: Topic;
}

export const metadataApi: ApiDefinition = {
  key: ApiKey.Metadata,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 7,
  handle(broker, { apiVersion: v }, r) {
    const requested = r.nullableArray((t) => t.string());
    const allowAutoCreate = v >= 4 ? r.bool() : true;
    // v0 asks for every topic with an empty list; v1+ with a null one.
    const all = requested === null || (v === 0 && requested.length === 0);
    const topics: TopicMetadata[] = all
      ? broker.topics.list().map((topic) => ({ name: topic.name, error: ErrorCode.NONE, topic }))
      : [...new Set(requested)].map((name) => {
          const existing = broker.topics.get(name);
          if (existing) return { name, error: ErrorCode.NONE, topic: existing };
          if (!isValidTopicName(name)) return { name, error: ErrorCode.INVALID_TOPIC_EXCEPTION };
          if (!allowAutoCreate) return { name, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          const created = broker.topics.getOrCreate(name);
          if ('error' in created) return { name, error: created.error };
          broker.log.info(`auto-created topic ${name} (${created.topic.partitions.length} partitions)`);
          return { name, error: ErrorCode.NONE, topic: created.topic };
        });

    const w = new Writer();
    if (v >= 3) w.int32(0);
    w.array([broker.nodeId], (w, id) => {
      w.int32(id).string(broker.host).int32(broker.port);
      if (v >= 1) w.nullableString(null);
    });
    if (v >= 2) w.nullableString(broker.clusterId);
    if (v >= 1) w.int32(broker.nodeId);
    w.array(topics, (w, t) => {
      w.int16(t.error).string(t.name);
      if (v >= 1) w.bool(false);
      w.array(t.topic?.partitions ?? [], (w, _log, index) => {
        w.int16(ErrorCode.NONE).int32(index).int32(broker.nodeId);
        if (v >= 7) w.int32(LEADER_EPOCH);
        w.int32Array([broker.nodeId]).int32Array([broker.nodeId]);
        if (v >= 5) w.int32Array([]);
      });
    });
    return w;
  },
};
