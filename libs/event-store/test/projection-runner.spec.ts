import {
  EventStore,
  migrateEventStore,
  Projection,
  ProjectionRunner,
  RecordedEvent,
  SqlExecutor,
} from '../src';
import { Harness, openHarness } from './support';

type TicketEvent =
  | { type: 'TicketOpened'; data: { customer: string } }
  | { type: 'RefundOffered'; data: { amountCents: number } }
  | { type: 'TicketClosed'; data: Record<string, never> };

/** A ticket list: one row per ticket with its status and offered total, plus a change counter. */
function ticketList(schema: string): Projection {
  return {
    name: 'ticket-list',
    async handle(events: RecordedEvent[], tx: SqlExecutor) {
      for (const e of events as RecordedEvent<TicketEvent>[]) {
        switch (e.type) {
          case 'TicketOpened':
            await tx.query(
              `INSERT INTO ${schema}.tickets (id, customer, status, offered, changes) VALUES ($1, $2, 'open', 0, 1)`,
              [e.streamId, e.data.customer],
            );
            break;
          case 'RefundOffered':
            await tx.query(
              `UPDATE ${schema}.tickets SET offered = offered + $2, changes = changes + 1 WHERE id = $1`,
              [e.streamId, e.data.amountCents],
            );
            break;
          case 'TicketClosed':
            await tx.query(
              `UPDATE ${schema}.tickets SET status = 'closed', changes = changes + 1 WHERE id = $1`,
              [e.streamId],
            );
            break;
        }
      }
    },
    async reset(tx: SqlExecutor) {
      await tx.query(`DELETE FROM ${schema}.tickets`);
    },
  };
}

describe('ProjectionRunner', () => {
  let h: Harness;
  let counter = 0;

  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(() => h.close());

  async function setup(): Promise<{ store: EventStore; schema: string; tickets(): Promise<unknown[]> }> {
    const schema = `projection_${++counter}`;
    await migrateEventStore(h.pool, schema);
    await h.pool.query(
      `CREATE TABLE ${schema}.tickets (id text PRIMARY KEY, customer text NOT NULL, status text NOT NULL, offered int NOT NULL, changes int NOT NULL)`,
    );
    const store = new EventStore(h.pool, { schema });
    const tickets = async () => (await h.pool.query(`SELECT * FROM ${schema}.tickets ORDER BY id`)).rows;
    return { store, schema, tickets };
  }

  async function writeTickets(store: EventStore, count: number, from = 0): Promise<void> {
    for (let i = from; i < from + count; i++) {
      const id = `ticket-${String(i).padStart(3, '0')}`;
      const opened = await store.append<TicketEvent>(id, 'no-stream', [
        { type: 'TicketOpened', data: { customer: `c-${i % 7}` } },
      ]);
      await store.append<TicketEvent>(id, opened.nextExpectedVersion, [
        { type: 'RefundOffered', data: { amountCents: 100 * i } },
        ...(i % 2 === 0 ? [{ type: 'TicketClosed' as const, data: {} }] : []),
      ]);
    }
  }

  /** Other suites on the server may hold the xmin horizon back for a moment. */
  async function drain(runner: ProjectionRunner, expected: number): Promise<number> {
    let total = 0;
    const until = Date.now() + 10_000;
    while (total < expected && Date.now() < until) {
      total += await runner.runOnce();
      if (total < expected) await new Promise((r) => setTimeout(r, 20));
    }
    return total;
  }

  it('projects the log and remembers where it stopped', async () => {
    const { store, schema, tickets } = await setup();
    const runner = new ProjectionRunner(store, ticketList(schema), { batchSize: 7 });
    await writeTickets(store, 10);
    expect(await drain(runner, 25)).toBe(25);
    expect(await runner.runOnce()).toBe(0);
    expect(await tickets()).toHaveLength(10);
    expect((await tickets())[3]).toEqual({
      id: 'ticket-003',
      customer: 'c-3',
      status: 'open',
      offered: 300,
      changes: 2,
    });

    const last = (await store.readStream('ticket-009')).at(-1);
    expect(await runner.checkpoint()).toEqual({
      transactionId: last?.transactionId,
      position: last?.position,
    });

    await writeTickets(store, 2, 10);
    const again = new ProjectionRunner(store, ticketList(schema));
    expect(await drain(again, 5)).toBe(5);
    expect(await tickets()).toHaveLength(12);
  });

  it('a failing batch leaves no writes and no checkpoint move; the next round retries it', async () => {
    const { store, schema, tickets } = await setup();
    await writeTickets(store, 3);
    let failures = 1;
    const projection = ticketList(schema);
    const flaky: Projection = {
      name: projection.name,
      async handle(events, tx) {
        await projection.handle(events, tx);
        if (failures-- > 0) throw new Error('read model store hiccup');
      },
    };
    const runner = new ProjectionRunner(store, flaky);
    await expect(runner.runOnce()).rejects.toThrow('read model store hiccup');
    expect(await tickets()).toEqual([]);
    expect((await runner.checkpoint()).position).toBe(0);
    expect(await drain(runner, 8)).toBe(8);
    expect(await tickets()).toHaveLength(3);
  });

  it('rebuild produces the same read model', async () => {
    const { store, schema, tickets } = await setup();
    const runner = new ProjectionRunner(store, ticketList(schema), { batchSize: 4 });
    await writeTickets(store, 6);
    await drain(runner, 15);
    const before = await tickets();
    expect(before).toHaveLength(6);

    await h.pool.query(`UPDATE ${schema}.tickets SET status = 'corrupted', offered = -1`);
    await h.pool.query(`INSERT INTO ${schema}.tickets VALUES ('stray', 'x', 'open', 0, 0)`);
    expect(await runner.rebuild()).toBe(15);
    expect(await tickets()).toEqual(before);
    expect(await runner.runOnce()).toBe(0);

    const withoutReset: Projection = { name: 'no-reset', handle: async () => undefined };
    await expect(new ProjectionRunner(store, withoutReset).rebuild()).rejects.toThrow(/no reset/);
  });

  it('two instances of one projection handle every event exactly once', async () => {
    const { store, schema } = await setup();
    await h.pool.query(`CREATE TABLE ${schema}.seen (position bigint PRIMARY KEY)`);
    const seen: Projection = {
      name: 'seen',
      async handle(events, tx) {
        await tx.query(`INSERT INTO ${schema}.seen SELECT unnest($1::bigint[])`, [
          events.map((e) => e.position),
        ]);
      },
    };
    await store.append(
      'many',
      'no-stream',
      Array.from({ length: 300 }, (_, i) => ({ type: 'A', data: { i } })),
    );
    const a = new ProjectionRunner(store, seen, { batchSize: 10 });
    const b = new ProjectionRunner(store, seen, { batchSize: 10 });
    let total = 0;
    for (let round = 0; total < 300 && round < 200; round++) {
      const [x, y] = await Promise.all([a.runOnce(), b.runOnce()]);
      total += x + y;
    }
    expect(total).toBe(300);
    expect((await h.pool.query(`SELECT count(*)::int AS n FROM ${schema}.seen`)).rows[0].n).toBe(300);
  });

  it('start() follows new appends promptly and stop() ends the loop', async () => {
    const { store, schema, tickets } = await setup();
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(store, ticketList(schema), {
      pollIntervalMs: 60_000,
      onError: (error) => errors.push(error),
    });
    runner.start();
    runner.start();
    const started = Date.now();
    await store.append<TicketEvent>('woken', 'no-stream', [
      { type: 'TicketOpened', data: { customer: 'c' } },
    ]);
    while ((await tickets()).length === 0 && Date.now() - started < 10_000) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await tickets()).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    await runner.stop();
    expect(errors).toEqual([]);

    await store.append<TicketEvent>('after-stop', 'no-stream', [
      { type: 'TicketOpened', data: { customer: 'c' } },
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(await tickets()).toHaveLength(1);
  });

  it('start() reports failures and keeps going', async () => {
    const { store } = await setup();
    let calls = 0;
    const errors: string[] = [];
    const runner = new ProjectionRunner(
      store,
      {
        name: 'fails-once',
        async handle() {
          if (calls++ === 0) throw new Error('boom');
        },
      },
      {
        pollIntervalMs: 20,
        retryDelayMs: 10,
        onError: (error, name) => errors.push(`${name}: ${(error as Error).message}`),
      },
    );
    await store.append('s', 'no-stream', [{ type: 'A', data: {} }]);
    runner.start();
    const until = Date.now() + 10_000;
    while ((await runner.checkpoint()).position === 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await runner.stop();
    expect(errors).toEqual(['fails-once: boom']);
    expect((await runner.checkpoint()).position).toBeGreaterThan(0);
  });
});
