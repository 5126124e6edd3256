import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';

export const offsetFetchApi: ApiDefinition = {
  key: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  // v0 reads offsets from ZooKeeper.
  minVersion: 1,
  maxVersion: 5,
  handle(broker, { apiVersion: v }, r) {
    const groupId = r.string();
    const requested = r.nullableArray((t) => ({ name: t.string(), partitions: t.array((p) => p.int32()) }));
    const committed = broker.offsets.ofGroup(groupId);
    // A null topic list (v2+) asks for every offset the group has committed.
    const topics =
      requested ?? [...committed].map(([name, partitions]) => ({ name, partitions: [...partitions.keys()] }));

    const w = new Writer();
    if (v >= 3) w.int32(0);
    w.array(topics, (w, t) => {
      w.string(t.name).array(t.partitions, (w, index) => {
        const c = committed.get(t.name)?.get(index);
        w.int32(index).int64(c?.offset ?? -1);
        if (v >= 5) w.int32(c?.leaderEpoch ?? -1);
        w.nullableString(c ? c.metadata : '').int16(ErrorCode.NONE);
      });
    });
    if (v >= 2) w.int16(groupId ? ErrorCode.NONE : ErrorCode.INVALID_GROUP_ID);
    return w;
  },
};
