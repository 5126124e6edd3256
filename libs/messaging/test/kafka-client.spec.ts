import { createKafka, createProducer, type KafkaLogger } from '../src';

describe('the Kafka client', () => {
  function recordingLogger(): KafkaLogger & { warnings: string[] } {
    const warnings: string[] = [];
    return { warnings, warn: (_obj, msg) => warnings.push(msg), error: (_obj, msg) => warnings.push(msg) };
  }

  it("starts a producer without kafkajs' start-up warnings that do not apply here", () => {
    const logger = recordingLogger();
    // No broker is needed: both warnings came when the producer was made, before it connects.
    const kafka = createKafka('client-test', ['127.0.0.1:1'], logger);
    createProducer(kafka, { idempotent: true, maxInFlightRequests: 1 });
    expect(logger.warnings).toEqual([]);
    kafka.producer();
    expect(logger.warnings).toEqual([expect.stringMatching(/switched default partitioner/)]);
  });

  it('passes every other warning on to the service logger', () => {
    const logger = recordingLogger();
    const kafka = createKafka('client-test', ['127.0.0.1:1'], logger);
    kafka.logger().warn('the broker is slow');
    expect(logger.warnings).toEqual(['the broker is slow']);
  });
});
