export * from './inbox/dead-letter';
export * from './inbox/inbox-consumer';
export * from './kafka/kafka-client';
export * from './metrics';
export * from './outbox/outbox';
export * from './outbox/outbox-relay';
export * from './schema';
