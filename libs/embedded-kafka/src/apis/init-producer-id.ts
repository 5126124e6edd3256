import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';

export const initProducerIdApi: ApiDefinition = {
  key: ApiKey.InitProducerId,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 1,
  handle(broker, _ctx, r) {
    const transactionalId = r.nullableString();
    r.int32();
    const w = new Writer().int32(0);
    // A transactional id needs a transaction coordinator, which this broker does not have.
    if (transactionalId !== null) return w.int16(ErrorCode.COORDINATOR_NOT_AVAILABLE).int64(-1).int16(-1);
    return w.int16(ErrorCode.NONE).int64(broker.producerIds.allocate()).int16(0);
  },
};
