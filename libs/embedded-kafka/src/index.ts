export { EmbeddedKafka } from './broker';
export type { EmbeddedKafkaOptions } from './broker';
export type { Logger } from './logger';
