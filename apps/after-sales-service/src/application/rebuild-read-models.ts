import { performance } from 'node:perf_hooks';
import { EventStore, withTransaction, type SqlExecutor, type SqlPool } from '@aftersales/event-store';
import { evolve, initialState, lineEffectsOf, type Ticket, type TicketState } from '../domain';
import {
  READ_MODEL_TABLES,
  insertLineLocks,
  insertLineOutcomes,
  insertTimeline,
  ticketRowOf,
  timelineRowOf,
  insertTickets,
  insertDeadlines,
  type LineLockRow,
  type LineOutcomeRow,
  type TimelineRow,
} from '../infrastructure/read-models/ticket-read-models';
import { toDomainEvent } from './ticket-command.handler';

export interface RebuildReport {
  events: number;
  tickets: number;
  seconds: number;
  eventsPerSecond: number;
}

const CHUNK = 2000;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

/**
 * Empties every read model and projects the whole log again, with the same row builders as the
 * live projection, in one transaction: readers see the old models until the new ones commit. The
 * tables are empty after TRUNCATE, so rows are plain bulk inserts.
 * Tickets are folded in memory and written in bulk, which is what makes a rebuild fast.
 */
export async function rebuildReadModels(pool: SqlPool, store: EventStore): Promise<RebuildReport> {
  const started = performance.now();
  return withTransaction(pool, async (tx) => {
    await tx.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}, apply_requests`);
    const tickets = new Map<string, { state: TicketState; version: number; updatedAt: string }>();
    const locks = new Map<string, LineLockRow>();
    const outcomes: LineOutcomeRow[] = [];
    const applyRequests: { customerId: string; key: string; ticketId: string }[] = [];
    let timeline: TimelineRow[] = [];
    let events = 0;

    for await (const batch of store.readAll(undefined, 5000)) {
      for (const recorded of batch) {
        if (!recorded.streamId.startsWith('ticket-')) continue;
        const ticketId = recorded.streamId.slice('ticket-'.length);
        const event = toDomainEvent(recorded);
        const entry = tickets.get(ticketId) ?? { state: initialState, version: 0, updatedAt: '' };
        const after = evolve(entry.state, event);
        if (after.status === 'NONE') continue;
        timeline.push(
          timelineRowOf(
            { event, before: entry.state, after, streamVersion: recorded.streamVersion },
            ticketId,
          ),
        );
        for (const effect of lineEffectsOf(event, after)) {
          const lockKey = `${after.orderId}\u0000${effect.lineId}`;
          if (effect.kind === 'LOCKED') {
            locks.set(lockKey, {
              orderId: after.orderId,
              lineId: effect.lineId,
              ticketId,
              quantity: effect.quantity,
            });
          } else {
            if (locks.get(lockKey)?.ticketId === ticketId) locks.delete(lockKey);
            if (effect.kind === 'SUCCEEDED') {
              outcomes.push({
                orderId: after.orderId,
                lineId: effect.lineId,
                ticketId,
                outcome: effect.outcome,
                quantity: effect.quantity,
              });
            }
          }
        }
        const key = recorded.metadata['idempotencyKey'];
        if (event.type === 'AfterSalesApplied' && typeof key === 'string') {
          applyRequests.push({ customerId: event.metadata.actor.id, key, ticketId });
        }
        tickets.set(ticketId, {
          state: after,
          version: recorded.streamVersion,
          updatedAt: event.metadata.occurredAt,
        });
        events++;
      }
      if (timeline.length >= CHUNK) {
        await insertTimeline(tx, timeline);
        timeline = [];
      }
    }
    await insertTimeline(tx, timeline);

    const finals = [...tickets.entries()].flatMap(([, t]) =>
      t.state.status === 'NONE' ? [] : [{ ...t, state: t.state as Ticket }],
    );
    await inChunks(finals, (c) =>
      insertTickets(
        tx,
        c.map((t) => ticketRowOf(t.state, t.version, t.updatedAt)),
      ),
    );
    await inChunks(finals, (c) =>
      insertDeadlines(
        tx,
        c.map((t) => ({ ticketId: t.state.ticketId, deadline: t.state.deadline })),
      ),
    );
    await inChunks([...locks.values()], (c) => insertLineLocks(tx, c));
    await inChunks(outcomes, (c) => insertLineOutcomes(tx, c));
    await inChunks(applyRequests, (c) => insertApplyRequests(tx, c));

    const seconds = (performance.now() - started) / 1000;
    return { events, tickets: finals.length, seconds, eventsPerSecond: Math.round(events / seconds) };
  });
}

async function insertApplyRequests(
  tx: SqlExecutor,
  rows: { customerId: string; key: string; ticketId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO apply_requests (customer_id, idempotency_key, ticket_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
    [rows.map((r) => r.customerId), rows.map((r) => r.key), rows.map((r) => r.ticketId)],
  );
}

/** Every read model as sorted plain rows: what a rebuild must reproduce exactly. */
export async function dumpReadModels(db: SqlExecutor): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of [...READ_MODEL_TABLES, 'apply_requests']) {
    const { rows } = await db.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY to_jsonb(t)::text`);
    out[table] = rows.map((r) => (r as { row: unknown }).row);
  }
  return out;
}
