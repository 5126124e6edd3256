import { ApiKey } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';

export const joinGroupApi: ApiDefinition = {
  key: ApiKey.JoinGroup,
  name: 'JoinGroup',
  // v5+ carry static membership (group.instance.id), which is not implemented.
  minVersion: 0,
  maxVersion: 4,
  async handle(broker, { apiVersion: v, clientId, clientHost }, r) {
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
    const memberId = r.string();
    const protocolType = r.string();
    const protocols = r.array((p) => ({ name: p.string(), metadata: Buffer.from(p.bytes()) }));
    const result = await broker.groups.join({
      groupId,
      memberId,
      clientId,
      clientHost,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      protocolType,
      protocols,
      requireKnownMemberId: v >= 4,
    });
    const w = new Writer();
    if (v >= 2) w.int32(0);
    w.int16(result.error).int32(result.generationId).string(result.protocolName).string(result.leader);
    w.string(result.memberId).array(result.members, (w, m) => w.string(m.memberId).bytes(m.metadata));
    return w;
  },
};
