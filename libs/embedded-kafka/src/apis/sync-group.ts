import { ApiKey } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';

export const syncGroupApi: ApiDefinition = {
  key: ApiKey.SyncGroup,
  name: 'SyncGroup',
  // v3 adds static membership, which is not implemented.
  minVersion: 0,
  maxVersion: 2,
  async handle(broker, { apiVersion: v }, r) {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    const assignments = new Map(r.array((a) => [a.string(), Buffer.from(a.bytes())] as const));
    const result = await broker.groups.sync(groupId, generationId, memberId, assignments);
    const w = new Writer();
    if (v >= 1) w.int32(0);
    return w.int16(result.error).bytes(result.assignment);
  },
};
