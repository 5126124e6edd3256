import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { ApiDefinition } from './api';

export const deleteTopicsApi: ApiDefinition = {
  key: ApiKey.DeleteTopics,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 3,
  handle(broker, { apiVersion: v }, r) {
    const names = r.array((t) => t.string());
    r.int32();
    const results = names.map((name) => {
      const error = broker.topics.delete(name);
      if (error === ErrorCode.NONE) {
        broker.offsets.deleteTopic(name);
        broker.log.info(`deleted topic ${name}`);
      }
      return { name, error };
    });
    const w = new Writer();
    if (v >= 1) w.int32(0);
    return w.array(results, (w, res) => w.string(res.name).int16(res.error));
  },
};
