import type { EventStore, SqlExecutor } from '@aftersales/event-store';
import { evolve, initialState, type Ticket, type TicketState } from '../domain';
import { foldTicket, streamIdOf, toDomainEvent } from '../application/ticket-command.handler';
import { timelineEntryOf } from '../application/timeline/timeline-entry';

export interface TicketSearch {
  status?: string;
  type?: string;
  merchantId?: string;
  customerId?: string;
  orderId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Opaque: the last row of the previous page. */
  cursor?: string;
  limit: number;
}

export interface TicketPage {
  items: Ticket[];
  nextCursor: string | null;
}

interface Cursor {
  createdAt: string;
  ticketId: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(s: string): Cursor | null {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Partial<Cursor>;
    return typeof c.createdAt === 'string' && typeof c.ticketId === 'string'
      ? { createdAt: c.createdAt, ticketId: c.ticketId }
      : null;
  } catch {
    return null;
  }
}

// The tickets table is the index the queries search: ids, parties, status and dates. A ticket
// itself, and its timeline, are read from its stream and folded, as the commands do, so the read
// models carry no second copy of every state or event (docs/decisions/0006 and 0007).

/** Folds each of `ticketIds` from its stream, in the order given; ids without a stream are left out. */
async function ticketsOf(
  db: SqlExecutor,
  store: EventStore,
  ticketIds: readonly string[],
): Promise<Ticket[]> {
  const streamIds = ticketIds.map(streamIdOf);
  const streams = await store.readStreams(streamIds, db);
  const tickets: Ticket[] = [];
  for (const streamId of streamIds) {
    const events = streams.get(streamId);
    const state = events ? foldTicket(events) : null;
    if (state && state.status !== 'NONE') tickets.push(state);
  }
  return tickets;
}

export async function findTicket(
  db: SqlExecutor,
  store: EventStore,
  ticketId: string,
): Promise<Ticket | null> {
  const state = foldTicket(await store.readStream(streamIdOf(ticketId), { executor: db }));
  return state.status === 'NONE' ? null : state;
}

/** Newest first, keyset-paginated on (created_at, ticket_id) so pages stay stable while tickets arrive. */
export async function searchTickets(
  db: SqlExecutor,
  store: EventStore,
  q: TicketSearch,
  cursor: Cursor | null,
): Promise<TicketPage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.status) add('status = ?', q.status);
  if (q.type) add('type = ?', q.type);
  if (q.merchantId) add('merchant_id = ?', q.merchantId);
  if (q.customerId) add('customer_id = ?', q.customerId);
  if (q.orderId) add('order_id = ?', q.orderId);
  if (q.createdFrom) add('created_at >= ?', q.createdFrom);
  if (q.createdTo) add('created_at < ?', q.createdTo);
  if (cursor) {
    params.push(cursor.createdAt, cursor.ticketId);
    where.push(`(created_at, ticket_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(q.limit + 1);
  const { rows } = await db.query<{ created_at: Date; ticket_id: string }>(
    `SELECT created_at, ticket_id FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY created_at DESC, ticket_id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: await ticketsOf(
      db,
      store,
      page.map((r) => r.ticket_id),
    ),
    nextCursor:
      rows.length > q.limit && last
        ? encodeCursor({ createdAt: last.created_at.toISOString(), ticketId: last.ticket_id })
        : null,
  };
}

export interface TimelineEntryView {
  version: number;
  at: string;
  actor: { role: string; id: string };
  eventType: string;
  fromStatus: string | null;
  toStatus: string | null;
  title: string;
  detail: string;
}

/**
 * A ticket and its negotiation timeline, both folded from its stream: one entry per event, from
 * the event and the ticket's state before and after it (decision 0007). Null when it has no stream.
 */
export async function findTicketTimeline(
  db: SqlExecutor,
  store: EventStore,
  ticketId: string,
): Promise<{ ticket: Ticket; entries: TimelineEntryView[] } | null> {
  let state: TicketState = initialState;
  const entries: TimelineEntryView[] = [];
  for (const recorded of await store.readStream(streamIdOf(ticketId), { executor: db })) {
    const event = toDomainEvent(recorded);
    const after = evolve(state, event);
    if (after.status !== 'NONE') {
      const entry = timelineEntryOf(event, state, after);
      entries.push({
        version: recorded.streamVersion,
        at: new Date(entry.at).toISOString(),
        actor: { role: entry.actor.role, id: entry.actor.id },
        eventType: entry.eventType,
        fromStatus: entry.fromStatus,
        toStatus: entry.toStatus,
        title: entry.title,
        detail: entry.detail,
      });
    }
    state = after;
  }
  return state.status === 'NONE' ? null : { ticket: state, entries };
}

export async function ticketsOfOrder(db: SqlExecutor, store: EventStore, orderId: string): Promise<Ticket[]> {
  const { rows } = await db.query<{ ticket_id: string }>(
    `SELECT ticket_id FROM tickets WHERE order_id = $1 ORDER BY created_at`,
    [orderId],
  );
  return ticketsOf(
    db,
    store,
    rows.map((r) => r.ticket_id),
  );
}
