import { ConcurrencyError, ManualClock } from '@aftersales/kernel';
import {
  EventStore,
  eventStoreMigrations,
  InlineProjection,
  migrateEventStore,
  UpcasterRegistry,
} from '../src';
import { Harness, openHarness, uniqueStream } from './support';

type TicketEvent =
  | { type: 'TicketOpened'; data: { ticketId: string; reason: string } }
  | { type: 'RefundOffered'; data: { amountCents: number } }
  | { type: 'TicketClosed'; data: { by: string } };

describe('EventStore', () => {
  let h: Harness;
  let store: EventStore;
  const clock = new ManualClock('2026-11-25T10:00:00.000Z');

  beforeAll(async () => {
    h = await openHarness('public', 60);
    store = new EventStore(h.pool, { clock });
  });
  afterAll(() => h.close());

  describe('schema', () => {
    it('migrates idempotently, also into a named schema', async () => {
      await migrateEventStore(h.pool);
      await migrateEventStore(h.pool, 'after_sales');
      await migrateEventStore(h.pool, 'after_sales');
      const inSchema = new EventStore(h.pool, { schema: 'after_sales' });
      await inSchema.append('s-1', 'no-stream', [{ type: 'A', data: {} }]);
      expect(await inSchema.streamVersion('s-1')).toBe(1);
      expect(await store.streamVersion('s-1')).toBe(0);
    });

    it('refuses names that are not plain identifiers', () => {
      expect(() => eventStoreMigrations('x"; DROP TABLE y; --')).toThrow(RangeError);
    });

    it('keeps events append-only', async () => {
      const stream = uniqueStream('immutable');
      await store.append(stream, 'no-stream', [{ type: 'A', data: { n: 1 } }]);
      await expect(
        h.pool.query(`UPDATE events SET data = '{}' WHERE stream_id = $1`, [stream]),
      ).rejects.toThrow(/append-only: UPDATE/);
      await expect(h.pool.query(`DELETE FROM events WHERE stream_id = $1`, [stream])).rejects.toThrow(
        /append-only: DELETE/,
      );
      await expect(h.pool.query(`TRUNCATE events`)).rejects.toThrow(/append-only: TRUNCATE/);
      expect(await store.readStream(stream)).toHaveLength(1);
    });
  });

  it('reads back what was appended', async () => {
    const stream = uniqueStream('ticket');
    const first = await store.append<TicketEvent>(stream, 'no-stream', [
      {
        type: 'TicketOpened',
        data: { ticketId: stream, reason: 'damaged' },
        metadata: { correlationId: 'c-1' },
      },
    ]);
    const second = await store.append<TicketEvent>(stream, first.nextExpectedVersion, [
      { type: 'RefundOffered', data: { amountCents: 1250 }, schemaVersion: 2 },
      { type: 'TicketClosed', data: { by: 'agent-7' } },
    ]);
    expect(first.nextExpectedVersion).toBe(1);
    expect(second.nextExpectedVersion).toBe(3);
    expect(second.positions).toHaveLength(2);
    expect(second.positions[1]).toBeGreaterThan(second.positions[0]);
    expect(second.positions[0]).toBeGreaterThan(first.positions[0]);

    const events = await store.readStream<TicketEvent>(stream);
    expect(events.map((e) => [e.streamVersion, e.type, e.schemaVersion])).toEqual([
      [1, 'TicketOpened', 1],
      [2, 'RefundOffered', 2],
      [3, 'TicketClosed', 1],
    ]);
    expect(events.map((e) => e.position)).toEqual([...first.positions, ...second.positions]);
    expect(events[0].metadata).toEqual({ correlationId: 'c-1' });
    expect(events[1].metadata).toEqual({});
    expect(events[0].recordedAt.toISOString()).toBe('2026-11-25T10:00:00.000Z');
    expect(events[0].transactionId).toMatch(/^\d+$/);
    const opened = events[0];
    if (opened.type !== 'TicketOpened') throw new Error('narrowing');
    expect(opened.data.reason).toBe('damaged');

    expect((await store.readStream(stream, { fromVersion: 3 })).map((e) => e.type)).toEqual(['TicketClosed']);
    expect(await store.readStream(uniqueStream('nothing'))).toEqual([]);
  });

  it('reads several streams at once, each whole and in version order, as readStream reads it', async () => {
    const a = uniqueStream('page-a');
    const b = uniqueStream('page-b');
    await store.append(a, 'no-stream', [{ type: 'A', data: { n: 1 } }]);
    await store.append(b, 'no-stream', [{ type: 'B', data: { n: 1 } }]);
    await store.append(a, 1, [
      { type: 'A', data: { n: 2 } },
      { type: 'A', data: { n: 3 } },
    ]);
    const streams = await store.readStreams([b, a, uniqueStream('missing')]);
    expect([...streams.keys()].sort()).toEqual([a, b].sort());
    expect(streams.get(a)?.map((e) => [e.streamVersion, e.data])).toEqual([
      [1, { n: 1 }],
      [2, { n: 2 }],
      [3, { n: 3 }],
    ]);
    expect(streams.get(a)).toEqual(await store.readStream(a));
    expect(streams.get(b)).toEqual(await store.readStream(b));
    expect((await store.readStreams([])).size).toBe(0);
  });

  it('works without prepared statements, as behind a transaction-mode pooler', async () => {
    const unprepared = new EventStore(h.pool, { preparedStatements: false });
    const stream = uniqueStream('unprepared');
    const { nextExpectedVersion } = await unprepared.append(stream, 'no-stream', [
      { type: 'A', data: { n: 1 } },
    ]);
    await unprepared.append(stream, nextExpectedVersion, [
      { type: 'B', data: {} },
      { type: 'C', data: {} },
    ]);
    expect((await unprepared.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
  });

  it('keeps JSON values of any kind', async () => {
    const stream = uniqueStream('json');
    const data = { text: 'quote " backslash \\ unicode ✓', nested: [1, null, { deep: true }], n: 1.5 };
    await store.append(stream, 'any', [
      { type: 'A', data },
      { type: 'B', data: 'a bare string' },
    ]);
    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([data, 'a bare string']);
  });

  describe('expected version', () => {
    it("'no-stream' and 0 only succeed on an empty stream", async () => {
      const stream = uniqueStream('new');
      await store.append(stream, 'no-stream', [{ type: 'A', data: {} }]);
      await expect(store.append(stream, 'no-stream', [{ type: 'A', data: {} }])).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      await expect(store.append(stream, 0, [{ type: 'A', data: {} }])).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      await store.append(uniqueStream('zero'), 0, [{ type: 'A', data: {} }]);
    });

    it('a number must be the current version exactly', async () => {
      const stream = uniqueStream('exact');
      await store.append(stream, 'no-stream', [
        { type: 'A', data: {} },
        { type: 'A', data: {} },
      ]);
      for (const stale of [1, 3, 7]) {
        const error = await store.append(stream, stale, [{ type: 'A', data: {} }]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect((error as ConcurrencyError).details).toEqual({
          streamId: stream,
          expectedVersion: stale,
          actualVersion: 2,
        });
      }
      await expect(
        store.append(uniqueStream('missing'), 1, [{ type: 'A', data: {} }]),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await store.append(stream, 2, [{ type: 'A', data: {} }])).nextExpectedVersion).toBe(3);
    });

    it("'any' appends after whatever is there, also under contention", async () => {
      const stream = uniqueStream('any');
      expect((await store.append(stream, 'any', [{ type: 'A', data: {} }])).nextExpectedVersion).toBe(1);
      const racing = new EventStore(h.pool, { anyRetries: 20 });
      await Promise.all(
        Array.from({ length: 8 }, (_, i) => racing.append(stream, 'any', [{ type: 'B', data: { i } }])),
      );
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
    });

    it('rejects bad arguments', async () => {
      await expect(store.append('x', 'no-stream', [])).rejects.toThrow(RangeError);
      await expect(store.append('x', -1, [{ type: 'A', data: {} }])).rejects.toThrow(RangeError);
      await expect(store.append('x', 1.5, [{ type: 'A', data: {} }])).rejects.toThrow(RangeError);
    });

    it.each([
      ['a version number', 3],
      ['no-stream', 'no-stream' as const],
    ])(
      '50 concurrent appends at the same expected version (%s): one wins, 49 conflict',
      async (_label, expected) => {
        const stream = uniqueStream('race');
        if (expected !== 'no-stream') {
          await store.append(
            stream,
            'no-stream',
            [1, 2, 3].map((n) => ({ type: 'A', data: { n } })),
          );
        }
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, (_, writer) =>
            store.append(stream, expected, [{ type: 'B', data: { writer } }]),
          ),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(49);
        for (const r of lost) expect(r.reason).toBeInstanceOf(ConcurrencyError);
        const events = await store.readStream(stream);
        expect(events.map((e) => e.streamVersion)).toEqual(expected === 'no-stream' ? [1] : [1, 2, 3, 4]);
      },
    );
  });

  describe('in the caller transaction', () => {
    beforeAll(() => h.pool.query('CREATE TABLE outbox (id serial PRIMARY KEY, stream_id text NOT NULL)'));

    it('commits and rolls back with the caller writes', async () => {
      const kept = uniqueStream('kept');
      const dropped = uniqueStream('dropped');
      for (const [stream, end] of [
        [kept, 'COMMIT'],
        [dropped, 'ROLLBACK'],
      ]) {
        const tx = await h.pool.connect();
        try {
          await tx.query('BEGIN');
          await store.append(stream, 'no-stream', [{ type: 'A', data: {} }], { inTransaction: tx });
          await tx.query('INSERT INTO outbox (stream_id) VALUES ($1)', [stream]);
          await tx.query(end);
        } finally {
          tx.release();
        }
      }
      expect(await store.streamVersion(kept)).toBe(1);
      expect(await store.streamVersion(dropped)).toBe(0);
      const { rows } = await h.pool.query('SELECT stream_id FROM outbox WHERE stream_id = ANY($1)', [
        [kept, dropped],
      ]);
      expect(rows).toEqual([{ stream_id: kept }]);
    });

    it('reads, decides and appends twice in one transaction', async () => {
      const stream = uniqueStream('decide');
      const tx = await h.pool.connect();
      try {
        await tx.query('BEGIN');
        const first = await store.append(stream, 'no-stream', [{ type: 'A', data: {} }], {
          inTransaction: tx,
        });
        const { version } = await store.aggregateStream(stream, (n: number) => n + 1, 0, { executor: tx });
        expect(version).toBe(1);
        await store.append(stream, first.nextExpectedVersion, [{ type: 'B', data: {} }], {
          inTransaction: tx,
        });
        await tx.query('COMMIT');
      } finally {
        tx.release();
      }
      expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B']);
    });
  });

  describe('inline projections', () => {
    beforeAll(() =>
      h.pool.query(`CREATE TABLE line_locks (line_id text PRIMARY KEY, ticket_id text NOT NULL);
                    CREATE TABLE ticket_count (stream_id text PRIMARY KEY, n int NOT NULL)`),
    );

    function storeWithLocks(): EventStore {
      return new EventStore(h.pool, {
        inlineProjections: [
          async (events, tx) => {
            for (const e of events) {
              if (e.type !== 'TicketOpened') continue;
              const { lineId } = e.data as { lineId: string };
              await tx.query('INSERT INTO line_locks (line_id, ticket_id) VALUES ($1, $2)', [
                lineId,
                e.streamId,
              ]);
            }
          },
        ],
      });
    }

    it('writes the read model in the append transaction', async () => {
      const withLocks = storeWithLocks();
      const ticket = uniqueStream('ticket');
      await withLocks.append(ticket, 'no-stream', [{ type: 'TicketOpened', data: { lineId: 'line-1' } }]);
      const { rows } = await h.pool.query('SELECT ticket_id FROM line_locks WHERE line_id = $1', ['line-1']);
      expect(rows).toEqual([{ ticket_id: ticket }]);
    });

    it('a failing inline projection rolls the append back', async () => {
      const withLocks = storeWithLocks();
      const second = uniqueStream('ticket');
      await expect(
        withLocks.append(second, 'no-stream', [{ type: 'TicketOpened', data: { lineId: 'line-1' } }]),
      ).rejects.toThrow(/line_locks_pkey/);
      expect(await withLocks.streamVersion(second)).toBe(0);
    });

    it('per-append projections see positions and versions; a throw undoes both', async () => {
      const stream = uniqueStream('counted');
      const count: InlineProjection = async (events, tx) => {
        expect(events.every((e) => e.position > 0)).toBe(true);
        await tx.query(
          `INSERT INTO ticket_count VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET n = excluded.n`,
          [events[0].streamId, events[events.length - 1].streamVersion],
        );
      };
      await store.append(
        stream,
        'no-stream',
        [
          { type: 'A', data: {} },
          { type: 'A', data: {} },
        ],
        { inlineProjections: [count] },
      );
      await expect(
        store.append(stream, 2, [{ type: 'A', data: {} }], {
          inlineProjections: [count, async () => Promise.reject(new Error('projection broke'))],
        }),
      ).rejects.toThrow('projection broke');
      expect(await store.streamVersion(stream)).toBe(2);
      const { rows } = await h.pool.query('SELECT n FROM ticket_count WHERE stream_id = $1', [stream]);
      expect(rows).toEqual([{ n: 2 }]);
    });
  });

  describe('snapshots', () => {
    const evolve = (state: { sum: number; seen: number }, e: { data: unknown }) => ({
      sum: state.sum + (e.data as { n: number }).n,
      seen: state.seen + 1,
    });

    it('folds from the latest snapshot and saves new ones', async () => {
      const stream = uniqueStream('long');
      await store.append(
        stream,
        'no-stream',
        Array.from({ length: 10 }, (_, i) => ({ type: 'Added', data: { n: i + 1 } })),
      );
      expect(await store.loadSnapshot(stream)).toBeUndefined();

      const full = await store.aggregateStream(
        stream,
        evolve,
        { sum: 0, seen: 0 },
        { snapshotType: 'sum@1', snapshotEvery: 5 },
      );
      expect(full).toEqual({ state: { sum: 55, seen: 10 }, version: 10 });
      expect(await store.loadSnapshot(stream)).toEqual({
        streamId: stream,
        version: 10,
        type: 'sum@1',
        data: { sum: 55, seen: 10 },
      });

      await store.append(stream, 10, [{ type: 'Added', data: { n: 100 } }]);
      const resumed = await store.aggregateStream(
        stream,
        evolve,
        { sum: 0, seen: 0 },
        { snapshotType: 'sum@1', snapshotEvery: 5 },
      );
      // seen counts only the events folded after the snapshot was restored: 10 from it, 1 new.
      expect(resumed).toEqual({ state: { sum: 155, seen: 11 }, version: 11 });
      expect((await store.loadSnapshot(stream))?.version).toBe(10);
    });

    it('ignores a snapshot of another type and never goes back to an older version', async () => {
      const stream = uniqueStream('typed');
      await store.append(stream, 'no-stream', [
        { type: 'Added', data: { n: 2 } },
        { type: 'Added', data: { n: 3 } },
      ]);
      await store.saveSnapshot({ streamId: stream, version: 2, type: 'sum@0', data: { sum: 999, seen: 0 } });
      const fresh = await store.aggregateStream(
        stream,
        evolve,
        { sum: 0, seen: 0 },
        { snapshotType: 'sum@1' },
      );
      expect(fresh.state).toEqual({ sum: 5, seen: 2 });

      await store.saveSnapshot({ streamId: stream, version: 2, type: 'sum@1', data: { sum: 5, seen: 2 } });
      await store.saveSnapshot({ streamId: stream, version: 1, type: 'sum@1', data: { sum: 2, seen: 1 } });
      expect(await store.loadSnapshot(stream)).toMatchObject({ version: 2, type: 'sum@1' });
    });
  });

  describe('upcasting', () => {
    it('reads old schema versions as the current one', async () => {
      const stream = uniqueStream('upcast');
      await store.append(stream, 'no-stream', [
        { type: 'RefundOffered', data: { amount: '12.50' } },
        { type: 'RefundOffered', schemaVersion: 2, data: { amountCents: 990 } },
        { type: 'RefundOffered', schemaVersion: 3, data: { amount: { cents: 100, currency: 'EUR' } } },
        { type: 'Other', data: { amount: '1.00' } },
      ]);
      const upcasters = new UpcasterRegistry()
        .register('RefundOffered', 1, (data) => ({
          schemaVersion: 2,
          data: { amountCents: Math.round(Number((data as { amount: string }).amount) * 100) },
        }))
        .register('RefundOffered', 2, (data, metadata) => ({
          schemaVersion: 3,
          data: {
            amount: {
              cents: (data as { amountCents: number }).amountCents,
              currency: metadata.currency ?? 'EUR',
            },
          },
        }));
      const reading = new EventStore(h.pool, { upcasters });
      const expected = [
        [3, { amount: { cents: 1250, currency: 'EUR' } }],
        [3, { amount: { cents: 990, currency: 'EUR' } }],
        [3, { amount: { cents: 100, currency: 'EUR' } }],
        [1, { amount: '1.00' }],
      ];
      expect((await reading.readStream(stream)).map((e) => [e.schemaVersion, e.data])).toEqual(expected);

      const fromLog: unknown[] = [];
      for await (const batch of reading.readAll(0, 1000)) {
        for (const e of batch) if (e.streamId === stream) fromLog.push([e.schemaVersion, e.data]);
      }
      expect(fromLog).toEqual(expected);

      const total = await reading.aggregateStream(
        stream,
        (sum: number, e) => sum + ((e.data as { amount?: { cents?: number } }).amount?.cents ?? 0),
        0,
      );
      expect(total.state).toBe(1250 + 990 + 100);
      // Stored rows are untouched.
      expect((await store.readStream(stream))[0].data).toEqual({ amount: '12.50' });
    });

    it('refuses an upcaster that does not raise the version, and duplicates', () => {
      const registry = new UpcasterRegistry().register('A', 1, (data) => ({ schemaVersion: 1, data }));
      expect(() => registry.upcast('A', 1, {}, {})).toThrow(/must raise the version/);
      expect(() => registry.register('A', 1, (data) => ({ schemaVersion: 2, data }))).toThrow(
        /already registered/,
      );
    });
  });
});
