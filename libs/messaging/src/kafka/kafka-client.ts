import {
  Kafka,
  Partitioners,
  logLevel,
  type LogEntry,
  type Producer,
  type ProducerConfig,
  type logCreator,
} from 'kafkajs';

export interface KafkaLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * kafkajs warns on every start that an idempotent producer with a bounded number of retries "may
 * invalidate EoS guarantees". None is relied on: the outbox publishes at least once, retrying a
 * failed batch itself, and every consumer's inbox drops what it has seen. Retrying without bound
 * instead would hang a send through an outage, out of sight of the relay's backoff and metrics.
 */
const UNHEEDED_WARNINGS = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/** kafkajs logs through the service's logger, warnings and errors only. */
function kafkaLogCreator(logger?: KafkaLogger): logCreator {
  return () =>
    ({ level, log }: LogEntry) => {
      if (!logger) return;
      const { message, ...rest } = log;
      if (level === logLevel.WARN && UNHEEDED_WARNINGS.has(message)) return;
      if (level === logLevel.ERROR) logger.error({ kafka: rest }, message);
      else if (level === logLevel.WARN) logger.warn({ kafka: rest }, message);
    };
}

export function parseBrokers(list: string): string[] {
  return list
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

export function createKafka(clientId: string, brokers: string[], logger?: KafkaLogger): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    retry: { initialRetryTime: 100, retries: 8 },
  });
}

/**
 * A producer with the partitioner named: kafkajs' default one, which places keys as the Java client
 * does (murmur2), so an order's or a ticket's events meet in one partition whoever produced them.
 * Naming it also ends kafkajs' warning, on every start, that its default changed in v2.
 */
export function createProducer(kafka: Kafka, config: ProducerConfig = {}): Producer {
  return kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: true,
    ...config,
  });
}
