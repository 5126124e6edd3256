export * from './net/free-port';
export * from './postgres/shared-postgres';
export * from './postgres/test-database';
export * from './service/test-service';
export * from './service/operational-endpoints';
export * from './kafka/test-kafka';
export * from './kafka/kafka-process';
export * from './wait/wait-until';
