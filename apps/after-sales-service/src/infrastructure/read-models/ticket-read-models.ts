import { ConflictError } from '@aftersales/kernel';
import { sqlStateOf } from '@aftersales/event-store';
import { lineEffectsOf, type Deadline, type Ticket, type TicketEvent, type TicketState } from '../../domain';
import { timelineEntryOf } from '../../application/timeline/timeline-entry';
import { copyColumns, encodeCopy, type EncodedCopy } from './copy-rows';

/** One appended event with the ticket state before and after it: the unit every projection reads. */
export interface RecordedTicketEvent {
  event: TicketEvent;
  before: TicketState;
  after: TicketState;
  streamVersion: number;
}

export interface TicketRow {
  ticketId: string;
  ticketNo: string;
  type: string;
  status: string;
  orderId: string;
  merchantId: string;
  customerId: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TimelineRow {
  ticketId: string;
  streamVersion: number;
  at: string;
  actorRole: string;
  actorId: string;
  eventType: string;
  fromStatus: string | null;
  toStatus: string | null;
  title: string;
  detail: string;
}

export const READ_MODEL_TABLES = [
  'tickets',
  'ticket_timeline',
  'line_locks',
  'line_outcomes',
  'deadlines',
] as const;

export function ticketRowOf(state: Ticket, version: number, updatedAt: string): TicketRow {
  return {
    ticketId: state.ticketId,
    ticketNo: state.ticketNo,
    type: state.type,
    status: state.status,
    orderId: state.orderId,
    merchantId: state.merchantId,
    customerId: state.customerId,
    createdAt: state.appliedAt,
    updatedAt,
    version,
  };
}

export function timelineRowOf(r: RecordedTicketEvent, ticketId: string): TimelineRow {
  const entry = timelineEntryOf(r.event, r.before, r.after);
  return {
    ticketId,
    streamVersion: r.streamVersion,
    at: entry.at,
    actorRole: entry.actor.role,
    actorId: entry.actor.id,
    eventType: entry.eventType,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    title: entry.title,
    detail: entry.detail,
  };
}

export interface LineLockRow {
  orderId: string;
  lineId: string;
  ticketId: string;
  quantity: number;
}
export interface LineOutcomeRow extends LineLockRow {
  outcome: string;
}

export interface DeadlineRow {
  ticketId: string;
  deadline: Deadline;
}

// The rebuild's rows as binary COPY into emptied tables, each with its table's columns.
const TICKET_COLUMNS = copyColumns({
  ticket_id: 'text',
  ticket_no: 'text',
  type: 'text',
  status: 'text',
  order_id: 'text',
  merchant_id: 'text',
  customer_id: 'text',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  version: 'int4',
});
export const ticketsCopy = (rows: Iterable<TicketRow>): EncodedCopy =>
  encodeCopy(
    'tickets',
    TICKET_COLUMNS,
    map(rows, (r) => [
      r.ticketId,
      r.ticketNo,
      r.type,
      r.status,
      r.orderId,
      r.merchantId,
      r.customerId,
      r.createdAt,
      r.updatedAt,
      r.version,
    ]),
  );

const TIMELINE_COLUMNS = copyColumns({
  ticket_id: 'text',
  stream_version: 'int4',
  at: 'timestamptz',
  actor_role: 'text',
  actor_id: 'text',
  event_type: 'text',
  from_status: 'text',
  to_status: 'text',
  title: 'text',
  detail: 'text',
});
export const timelineCopy = (rows: Iterable<TimelineRow>): EncodedCopy =>
  encodeCopy(
    'ticket_timeline',
    TIMELINE_COLUMNS,
    map(rows, (r) => [
      r.ticketId,
      r.streamVersion,
      r.at,
      r.actorRole,
      r.actorId,
      r.eventType,
      r.fromStatus,
      r.toStatus,
      r.title,
      r.detail,
    ]),
  );

const LINE_LOCK_COLUMNS = copyColumns({
  order_id: 'text',
  line_id: 'text',
  ticket_id: 'text',
  quantity: 'int4',
});
export const lineLocksCopy = (rows: Iterable<LineLockRow>): EncodedCopy =>
  encodeCopy(
    'line_locks',
    LINE_LOCK_COLUMNS,
    map(rows, (r) => [r.orderId, r.lineId, r.ticketId, r.quantity]),
  );

const LINE_OUTCOME_COLUMNS = copyColumns({
  order_id: 'text',
  line_id: 'text',
  ticket_id: 'text',
  outcome: 'text',
  quantity: 'int4',
});
export const lineOutcomesCopy = (rows: Iterable<LineOutcomeRow>): EncodedCopy =>
  encodeCopy(
    'line_outcomes',
    LINE_OUTCOME_COLUMNS,
    map(rows, (r) => [r.orderId, r.lineId, r.ticketId, r.outcome, r.quantity]),
  );

const DEADLINE_COLUMNS = copyColumns({
  ticket_id: 'text',
  state: 'text',
  due_at: 'timestamptz',
  on_expiry: 'text',
});
export const deadlinesCopy = (rows: Iterable<DeadlineRow>): EncodedCopy =>
  encodeCopy(
    'deadlines',
    DEADLINE_COLUMNS,
    map(rows, (r) => [r.ticketId, r.deadline.state, r.deadline.dueAt, r.deadline.onExpiry]),
  );

export interface ApplyRequestRow {
  customerId: string;
  key: string;
  ticketId: string;
}

const APPLY_REQUEST_COLUMNS = copyColumns({
  customer_id: 'text',
  idempotency_key: 'text',
  ticket_id: 'text',
});
export const applyRequestsCopy = (rows: Iterable<ApplyRequestRow>): EncodedCopy =>
  encodeCopy(
    'apply_requests',
    APPLY_REQUEST_COLUMNS,
    map(rows, (r) => [r.customerId, r.key, r.ticketId]),
  );

function* map<T>(rows: Iterable<T>, toFields: (row: T) => unknown[]): Generator<unknown[]> {
  for (const row of rows) yield toFields(row);
}

/**
 * Everything one command changes in the read models, as CTEs that run in the append's own
 * statement (see TicketCommandHandler): timeline entries, line locks taken and released, line
 * outcomes, the running deadline and the ticket row. Every write is guarded by `guard` (the append
 * happened). Data-modifying CTEs all see the same snapshot, which is fine here: one command never
 * releases and takes the same line. A second active ticket on a line fails the whole statement on
 * the line_locks primary key.
 */
export function projectionCtes(
  recorded: readonly RecordedTicketEvent[],
  param: (value: unknown, type: string) => string,
  guard: string,
): string {
  const last = recorded[recorded.length - 1];
  if (!last || last.after.status === 'NONE') throw new Error('a projected command must leave a ticket');
  const ticket = last.after;
  const timeline = recorded.map((r) => timelineRowOf(r, ticket.ticketId));
  const locks: { lineId: string; quantity: number }[] = [];
  const outcomes: { lineId: string; outcome: string; quantity: number }[] = [];
  const released: string[] = [];
  for (const r of recorded) {
    for (const effect of lineEffectsOf(r.event, r.after)) {
      if (effect.kind === 'LOCKED') locks.push({ lineId: effect.lineId, quantity: effect.quantity });
      else {
        released.push(effect.lineId);
        if (effect.kind === 'SUCCEEDED') {
          outcomes.push({ lineId: effect.lineId, outcome: effect.outcome, quantity: effect.quantity });
        }
      }
    }
  }
  const row = ticketRowOf(ticket, last.streamVersion, last.event.metadata.occurredAt);
  const id = param(ticket.ticketId, 'text');
  const orderId = param(ticket.orderId, 'text');
  // Only the writes this command makes: a CTE that would change nothing still costs PostgreSQL its
  // executor set-up and the locks on its table and indexes, on every command.
  const ctes = [
    `rm_timeline AS (
      INSERT INTO ticket_timeline (ticket_id, stream_version, at, actor_role, actor_id, event_type, from_status, to_status, title, detail)
      SELECT ${id}, * FROM unnest(${param(
        timeline.map((t) => t.streamVersion),
        'int[]',
      )}, ${param(
        timeline.map((t) => t.at),
        'timestamptz[]',
      )}, ${param(
        timeline.map((t) => t.actorRole),
        'text[]',
      )}, ${param(
        timeline.map((t) => t.actorId),
        'text[]',
      )}, ${param(
        timeline.map((t) => t.eventType),
        'text[]',
      )}, ${param(
        timeline.map((t) => t.fromStatus),
        'text[]',
      )}, ${param(
        timeline.map((t) => t.toStatus),
        'text[]',
      )}, ${param(
        timeline.map((t) => t.title),
        'text[]',
      )}, ${param(
        timeline.map((t) => t.detail),
        'text[]',
      )}) WHERE ${guard}
    )`,
  ];
  if (released.length > 0) {
    ctes.push(`rm_released AS (
      DELETE FROM line_locks WHERE order_id = ${orderId} AND ticket_id = ${id}
        AND line_id = ANY(${param(released, 'text[]')}) AND ${guard}
    )`);
  }
  if (locks.length > 0) {
    ctes.push(`rm_locked AS (
      INSERT INTO line_locks (order_id, line_id, ticket_id, quantity)
      SELECT ${orderId}, l.line_id, ${id}, l.quantity
      FROM unnest(${param(
        locks.map((l) => l.lineId),
        'text[]',
      )}, ${param(
        locks.map((l) => l.quantity),
        'int[]',
      )}) AS l(line_id, quantity) WHERE ${guard}
    )`);
  }
  if (outcomes.length > 0) {
    ctes.push(`rm_outcomes AS (
      INSERT INTO line_outcomes (order_id, line_id, ticket_id, outcome, quantity)
      SELECT ${orderId}, o.line_id, ${id}, o.outcome, o.quantity
      FROM unnest(${param(
        outcomes.map((o) => o.lineId),
        'text[]',
      )}, ${param(
        outcomes.map((o) => o.outcome),
        'text[]',
      )}, ${param(
        outcomes.map((o) => o.quantity),
        'int[]',
      )}) AS o(line_id, outcome, quantity) WHERE ${guard}
    )`);
  }
  const deadline = ticket.deadline;
  ctes.push(
    deadline
      ? `rm_deadline_set AS (
      INSERT INTO deadlines (ticket_id, state, due_at, on_expiry)
      SELECT ${id}, ${param(deadline.state, 'text')}, ${param(deadline.dueAt, 'timestamptz')}, ${param(
        deadline.onExpiry,
        'text',
      )}
      WHERE ${guard}
      ON CONFLICT (ticket_id) DO UPDATE SET state = EXCLUDED.state, due_at = EXCLUDED.due_at, on_expiry = EXCLUDED.on_expiry
    )`
      : `rm_deadline_cleared AS (
      DELETE FROM deadlines WHERE ticket_id = ${id} AND ${guard}
    )`,
  );
  ctes.push(`rm_ticket AS (
      INSERT INTO tickets (ticket_id, ticket_no, type, status, order_id, merchant_id, customer_id, created_at, updated_at, version)
      SELECT ${id}, ${param(row.ticketNo, 'text')}, ${param(row.type, 'text')}, ${param(row.status, 'text')}, ${orderId},
        ${param(row.merchantId, 'text')}, ${param(row.customerId, 'text')}, ${param(row.createdAt, 'timestamptz')},
        ${param(row.updatedAt, 'timestamptz')}, ${param(row.version, 'int')}
      WHERE ${guard}
      ON CONFLICT (ticket_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
        version = EXCLUDED.version
    )`);
  return ctes.join(', ');
}

/** The unique-index violations a command's statement can hit, as the errors they mean. */
export function readModelConflict(error: unknown, orderId: string): ConflictError | null {
  const { code, constraint } = sqlStateOf(error);
  if (code !== '23505' || constraint !== 'line_locks_pkey') return null;
  // Two applications for the same line raced past the eligibility read: the index decides.
  return new ConflictError(
    `A line of order ${orderId} already has an active after-sales ticket`,
    'eligibility.line-has-active-ticket',
  );
}
