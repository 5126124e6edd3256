import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import { EventStore, withTransaction, type RecordedEvent, type SqlExecutor } from '@aftersales/event-store';
import { evolve, initialState, lineEffectsOf, type Ticket, type TicketState } from '../domain';
import {
  READ_MODEL_TABLES,
  copyApplyRequests,
  copyDeadlines,
  copyLineLocks,
  copyLineOutcomes,
  copyTickets,
  copyTimeline,
  ticketRowOf,
  timelineRowOf,
  type ApplyRequestRow,
  type DeadlineRow,
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

const READ_BATCH = 5000;

/**
 * Empties every read model and projects the whole log again, with the same row builders as the
 * live projection, in one transaction: readers see the old models until the new ones commit.
 * Three things run at once: the next batch of the log is read (on another connection), the
 * current one is folded in memory, and the timeline rows of the one before are copied in. Tickets
 * and the other small tables are copied once every stream is folded.
 */
export async function rebuildReadModels(pool: Pool, store: EventStore): Promise<RebuildReport> {
  const started = performance.now();
  return withTransaction<RebuildReport, PoolClient>(pool, async (tx) => {
    await tx.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}, apply_requests`);
    const tickets = new Map<string, { state: TicketState; version: number; updatedAt: string }>();
    const locks = new Map<string, LineLockRow>();
    const outcomes: LineOutcomeRow[] = [];
    const applyRequests: ApplyRequestRow[] = [];
    let written: Promise<void> = Promise.resolve();
    let events = 0;

    const fold = (recorded: RecordedEvent, timeline: TimelineRow[]) => {
      if (!recorded.streamId.startsWith('ticket-')) return;
      const ticketId = recorded.streamId.slice('ticket-'.length);
      const event = toDomainEvent(recorded);
      const entry = tickets.get(ticketId) ?? { state: initialState, version: 0, updatedAt: '' };
      const after = evolve(entry.state, event);
      if (after.status === 'NONE') return;
      timeline.push(
        timelineRowOf({ event, before: entry.state, after, streamVersion: recorded.streamVersion }, ticketId),
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
    };

    // The read ahead and the copy behind are awaited later; until then a failure of either is
    // only recorded (an unawaited rejection would end the process), and the loop stops at once.
    let failed = false;
    const later = <T>(promise: Promise<T>): Promise<T> => {
      promise.catch(() => (failed = true));
      return promise;
    };
    const batches = store.readAll(undefined, READ_BATCH)[Symbol.asyncIterator]();
    let next = later(batches.next());
    for (;;) {
      const { done, value: batch } = await next;
      if (done) break;
      next = later(batches.next());
      const timeline: TimelineRow[] = [];
      for (const recorded of batch) fold(recorded, timeline);
      // One COPY at a time on the transaction's connection; the next batch folds meanwhile.
      written = later(written.then(() => copyTimeline(tx, timeline)));
      if (failed) break;
    }
    // Throws whichever failed, and the transaction rolls back.
    await Promise.all([next, written]);

    const finals = [...tickets.values()].flatMap((t) =>
      t.state.status === 'NONE' ? [] : [{ ...t, state: t.state as Ticket }],
    );
    await copyTickets(
      tx,
      finals.map((t) => ticketRowOf(t.state, t.version, t.updatedAt)),
    );
    await copyDeadlines(
      tx,
      finals.flatMap((t): DeadlineRow[] =>
        t.state.deadline ? [{ ticketId: t.state.ticketId, deadline: t.state.deadline }] : [],
      ),
    );
    await copyLineLocks(tx, locks.values());
    await copyLineOutcomes(tx, outcomes);
    await copyApplyRequests(tx, applyRequests);

    const seconds = (performance.now() - started) / 1000;
    return { events, tickets: finals.length, seconds, eventsPerSecond: Math.round(events / seconds) };
  });
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
