import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import { Consumer, Kafka } from 'kafkajs';
import { EmbeddedKafka } from '../src';
import { client, startBroker, waitFor } from './support/cluster';

// kafkajs requires heartbeatInterval < sessionTimeout; the broker's minimum session is 6000 ms.
const groupTimings = { sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 200 };

async function produce(kafka: Kafka, topic: string, from: number, count: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `m${from + i}` })),
  });
  await producer.disconnect();
}

function member(
  kafka: Kafka,
  groupId: string,
  topic: string,
  seen: string[],
  assigned: number[][],
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, ...groupTimings });
  consumer.on(consumer.events.GROUP_JOIN, (e) => assigned.push(e.payload.memberAssignment[topic] ?? []));
  return consumer
    .connect()
    .then(() => consumer.subscribe({ topic, fromBeginning: true }))
    .then(() =>
      consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? '') }),
    )
    .then(() => consumer);
}

describe('consumer groups', () => {
  let broker: EmbeddedKafka;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startBroker();
    kafka = client(broker);
  });
  afterAll(() => broker.stop());

  async function createTopic(topic: string): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await admin.disconnect();
  }

  it('splits partitions between two members and hands them over when one leaves', async () => {
    const topic = 'group-leave';
    await createTopic(topic);
    await produce(kafka, topic, 0, 300);

    const seenA: string[] = [];
    const seenB: string[] = [];
    const assignedA: number[][] = [];
    const assignedB: number[][] = [];
    const a = await member(kafka, 'leavers', topic, seenA, assignedA);
    const b = await member(kafka, 'leavers', topic, seenB, assignedB);
    await waitFor(
      () => {
        const la = assignedA.at(-1) ?? [];
        const lb = assignedB.at(-1) ?? [];
        return la.length > 0 && lb.length > 0 && la.length + lb.length === 3;
      },
      15_000,
      'both members to own partitions',
    );
    await waitFor(() => new Set([...seenA, ...seenB]).size === 300, 10_000, 'first 300 messages');
    const ownedByB = assignedB.at(-1) ?? [];
    expect(new Set([...(assignedA.at(-1) ?? []), ...ownedByB])).toEqual(new Set([0, 1, 2]));

    await b.disconnect();
    const seenABefore = seenA.length;
    await produce(kafka, topic, 300, 300);
    await waitFor(() => new Set([...seenA, ...seenB]).size === 600, 15_000, 'all 600 messages');
    expect(assignedA.at(-1)?.slice().sort()).toEqual([0, 1, 2]);
    // A resumed B's partitions from B's committed offsets: none of the first 300 came again.
    const replayed = seenA.slice(seenABefore).filter((v) => Number(v.slice(1)) < 300);
    expect(replayed).toEqual([]);
    await a.disconnect();
  }, 30_000);

  it('takes over the partitions of a killed member after its session times out, losing nothing', async () => {
    const topic = 'group-kill';
    await createTopic(topic);
    const total = 600;
    await produce(kafka, topic, 0, total);

    const seen: string[] = [];
    let childAssigned: number[] = [];
    const child: ChildProcess = fork(
      path.join(__dirname, 'support/group-member-process.ts'),
      [broker.brokers[0], topic, 'killers'],
      {
        execArgv: ['-r', '@swc-node/register'],
        stdio: 'ignore',
      },
    );
    child.on('message', (m: { type: string; value?: string; partitions?: number[] }) => {
      if (m.type === 'message' && m.value) seen.push(m.value);
      if (m.type === 'assigned') childAssigned = m.partitions ?? [];
    });
    try {
      await waitFor(() => seen.length > 0, 20_000, 'the child member to consume');
      const assignedA: number[][] = [];
      const a = await member(kafka, 'killers', topic, seen, assignedA);
      await waitFor(
        () => (assignedA.at(-1)?.length ?? 0) > 0 && (assignedA.at(-1)?.length ?? 0) < 3,
        15_000,
        'the partitions to be split',
      );
      await waitFor(() => childAssigned.length > 0 && childAssigned.length < 3, 10_000, 'child reassignment');
      child.kill('SIGKILL');
      const killedAt = Date.now();

      await waitFor(() => assignedA.at(-1)?.length === 3, 20_000, 'the survivor to own every partition');
      // The coordinator only gives up on the dead member once its session timeout has passed.
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(5000);
      await waitFor(() => new Set(seen).size === total, 10_000, 'every message to be consumed');
      await a.disconnect();
    } finally {
      child.kill('SIGKILL');
    }
  }, 45_000);
});
