import { ConcurrencyError } from '@aftersales/kernel';
import { Client } from 'pg';
import {
  EventStore,
  migrateEventStore,
  Projection,
  ProjectionRunner,
  RecordedEvent,
  SqlExecutor,
  StreamEvent,
} from '../src';
import { Harness, openHarness, uniqueStream } from './support';

/** Records every event it handles into a table of its own, one row per event, in handling order. */
function recordingProjection(schema: string, name = 'recorder'): Projection {
  return {
    name,
    async handle(events: RecordedEvent[], tx: SqlExecutor) {
      await tx.query(
        `INSERT INTO ${schema}.projected (position, stream_id, stream_version)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[])`,
        [events.map((e) => e.position), events.map((e) => e.streamId), events.map((e) => e.streamVersion)],
      );
    },
    async reset(tx: SqlExecutor) {
      await tx.query(`TRUNCATE ${schema}.projected RESTART IDENTITY`);
    },
  };
}

describe('catch-up reading', () => {
  let h: Harness;
  let counter = 0;

  beforeAll(async () => {
    h = await openHarness('public', 30);
  });
  afterAll(() => h.close());

  /** A store in a schema of its own, so that each test sees only its own log. */
  async function freshStore(): Promise<{
    store: EventStore;
    schema: string;
    projected(): Promise<number[]>;
  }> {
    const schema = `feed_${++counter}`;
    await migrateEventStore(h.pool, schema);
    await h.pool.query(
      `CREATE TABLE ${schema}.projected (seq serial, position bigint PRIMARY KEY, stream_id text NOT NULL, stream_version int NOT NULL)`,
    );
    const store = new EventStore(h.pool, { schema });
    const projected = async () =>
      (
        await h.pool.query<{ position: string }>(`SELECT position FROM ${schema}.projected ORDER BY seq`)
      ).rows.map((r) => Number(r.position));
    return { store, schema, projected };
  }

  /** How many events a whole read of the streams `t-…` yields. */
  async function eventsRead(store: EventStore): Promise<number> {
    let events = 0;
    for await (const batch of store.readStreamsInOrder({ prefix: 't-', batchSize: 500 }))
      events += batch.length;
    return events;
  }

  /** Connections of this database left in a transaction (a read that was not ended). */
  async function readersInTransaction(): Promise<number> {
    const { rows } = await h.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    return Number(rows[0].n);
  }

  /** Other suites on the same server may hold the xmin horizon back for a moment, never for long. */
  async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('condition not reached in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function catchUp(runner: ProjectionRunner, done: () => Promise<boolean>): Promise<void> {
    await eventually(async () => {
      await runner.runOnce();
      return done();
    });
  }

  async function positionsIn(store: EventStore, batchSize = 100): Promise<number[]> {
    const seen: number[] = [];
    for await (const batch of store.readAll(0, batchSize)) seen.push(...batch.map((e) => e.position));
    return seen;
  }

  it('does not pass an uncommitted position N while N+1 is committed, then sees both in order', async () => {
    const { store, schema, projected } = await freshStore();
    const runner = new ProjectionRunner(store, recordingProjection(schema));
    const {
      positions: [before],
    } = await store.append(uniqueStream('before'), 'no-stream', [{ type: 'A', data: {} }]);
    await eventually(async () => (await runner.runOnce()) === 1);

    const slow: Client = await h.client();
    await slow.query('BEGIN');
    const n = await store.append(uniqueStream('slow'), 'no-stream', [{ type: 'A', data: {} }], {
      inTransaction: slow,
    });
    const n1 = await store.append(uniqueStream('fast'), 'no-stream', [{ type: 'A', data: {} }]);
    expect(n1.positions[0]).toBe(n.positions[0] + 1);

    for (let i = 0; i < 5; i++) {
      expect(await runner.runOnce()).toBe(0);
      expect(await positionsIn(store)).toEqual([before]);
    }
    expect(await projected()).toEqual([before]);
    expect((await runner.checkpoint()).position).toBe(before);

    await slow.query('COMMIT');
    await catchUp(runner, async () => (await projected()).length === 3);
    expect(await projected()).toEqual([before, n.positions[0], n1.positions[0]]);
    expect(await positionsIn(store)).toEqual([before, n.positions[0], n1.positions[0]]);
  });

  it('loses nothing when a transaction that began earlier takes a later position', async () => {
    const { store, schema, projected } = await freshStore();
    const runner = new ProjectionRunner(store, recordingProjection(schema));
    const early: Client = await h.client();
    await early.query('BEGIN');
    await early.query('SELECT pg_current_xact_id()');

    const committedFirst = await store.append(uniqueStream('late-xid'), 'no-stream', [
      { type: 'A', data: {} },
    ]);
    const committedLast = await store.append(
      uniqueStream('early-xid'),
      'no-stream',
      [{ type: 'A', data: {} }],
      {
        inTransaction: early,
      },
    );
    expect(committedLast.positions[0]).toBeGreaterThan(committedFirst.positions[0]);
    expect(await runner.runOnce()).toBe(0);

    await early.query('COMMIT');
    await catchUp(runner, async () => (await projected()).length === 2);
    // Feed order is (transaction id, position): the earlier transaction's event comes first even
    // though its position is higher. A reader keyed on position alone would have skipped it.
    expect(await projected()).toEqual([committedLast.positions[0], committedFirst.positions[0]]);
  });

  it('refuses to extend a stream last written by a transaction with a later id', async () => {
    const { store } = await freshStore();
    const stream = uniqueStream('order');
    const early: Client = await h.client();
    await early.query('BEGIN');
    await early.query('SELECT pg_current_xact_id()');
    await store.append(stream, 'no-stream', [{ type: 'A', data: {} }]);

    const error = await store
      .append(stream, 1, [{ type: 'B', data: {} }], { inTransaction: early })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect((error as ConcurrencyError).message).toMatch(/retry in a new transaction/);
    await expect(
      store.append(stream, 'any', [{ type: 'B', data: {} }], { inTransaction: early }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await early.query('ROLLBACK');
    expect((await store.append(stream, 1, [{ type: 'B', data: {} }])).nextExpectedVersion).toBe(2);
  });

  it('reads the log in batches, from the start, a position or a checkpoint', async () => {
    const { store } = await freshStore();
    const stream = uniqueStream('batched');
    const { positions } = await store.append(
      stream,
      'no-stream',
      Array.from({ length: 25 }, (_, i) => ({ type: 'A', data: { i } })),
    );
    const sizes: number[] = [];
    for await (const batch of store.readAll(0, 10)) sizes.push(batch.length);
    expect(sizes).toEqual([10, 10, 5]);
    expect(await positionsIn(store, 7)).toEqual(positions);

    const afterTenth: number[] = [];
    for await (const batch of store.readAll(positions[9], 100))
      afterTenth.push(...batch.map((e) => e.position));
    expect(afterTenth).toEqual(positions.slice(10));

    const [first] = await store.readStream(stream);
    const fromEvent: number[] = [];
    for await (const batch of store.readAll(first, 100)) fromEvent.push(...batch.map((e) => e.position));
    expect(fromEvent).toEqual(positions.slice(1));

    await expect(store.readAll(positions[24] + 1000).next()).rejects.toThrow(/no event at position/);
  });

  it('reads streams one after the other, each in version order, from one snapshot', async () => {
    const { store } = await freshStore();
    // Interleaved in the log: b-1, a-1, c-1, b-2, a-2, c-2, ... and one stream of another prefix.
    for (let v = 1; v <= 4; v++) {
      for (const stream of ['t-b', 't-a', 't-c', 'other']) {
        await store.append(stream, v - 1, [{ type: 'A', data: { v } }]);
      }
    }
    const order = (batches: { streamId: string; streamVersion: number }[][]) =>
      batches.flat().map((e) => `${e.streamId}@${e.streamVersion}`);
    const expected = ['t-a', 't-b', 't-c'].flatMap((s) => [1, 2, 3, 4].map((v) => `${s}@${v}`));

    const batches: StreamEvent[][] = [];
    for await (const batch of store.readStreamsInOrder({ prefix: 't-', batchSize: 5 })) {
      batches.push(batch);
      // A commit between two batches is not seen: every batch comes from the first one's snapshot.
      if (batches.length === 1) await store.append('t-a', 4, [{ type: 'A', data: { v: 5 } }]);
    }
    expect(batches.map((b) => b.length)).toEqual([5, 5, 2]);
    expect(order(batches)).toEqual(expected);
    expect(batches[0][0]).toMatchObject({ type: 'A', data: { v: 1 }, schemaVersion: 1 });
    // What a fold reads, and no more: the feed's checkpoint and the recording time stay unread.
    expect(Object.keys(batches[0][0]).sort()).toEqual([
      'data',
      'metadata',
      'position',
      'schemaVersion',
      'streamId',
      'streamVersion',
      'type',
    ]);

    const again: StreamEvent[][] = [];
    for await (const batch of store.readStreamsInOrder({ prefix: 't-', batchSize: 100 })) again.push(batch);
    expect(order(again)).toEqual(['t-a@5', ...expected].sort((x, y) => (x < y ? -1 : 1)));
    expect(order(again).filter((e) => e.startsWith('t-a'))).toEqual([
      't-a@1',
      't-a@2',
      't-a@3',
      't-a@4',
      't-a@5',
    ]);
  });

  it('ends its read transaction when the reader stops early, and gives the connection back', async () => {
    const { store } = await freshStore();
    await store.append('t-x', 'no-stream', [
      { type: 'A', data: {} },
      { type: 'A', data: {} },
    ]);
    for await (const batch of store.readStreamsInOrder({ batchSize: 1 })) {
      expect(batch).toHaveLength(1);
      break;
    }
    // The COPY was cut short, so its connection was closed: the server ends the transaction as it
    // sees the connection go, a moment later.
    await eventually(async () => (await readersInTransaction()) === 0);
    expect(h.pool.idleCount).toBe(h.pool.totalCount);
  });

  it('reads payloads larger than its read-ahead, any text, and a prefix with a quote in it', async () => {
    const { store } = await freshStore();
    const big = { text: 'ü€😀 "quoted" \\ back\nslash '.repeat(80_000) };
    await store.append(`t-'q`, 'no-stream', [
      { type: 'Big', data: big, metadata: { note: 'é' } },
      { type: 'Small', data: { n: 1 } },
    ]);
    await store.append(`t-'r`, 'no-stream', [{ type: 'Small', data: { n: 2 } }]);
    await store.append(`t-q`, 'no-stream', [{ type: 'Small', data: { n: 3 } }]);

    const read: StreamEvent[] = [];
    for await (const batch of store.readStreamsInOrder({ prefix: `t-'`, batchSize: 2 })) read.push(...batch);
    expect(JSON.stringify(big).length).toBeGreaterThan(2 ** 21);
    expect(read.map((e) => [e.streamId, e.streamVersion, e.type])).toEqual([
      [`t-'q`, 1, 'Big'],
      [`t-'q`, 2, 'Small'],
      [`t-'r`, 1, 'Small'],
    ]);
    expect(read[0].data).toEqual(big);
    expect(read[0].metadata).toMatchObject({ note: 'é' });
  });

  it('closes the connection of a read its consumer gave up mid-COPY, and leaves the pool usable', async () => {
    const { store } = await freshStore();
    for (let i = 0; i < 200; i++) {
      await store.append(`t-${i}`, 'no-stream', [{ type: 'A', data: { pad: 'x'.repeat(20_000) } }]);
    }
    const before = h.pool.totalCount;
    await expect(
      (async () => {
        for await (const batch of store.readStreamsInOrder({ prefix: 't-', batchSize: 1 })) {
          expect(batch).toHaveLength(1);
          throw new Error('the fold failed');
        }
      })(),
    ).rejects.toThrow('the fold failed');
    await eventually(async () => (await readersInTransaction()) === 0);
    expect(h.pool.totalCount).toBeLessThanOrEqual(before);
    // The pool's next read works and sees the whole log.
    expect(await eventsRead(store)).toBe(200);
  });

  it('fails with the server error when the server cancels its COPY, and leaves the pool usable', async () => {
    const { store } = await freshStore();
    // 40 MB: more than the socket and the read-ahead hold, so the server is still sending.
    const pad = 'x'.repeat(20_000);
    for (let s = 0; s < 20; s++) {
      await store.append(
        `t-${s}`,
        'no-stream',
        Array.from({ length: 100 }, () => ({ type: 'A', data: { pad } })),
      );
    }
    const read = (async () => {
      let events = 0;
      for await (const batch of store.readStreamsInOrder({ prefix: 't-', batchSize: 1 })) {
        events += batch.length;
        if (events === 1) {
          const { rows } = await h.pool.query<{ cancelled: boolean }>(
            `SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity
             WHERE datname = current_database() AND state = 'active' AND query LIKE 'COPY (%'`,
          );
          expect(rows).toEqual([{ cancelled: true }]);
        }
      }
      return events;
    })();
    await expect(read).rejects.toThrow('canceling statement due to user request');
    await eventually(async () => (await readersInTransaction()) === 0);
    expect(await eventsRead(store)).toBe(2000);
  });

  it('says a pool that is not pg cannot read streams in order', async () => {
    const { schema } = await freshStore();
    const plain = {
      query: h.pool.query.bind(h.pool) as SqlExecutor['query'],
      connect: async () => {
        const client = await h.pool.connect();
        return { query: client.query.bind(client) as SqlExecutor['query'], release: () => client.release() };
      },
    };
    const store = new EventStore(plain, { schema });
    await expect(store.readStreamsInOrder().next()).rejects.toThrow(
      'readStreamsInOrder reads the log with COPY, which needs a pg Pool',
    );
    expect(h.pool.idleCount).toBe(h.pool.totalCount);
  });

  it('never skips or repeats under concurrent, slow and rolled-back writers', async () => {
    const { store, schema } = await freshStore();
    const runner = new ProjectionRunner(store, recordingProjection(schema), { batchSize: 17 });
    const committed: number[] = [];
    let writing = true;

    const writer = async (w: number) => {
      const stream = `writer-${w}`;
      let version = 0;
      for (let i = 0; i < 25; i++) {
        const tx = await h.pool.connect();
        try {
          await tx.query('BEGIN');
          const events = Array.from({ length: 1 + (i % 3) }, () => ({ type: 'A', data: { w, i } }));
          const result = await store.append(stream, version, events, { inTransaction: tx });
          await new Promise((r) => setTimeout(r, Math.random() * 8));
          if (i % 7 === 3) {
            await tx.query('ROLLBACK');
          } else {
            await tx.query('COMMIT');
            version = result.nextExpectedVersion;
            committed.push(...result.positions);
          }
        } finally {
          tx.release();
        }
      }
    };
    const reader = async () => {
      while (writing) {
        await runner.runOnce();
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    const reading = reader();
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    writing = false;
    await reading;

    const rows = async () =>
      (
        await h.pool.query<{ position: string; stream_id: string; stream_version: number }>(
          `SELECT position, stream_id, stream_version FROM ${schema}.projected ORDER BY seq`,
        )
      ).rows;
    await catchUp(runner, async () => (await rows()).length === committed.length);
    const projected = await rows();
    expect(projected.map((r) => Number(r.position)).sort((a, b) => a - b)).toEqual(
      [...committed].sort((a, b) => a - b),
    );
    const lastVersion = new Map<string, number>();
    for (const r of projected) {
      expect(r.stream_version).toBe((lastVersion.get(r.stream_id) ?? 0) + 1);
      lastVersion.set(r.stream_id, r.stream_version);
    }
  });
});
