import { ApiKey } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';

export const leaveGroupApi: ApiDefinition = {
  key: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  // v3 batches members by group.instance.id (static membership), which is not implemented.
  minVersion: 0,
  maxVersion: 2,
  handle(broker, { apiVersion: v }, r) {
    const groupId = r.string();
    const memberId = r.string();
    const error = broker.groups.leave(groupId, memberId);
    const w = new Writer();
    if (v >= 1) w.int32(0);
    return w.int16(error);
  },
};
