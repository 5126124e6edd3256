import { EmbeddedKafka } from '@aftersales/embedded-kafka';

export interface TestKafka {
  brokers: string[];
  /** Only an embedded broker can be stopped and restarted by a test. */
  embedded?: EmbeddedKafka;
  /** The broker's process, when it runs in one of its own (benchmarks read its CPU time). */
  pid?: number;
  stop(): Promise<void>;
}

/** KAFKA_BROKERS when set (a real cluster), otherwise an in-memory embedded broker on a free port. */
export async function startTestKafka(
  options: { defaultPartitions?: number; port?: number } = {},
): Promise<TestKafka> {
  const given = process.env.KAFKA_BROKERS;
  if (given) return { brokers: given.split(','), stop: async () => undefined };
  const broker = await EmbeddedKafka.start({
    port: options.port ?? 0,
    defaultPartitions: options.defaultPartitions ?? 3,
  });
  return { brokers: broker.brokers, embedded: broker, stop: () => broker.stop() };
}

/** Topic names unique to one test, so tests sharing a real cluster never see each other's data. */
export function uniqueTopic(name: string): string {
  return `${name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
