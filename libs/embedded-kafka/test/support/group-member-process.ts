// A consumer group member in its own process, so a test can kill it without a LeaveGroup.
// Reports every processed message to the parent before returning from eachMessage, so anything
// it may have committed has been reported.
import { Kafka, logLevel } from 'kafkajs';

const [brokers, topic, groupId] = process.argv.slice(2);

function report(message: unknown): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()));
}

async function main(): Promise<void> {
  const kafka = new Kafka({ clientId: 'doomed', brokers: [brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 200,
  });
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    void report({ type: 'assigned', partitions: e.payload.memberAssignment[topic] ?? [] });
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      // Slow enough that the test can kill this member while it still owns unconsumed messages.
      await new Promise((r) => setTimeout(r, 10));
      await report({ type: 'message', value: message.value?.toString() });
    },
  });
}

void main();
