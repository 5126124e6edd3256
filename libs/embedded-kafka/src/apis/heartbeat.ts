import { ApiKey } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';

export const heartbeatApi: ApiDefinition = {
  key: ApiKey.Heartbeat,
  name: 'Heartbeat',
  // v3 adds static membership, which is not implemented.
  minVersion: 0,
  maxVersion: 2,
  handle(broker, { apiVersion: v }, r) {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    const error = broker.groups.heartbeat(groupId, generationId, memberId);
    const w = new Writer();
    if (v >= 1) w.int32(0);
    return w.int16(error);
  },
};
