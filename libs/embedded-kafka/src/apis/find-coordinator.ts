import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';

const GROUP_KEY = 0;
const TRANSACTION_KEY = 1;

export const findCoordinatorApi: ApiDefinition = {
  key: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,
  handle(broker, { apiVersion: v }, r) {
    r.string();
    const keyType = v >= 1 ? r.int8() : GROUP_KEY;
    const w = new Writer();
    if (v >= 1) w.int32(0);
    const answer = (error: number, message: string | null, self: boolean): Writer => {
      w.int16(error);
      if (v >= 1) w.nullableString(message);
      return self
        ? w.int32(broker.nodeId).string(broker.host).int32(broker.port)
        : w.int32(-1).string('').int32(-1);
    };
    if (keyType === GROUP_KEY) return answer(ErrorCode.NONE, null, true);
    if (keyType === TRANSACTION_KEY) {
      return answer(
        ErrorCode.COORDINATOR_NOT_AVAILABLE,
        'transactions are not supported by this broker',
        false,
      );
    }
    return answer(ErrorCode.INVALID_REQUEST, `unknown coordinator key type ${keyType}`, false);
  },
};
