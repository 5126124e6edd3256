import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';

export interface KafkaLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** kafkajs logs through the service's logger, warnings and errors only. */
function kafkaLogCreator(logger?: KafkaLogger): logCreator {
  return () =>
    ({ level, log }: LogEntry) => {
      if (!logger) return;
      const { message, ...rest } = log;
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
