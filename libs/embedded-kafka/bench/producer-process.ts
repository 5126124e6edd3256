// One kafkajs producer of the benchmark. kafkajs encodes every record in JavaScript, so a single
// client process saturates one core long before the broker does; the bench runs several.
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

interface ProduceJob {
  brokers: string[];
  topic: string;
  partitions: number;
  requests: number;
  messagesPerPartitionBatch: number;
  valueBytes: number;
  concurrentSends: number;
}

async function run(job: ProduceJob): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-producer', brokers: job.brokers, logLevel: logLevel.NOTHING });
  const value = Buffer.alloc(job.valueBytes, 'x');
  const topicMessages = Array.from({ length: job.partitions }, (_, partition) => ({
    topic: job.topic,
    messages: Array.from({ length: job.messagesPerPartitionBatch }, () => ({ partition, value })),
  }));
  const producer = kafka.producer();
  await producer.connect();
  process.send?.({ type: 'connected' });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const cpuStart = process.cpuUsage();
  let sent = 0;
  const sender = async (): Promise<void> => {
    while (sent < job.requests) {
      sent++;
      await producer.sendBatch({ topicMessages, acks: 1, compression: CompressionTypes.None });
    }
  };
  await Promise.all(Array.from({ length: job.concurrentSends }, sender));
  const cpu = process.cpuUsage(cpuStart);
  await producer.disconnect();
  process.send?.({ type: 'done', cpuMs: (cpu.user + cpu.system) / 1000 });
}

process.once('message', (job: ProduceJob) => {
  run(job).catch((err: Error) => {
    console.error(err);
    process.exit(1);
  });
});
