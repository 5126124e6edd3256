import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';

export const listGroupsApi: ApiDefinition = {
  key: ApiKey.ListGroups,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 2,
  handle(broker, { apiVersion: v }) {
    const groups = new Map<string, string>();
    // Groups known only by committed offsets (e.g. after a restart) are listed as empty groups.
    for (const id of broker.offsets.groups()) groups.set(id, '');
    for (const g of broker.groups.list()) groups.set(g.id, g.protocolType ?? '');
    const w = new Writer();
    if (v >= 1) w.int32(0);
    w.int16(ErrorCode.NONE).array([...groups], (w, [id, type]) => w.string(id).string(type));
    return w;
  },
};
