import { ConflictError } from '@aftersales/kernel';
import { sqlStateOf } from '@aftersales/event-store';
import { lineEffectsOf, type Deadline, type Ticket, type TicketEvent, type TicketState } from '../../domain';
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

export const READ_MODEL_TABLES = ['tickets', 'line_locks', 'line_outcomes', 'deadlines'] as const;

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
 * statement (see TicketCommandHandler): line locks taken and released, line outcomes, the running
 * deadline and the ticket row (the timeline is folded from the stream when asked for, decision
 * 0007). Every write is guarded by `guard` (the append happened). Data-modifying CTEs all see the
 * same snapshot, which is fine here: one command never releases and takes the same line. A second
 * active ticket on a line fails the whole statement on the line_locks primary key.
 */
export function projectionCtes(
  recorded: readonly RecordedTicketEvent[],
  param: (value: unknown, type: string) => string,
  guard: string,
): string {
  const last = recorded[recorded.length - 1];
  if (!last || last.after.status === 'NONE') throw new Error('a projected command must leave a ticket');
  const ticket = last.after;
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
  const ctes: string[] = [];
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
