import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import type { Kafka } from 'kafkajs';
import { RuleViolationError } from '@aftersales/kernel';
import {
  createTestDatabase,
  freeRestartablePort,
  startTestKafka,
  uniqueTopic,
  waitUntil,
  type TestDatabase,
  type TestKafka,
} from '@aftersales/testing';
import {
  InboxConsumer,
  isInfrastructureOutage,
  OutboxRelay,
  addToOutbox,
  hashLockId,
  createKafka,
  migrateMessaging,
  type OutgoingMessage,
  type ParseResult,
  type RawMessage,
} from '../src';
import { collect } from './support';

jest.setTimeout(90_000);

interface TestEvent {
  id: string;
  kind: string;
  seq: number;
  key: string;
}

const parse = (m: RawMessage): ParseResult<TestEvent> => {
  try {
    const body = JSON.parse(m.value) as { kind?: unknown; seq?: unknown };
    if (typeof body.kind !== 'string' || typeof body.seq !== 'number')
      return { ok: false, error: 'data.kind and data.seq are required' };
    const id = m.headers['ce_id'];
    if (!id) return { ok: false, error: 'header ce_id is missing' };
    return { ok: true, id, type: body.kind, event: { id, kind: body.kind, seq: body.seq, key: m.key ?? '' } };
  } catch (e) {
    return { ok: false, error: `value is not JSON: ${(e as Error).message}` };
  }
};

const message = (topic: string, key: string, seq: number, kind = 'counted'): OutgoingMessage => {
  const id = randomUUID();
  return { id, topic, key, value: JSON.stringify({ kind, seq }), headers: { ce_id: id, ce_type: kind } };
};

describe('messaging over PostgreSQL and Kafka', () => {
  let db: TestDatabase;
  let pool: Pool;
  let kafkaServer: TestKafka;
  let kafka: Kafka;

  beforeAll(async () => {
    db = await createTestDatabase('messaging');
    pool = new Pool({ connectionString: db.url, max: 10 });
    await migrateMessaging(pool);
    // The first test stops the broker and starts it again on the same port.
    kafkaServer = await startTestKafka({ port: await freeRestartablePort() });
    kafka = createKafka('messaging-test', kafkaServer.brokers);
  });
  afterAll(async () => {
    await kafkaServer?.stop().catch(() => undefined);
    await pool?.end();
    await db?.drop();
  });

  it('delivers 1,000 events written while Kafka was down, once it is back, in per-key order', async () => {
    if (!kafkaServer.embedded) return; // a shared real cluster cannot be stopped by a test
    const registry = new Registry();
    const port = kafkaServer.embedded.port;
    const topic = uniqueTopic('outbox');
    await kafkaServer.stop();
    const relay = new OutboxRelay({
      pool,
      kafka,
      listenUrl: db.url,
      schema: 'public',
      registry,
      backoffMs: 50,
      maxBackoffMs: 500,
    });
    await relay.start();
    try {
      const keys = ['order-a', 'order-b', 'order-c', 'order-d', 'order-e'];
      for (let i = 0; i < 100; i++) {
        const client = await pool.connect();
        await client.query('BEGIN');
        await addToOutbox(
          client,
          Array.from({ length: 10 }, (_, j) => message(topic, keys[(i * 10 + j) % keys.length], i * 10 + j)),
        );
        await client.query('COMMIT');
        client.release();
      }
      const pending = await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
      );
      expect(Number(pending.rows[0].n)).toBe(1000);

      kafkaServer = await startTestKafka({ port, defaultPartitions: 3 });
      const got = await collect(kafka, topic, 1000);
      expect(got).toHaveLength(1000);
      for (const key of keys) {
        const seqs = got
          .filter((m) => m.key === key)
          .map((m) => (JSON.parse(m.value) as { seq: number }).seq);
        expect(seqs).toHaveLength(200);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
      // The relay marks a batch published after Kafka acknowledged it, so the last mark can trail
      // the consumer by a moment.
      await waitUntil(
        async () => {
          const left = await pool.query<{ n: string }>(
            'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
          );
          return Number(left.rows[0].n) === 0;
        },
        'the outbox to be marked published',
        { timeoutMs: 60_000 },
      );
      await relay.updateBacklogMetrics();
      const metrics = await registry.metrics();
      expect(metrics).toMatch(/outbox_published_total 1000/);
      expect(metrics).toMatch(/outbox_backlog 0/);
    } finally {
      await relay.stop();
    }
  });

  it('waits as a standby while another relay holds the lock, without retrying on every commit, then takes over', async () => {
    const topic = uniqueTopic('standby');
    // Another replica's relay, as far as this one can tell: the service's outbox lock is taken.
    const other = await pool.connect();
    await other.query('SELECT pg_advisory_lock($1)', [hashLockId('outbox:public')]);
    let transactions = 0;
    const counted = Object.create(pool) as Pool;
    counted.connect = (() => {
      transactions++;
      return pool.connect();
    }) as Pool['connect'];
    const relay = new OutboxRelay({
      pool: counted,
      kafka,
      listenUrl: db.url,
      schema: 'public',
      pollIntervalMs: 400,
    });
    await relay.start();
    try {
      const started = performance.now();
      for (let i = 0; i < 60; i++) {
        const client = await pool.connect();
        await client.query('BEGIN');
        await addToOutbox(client, [message(topic, `k${i % 3}`, i)]); // each commit notifies
        await client.query('COMMIT');
        client.release();
        await new Promise((r) => setTimeout(r, 15));
      }
      const polls = (performance.now() - started) / 400;
      // Without the standby rule every one of the 60 notifications was a lock attempt.
      expect(transactions).toBeLessThanOrEqual(Math.ceil(polls) + 3);

      await other.query('SELECT pg_advisory_unlock_all()');
      const got = await collect(kafka, topic, 60);
      expect(new Set(got.map((m) => m.headers['ce_id'])).size).toBe(60);
      for (const key of ['k0', 'k1', 'k2']) {
        const seqs = got
          .filter((m) => m.key === key)
          .map((m) => (JSON.parse(m.value) as { seq: number }).seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
    } finally {
      other.release();
      await relay.stop();
    }
  });

  it('has one effect for an event delivered twice, dead-letters a poison message and goes on', async () => {
    const topic = uniqueTopic('inbox');
    await pool.query('CREATE TABLE IF NOT EXISTS effects (event_id text, seq int)');
    const registry = new Registry();
    const handled: number[] = [];
    const inbox = new InboxConsumer<TestEvent>({
      kafka,
      pool,
      groupId: `effects-${randomUUID().slice(0, 8)}`,
      topics: [topic],
      parse,
      registry,
      maxAttempts: 3,
      backoffMs: 10,
      handle: async (event, { tx }) => {
        if (event.kind === 'refused')
          throw new RuleViolationError('seq 3 is refused by the rule', 'test.refused');
        await tx.query('INSERT INTO effects VALUES ($1, $2)', [event.id, event.seq]);
        handled.push(event.seq);
      },
    });
    await inbox.start();
    let dead: RawMessage[];
    try {
      const producer = kafka.producer();
      await producer.connect();
      const first = message(topic, 'k', 1);
      const refused = message(topic, 'k', 3, 'refused');
      const last = message(topic, 'k', 4);
      const send = (m: OutgoingMessage | { key: string; value: string; headers: Record<string, string> }) =>
        producer.send({ topic, messages: [{ key: m.key, value: m.value, headers: m.headers }] });
      await send(first);
      await send(first); // redelivered: same event id
      await send({ key: 'k', value: '{not json', headers: { ce_id: randomUUID() } }); // poison
      await send(refused);
      await send(last);
      await send(last);
      await producer.disconnect();

      dead = await collect(kafka, inbox.deadLetterTopic, 2);
      // The last message (and its redelivery) came after the poison ones: once both are through, all are.
      await waitUntil(
        async () => /inbox_duplicates_total\{[^}]*\} 2/.test(await registry.metrics()),
        'the second duplicate to be skipped',
        { timeoutMs: 60_000 },
      );
    } finally {
      await inbox.stop();
    }

    const effects = await pool.query<{ seq: number }>('SELECT seq FROM effects ORDER BY seq');
    expect(effects.rows.map((r) => r.seq)).toEqual([1, 4]);
    expect(dead.map((m) => m.headers['dlq_reason'])).toEqual(['invalid', 'handler-failed']);
    expect(dead[0].headers['dlq_error']).toMatch(/value is not JSON/);
    expect(dead[0].value).toBe('{not json');
    expect(dead[1].headers['dlq_error']).toBe('RULE_VIOLATION (test.refused): seq 3 is refused by the rule');
    expect(dead[1].headers['dlq_source_topic']).toBe(topic);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/inbox_duplicates_total\{consumer="effects-[^"]+"\} 2/);
    expect(metrics).toMatch(/dlq_messages_total\{consumer="[^"]+",reason="invalid"\} 1/);
  });
});

describe('inbox pruning', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('inbox_pruning');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await migrateMessaging(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('stores outbox rows exactly as given, in order, and the same event id once', async () => {
    const topic = uniqueTopic('rows');
    const tricky = 'quotes " and \\ backslashes, tab\t, 退款 ✓';
    const rows: OutgoingMessage[] = [
      {
        id: `${topic}-1`,
        topic,
        key: 'k1',
        value: JSON.stringify({ note: tricky }),
        headers: { ce_id: '1', note: tricky },
      },
      { id: `${topic}-2`, topic, key: null, value: 'not JSON at all', headers: {} },
    ];
    await addToOutbox(pool, rows);
    await addToOutbox(pool, [rows[0]]);
    const { rows: stored } = await pool.query(
      `SELECT event_id, topic, message_key, headers, payload FROM outbox WHERE topic = $1 ORDER BY id`,
      [topic],
    );
    expect(stored).toEqual([
      {
        event_id: `${topic}-1`,
        topic,
        message_key: 'k1',
        headers: { ce_id: '1', note: tricky },
        payload: JSON.stringify({ note: tricky }),
      },
      { event_id: `${topic}-2`, topic, message_key: null, headers: {}, payload: 'not JSON at all' },
    ]);
  });

  it("deletes its own consumer's rows older than the retention and keeps the rest", async () => {
    await pool.query(
      `INSERT INTO inbox (consumer, event_id, topic, handled_at) VALUES
         ('billing', 'old-1', 't', now() - interval '31 days'),
         ('billing', 'old-2', 't', now() - interval '40 days'),
         ('billing', 'recent', 't', now() - interval '29 days'),
         ('shipping', 'old-other', 't', now() - interval '40 days')`,
    );
    const inbox = new InboxConsumer<TestEvent>({
      kafka: createKafka('unused', ['127.0.0.1:1']),
      pool,
      groupId: 'billing',
      topics: ['t'],
      parse,
      handle: async () => undefined,
      retentionHours: 30 * 24,
    });
    expect(await inbox.pruneHandled()).toBe(2);
    const { rows } = await pool.query<{ consumer: string; event_id: string }>(
      'SELECT consumer, event_id FROM inbox ORDER BY consumer, event_id',
    );
    expect(rows).toEqual([
      { consumer: 'billing', event_id: 'recent' },
      { consumer: 'shipping', event_id: 'old-other' },
    ]);
  });
});

describe('isInfrastructureOutage', () => {
  it('tells a database outage from a failing message', () => {
    expect(
      isInfrastructureOutage(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe(true);
    expect(
      isInfrastructureOutage(
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      ),
    ).toBe(true);
    expect(isInfrastructureOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isInfrastructureOutage(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(
      false,
    );
    expect(isInfrastructureOutage(new RuleViolationError('no', 'rule'))).toBe(false);
  });
});
