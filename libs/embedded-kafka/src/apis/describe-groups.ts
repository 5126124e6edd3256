import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';

export const describeGroupsApi: ApiDefinition = {
  key: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  minVersion: 0,
  // v3 adds authorized operations, v4 static membership: neither is implemented.
  maxVersion: 2,
  handle(broker, { apiVersion: v }, r) {
    const ids = r.array((g) => g.string());
    const w = new Writer();
    if (v >= 1) w.int32(0);
    w.array(ids, (w, id) => {
      const group = broker.groups.get(id);
      if (!id) {
        w.int16(ErrorCode.INVALID_GROUP_ID)
          .string(id)
          .string('')
          .string('')
          .string('')
          .array([], () => undefined);
        return;
      }
      // An unknown group is described as Dead without error, as Kafka does.
      const state = group ? group.state : 'Dead';
      const stable = state === 'Stable';
      w.int16(ErrorCode.NONE).string(id).string(state);
      w.string(group?.protocolType ?? '').string(stable ? (group?.protocolName ?? '') : '');
      w.array(group ? [...group.members.values()] : [], (w, m) => {
        w.string(m.id).string(m.clientId).string(m.clientHost);
        w.bytes(stable && group ? group.metadataFor(m) : Buffer.alloc(0));
        w.bytes(stable ? m.assignment : Buffer.alloc(0));
      });
    });
    return w;
  },
};
