// `npm run bench:store`: append throughput of the event store next to a plain single-row INSERT of
// the same row into a bare table, on the same server in the same run. PostgreSQL: DATABASE_URL
// when set, else an embedded server started here.
import { cpus } from 'node:os';
import { Pool, PoolClient } from 'pg';
import { createTestDatabase, startSharedPostgres } from '@aftersales/testing';
import { EventStore, migrateEventStore, NewEvent } from '../src';

const WRITERS = [1, 8, 32];
const ROUNDS = 3;
const ROUND_MS = 1000;
const WARMUP_MS = 300;
/** Streams roll over so that appends hit both new and existing streams, as tickets do. */
const EVENTS_PER_STREAM = 100;

const data = {
  ticketId: '7f9d1c2e-4b8a-4f0e-9d3b-2a6c5e8f1b7d',
  orderId: 'ORD-2026-000418273',
  lines: [{ lineId: 'L-1', sku: 'SKU-88412', quantity: 1, amount: { cents: 12999, currency: 'EUR' } }],
  offered: { cents: 6500, currency: 'EUR' },
  reason: 'Partial refund offered for a scratched case; customer keeps the item.',
};
const metadata = {
  eventId: '0b6f3a52-9c1d-4e7a-8f21-5d3c9a7e6b10',
  correlationId: 'c5e2b8f4-1a3d-4c6e-9b7f-2d8a4e6c1f90',
  causationId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  actor: { kind: 'agent', id: 'agent-0042' },
  source: 'after-sales-service',
};
const event: NewEvent = { type: 'RefundOffered', schemaVersion: 1, data, metadata };

type Mode = 'plain' | 'append1' | 'append10' | 'tx1' | 'tx1Locked';

interface Ctx {
  pool: Pool;
  store: EventStore;
  run: string;
}

/** One writer's loop; returns the number of events (rows) it wrote before the deadline. */
async function writer(mode: Mode, ctx: Ctx, id: number, deadline: number): Promise<number> {
  const perAppend = mode === 'append10' ? 10 : 1;
  const batch = Array.from({ length: perAppend }, () => event);
  let written = 0;
  let stream = '';
  let version = 0;
  let streams = 0;
  while (Date.now() < deadline) {
    if (version === 0 || version >= EVENTS_PER_STREAM) {
      stream = `${ctx.run}-${mode}-${id}-${streams++}`;
      version = 0;
    }
    switch (mode) {
      case 'plain':
        await ctx.pool.query(
          `INSERT INTO bench.plain (stream_id, stream_version, type, schema_version, data, metadata, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [stream, version + 1, event.type, 1, JSON.stringify(data), JSON.stringify(metadata), new Date()],
        );
        version += 1;
        break;
      case 'append1':
      case 'append10':
        version = (await ctx.store.append(stream, version, batch)).nextExpectedVersion;
        break;
      case 'tx1':
      case 'tx1Locked': {
        const tx: PoolClient = await ctx.pool.connect();
        try {
          await tx.query(mode === 'tx1Locked' ? 'BEGIN; SELECT pg_advisory_xact_lock(4242)' : 'BEGIN');
          version = (await ctx.store.append(stream, version, batch, { inTransaction: tx }))
            .nextExpectedVersion;
          await tx.query('COMMIT');
        } finally {
          tx.release();
        }
        break;
      }
    }
    written += perAppend;
  }
  return written;
}

async function measure(
  mode: Mode,
  ctx: Ctx,
  writers: number,
  ms: number,
): Promise<{ events: number; ms: number }> {
  const started = performance.now();
  const deadline = Date.now() + ms;
  const counts = await Promise.all(
    Array.from({ length: writers }, (_, id) => writer(mode, ctx, id, deadline)),
  );
  return { events: counts.reduce((a, b) => a + b, 0), ms: performance.now() - started };
}

const modes: Mode[] = ['plain', 'append1', 'append10', 'tx1', 'tx1Locked'];

async function main(): Promise<void> {
  const server = await startSharedPostgres();
  process.env.DATABASE_URL = server.url;
  const db = await createTestDatabase('bench_store');
  try {
    const setup = new Pool({ connectionString: db.url, max: 1 });
    await migrateEventStore(setup, 'bench');
    await setup.query(`CREATE TABLE bench.plain (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      stream_id text NOT NULL, stream_version integer NOT NULL, type text NOT NULL, schema_version integer NOT NULL,
      data json NOT NULL, metadata json NOT NULL, recorded_at timestamptz NOT NULL)`);
    const { rows } = await setup.query<{ server_version: string }>('SHOW server_version');
    const { rows: settings } = await setup.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')`,
    );
    await setup.end();

    console.log(
      `PostgreSQL ${rows[0].server_version} (${server.embedded ? 'embedded' : 'DATABASE_URL'}; ${settings
        .map((s) => `${s.name}=${s.setting}`)
        .join(', ')}), Node ${process.version}, ${cpus().length} CPUs`,
    );
    console.log(
      `event: ${JSON.stringify(data).length} B data + ${JSON.stringify(metadata).length} B metadata; ` +
        `${ROUNDS} interleaved rounds of ${ROUND_MS} ms per cell; streams of ${EVENTS_PER_STREAM} events\n`,
    );

    const results: Record<number, Record<Mode, number>> = {};
    for (const writers of WRITERS) {
      const pool = new Pool({ connectionString: db.url, max: writers });
      const ctx: Ctx = { pool, store: new EventStore(pool, { schema: 'bench' }), run: `w${writers}` };
      const totals = Object.fromEntries(modes.map((m) => [m, { events: 0, ms: 0 }])) as Record<
        Mode,
        { events: number; ms: number }
      >;
      for (const mode of modes) await measure(mode, { ...ctx, run: `${ctx.run}-warm` }, writers, WARMUP_MS);
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of modes) {
          const r = await measure(mode, { ...ctx, run: `${ctx.run}-r${round}` }, writers, ROUND_MS);
          totals[mode].events += r.events;
          totals[mode].ms += r.ms;
        }
      }
      await pool.end();
      results[writers] = Object.fromEntries(
        modes.map((m) => [m, (totals[m].events / totals[m].ms) * 1000]),
      ) as Record<Mode, number>;
    }
    printTable(results);
  } finally {
    await db.drop();
    await server.stop();
  }
}

function printTable(results: Record<number, Record<Mode, number>>): void {
  const header = [
    'writers',
    'plain INSERT rows/s',
    'append 1 ev/s',
    'vs plain',
    'append 10 ev/s',
    'vs plain',
    'tx append 1 ev/s',
    '+ global lock ev/s',
    'lock cost',
  ];
  const rows = WRITERS.map((w) => {
    const r = results[w];
    return [
      String(w),
      r.plain.toFixed(0),
      r.append1.toFixed(0),
      `${(r.append1 / r.plain).toFixed(2)}x`,
      r.append10.toFixed(0),
      `${(r.append10 / r.plain).toFixed(2)}x`,
      r.tx1.toFixed(0),
      r.tx1Locked.toFixed(0),
      `${(r.tx1Locked / r.tx1).toFixed(2)}x`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(
    '\nappend 1 / append 10: EventStore.append of 1 or 10 events per call, each its own transaction (one statement).' +
      '\ntx append 1: BEGIN; append(inTransaction); COMMIT, as a service does with its outbox rows.' +
      '\n+ global lock: the same with pg_advisory_xact_lock taken first, the rejected way to serialise positions.',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
