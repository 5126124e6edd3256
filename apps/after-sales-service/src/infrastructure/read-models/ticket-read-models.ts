import { ConflictError } from '@aftersales/kernel';
import { run, sqlStateOf, statement, type SqlExecutor } from '@aftersales/event-store';
import { lineEffectsOf, type Deadline, type Ticket, type TicketEvent, type TicketState } from '../../domain';
import { timelineEntryOf } from '../../application/timeline/timeline-entry';

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
  state: Ticket;
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
    state,
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

// Bulk writes (the rebuild) pass rows as one JSON document: PostgreSQL reads JSON several times
// faster than it parses array literals of long strings.
export async function upsertTickets(tx: SqlExecutor, rows: readonly TicketRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO tickets (ticket_id, ticket_no, type, status, order_id, merchant_id, customer_id, created_at, updated_at, version, state)
     SELECT r."ticketId", r."ticketNo", r.type, r.status, r."orderId", r."merchantId", r."customerId",
            r."createdAt", r."updatedAt", r.version, r.state
     FROM json_to_recordset($1::json) AS r("ticketId" text, "ticketNo" text, type text, status text, "orderId" text,
          "merchantId" text, "customerId" text, "createdAt" timestamptz, "updatedAt" timestamptz, version int, state jsonb)
     ON CONFLICT (ticket_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
       version = EXCLUDED.version, state = EXCLUDED.state`,
    [JSON.stringify(rows)],
  );
}

export async function insertTimeline(tx: SqlExecutor, rows: readonly TimelineRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ticket_timeline (ticket_id, stream_version, at, actor_role, actor_id, event_type, from_status, to_status, title, detail)
     SELECT r."ticketId", r."streamVersion", r.at, r."actorRole", r."actorId", r."eventType", r."fromStatus",
            r."toStatus", r.title, r.detail
     FROM json_to_recordset($1::json) AS r("ticketId" text, "streamVersion" int, at timestamptz, "actorRole" text,
          "actorId" text, "eventType" text, "fromStatus" text, "toStatus" text, title text, detail text)`,
    [JSON.stringify(rows)],
  );
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

export async function insertLineLocks(tx: SqlExecutor, rows: readonly LineLockRow[]): Promise<void> {
  if (rows.length === 0) return;
  try {
    await tx.query(
      `INSERT INTO line_locks (order_id, line_id, ticket_id, quantity)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])`,
      [
        rows.map((r) => r.orderId),
        rows.map((r) => r.lineId),
        rows.map((r) => r.ticketId),
        rows.map((r) => r.quantity),
      ],
    );
  } catch (e) {
    // Two applications for the same line raced past the eligibility read: the index decides.
    if (sqlStateOf(e).code === '23505') {
      throw new ConflictError(
        `A line of order ${rows[0].orderId} already has an active after-sales ticket`,
        'eligibility.line-has-active-ticket',
      );
    }
    throw e;
  }
}

export async function insertLineOutcomes(tx: SqlExecutor, rows: readonly LineOutcomeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO line_outcomes (order_id, line_id, ticket_id, outcome, quantity)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])`,
    [
      rows.map((r) => r.orderId),
      rows.map((r) => r.lineId),
      rows.map((r) => r.ticketId),
      rows.map((r) => r.outcome),
      rows.map((r) => r.quantity),
    ],
  );
}

export async function writeDeadlines(
  tx: SqlExecutor,
  rows: readonly { ticketId: string; deadline: Deadline | null }[],
): Promise<void> {
  const set = rows.filter((r): r is { ticketId: string; deadline: Deadline } => r.deadline !== null);
  const cleared = rows.filter((r) => r.deadline === null).map((r) => r.ticketId);
  if (cleared.length > 0)
    await tx.query(`DELETE FROM deadlines WHERE ticket_id = ANY($1::text[])`, [cleared]);
  if (set.length === 0) return;
  await tx.query(
    `INSERT INTO deadlines (ticket_id, state, due_at, on_expiry)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
     ON CONFLICT (ticket_id) DO UPDATE SET state = EXCLUDED.state, due_at = EXCLUDED.due_at, on_expiry = EXCLUDED.on_expiry`,
    [
      set.map((r) => r.ticketId),
      set.map((r) => r.deadline.state),
      set.map((r) => r.deadline.dueAt),
      set.map((r) => r.deadline.onExpiry),
    ],
  );
}

/**
 * Everything one command changes in the read models, written by one statement (one round trip):
 * timeline entries, line locks taken and released, line outcomes, the running deadline and the
 * ticket row. Data-modifying CTEs all see the same snapshot, which is fine here: one command never
 * releases and takes the same line.
 */
const PROJECT_COMMAND = statement(`
    WITH timeline AS (
      INSERT INTO ticket_timeline (ticket_id, stream_version, at, actor_role, actor_id, event_type, from_status, to_status, title, detail)
      SELECT $1, * FROM unnest($2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
    ), released AS (
      DELETE FROM line_locks WHERE order_id = $11 AND ticket_id = $1 AND line_id = ANY($12::text[])
    ), locked AS (
      INSERT INTO line_locks (order_id, line_id, ticket_id, quantity)
      SELECT $11, l.line_id, $1, l.quantity FROM unnest($13::text[], $14::int[]) AS l(line_id, quantity)
    ), outcomes AS (
      INSERT INTO line_outcomes (order_id, line_id, ticket_id, outcome, quantity)
      SELECT $11, o.line_id, $1, o.outcome, o.quantity FROM unnest($15::text[], $16::text[], $17::int[]) AS o(line_id, outcome, quantity)
    ), deadline_cleared AS (
      DELETE FROM deadlines WHERE ticket_id = $1 AND $18::text IS NULL
    ), deadline_set AS (
      INSERT INTO deadlines (ticket_id, state, due_at, on_expiry)
      SELECT $1, $18, $19, $20 WHERE $18::text IS NOT NULL
      ON CONFLICT (ticket_id) DO UPDATE SET state = EXCLUDED.state, due_at = EXCLUDED.due_at, on_expiry = EXCLUDED.on_expiry
    )
    INSERT INTO tickets (ticket_id, ticket_no, type, status, order_id, merchant_id, customer_id, created_at, updated_at, version, state)
    VALUES ($1, $21, $22, $23, $11, $24, $25, $26, $27, $28, $29)
    ON CONFLICT (ticket_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at,
      version = EXCLUDED.version, state = EXCLUDED.state`);

/**
 * Inline projection: runs in the append's transaction, so the read models never disagree with the
 * log. A second active ticket on a line fails here, on the line_locks primary key, and rolls the
 * append back.
 */
export async function projectTicketEvents(
  tx: SqlExecutor,
  recorded: readonly RecordedTicketEvent[],
): Promise<void> {
  const last = recorded[recorded.length - 1];
  if (!last || last.after.status === 'NONE') return;
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
        if (effect.kind === 'SUCCEEDED')
          outcomes.push({ lineId: effect.lineId, outcome: effect.outcome, quantity: effect.quantity });
      }
    }
  }
  const row = ticketRowOf(ticket, last.streamVersion, last.event.metadata.occurredAt);
  const params = [
    ticket.ticketId,
    timeline.map((t) => t.streamVersion),
    timeline.map((t) => t.at),
    timeline.map((t) => t.actorRole),
    timeline.map((t) => t.actorId),
    timeline.map((t) => t.eventType),
    timeline.map((t) => t.fromStatus),
    timeline.map((t) => t.toStatus),
    timeline.map((t) => t.title),
    timeline.map((t) => t.detail),
    ticket.orderId,
    released,
    locks.map((l) => l.lineId),
    locks.map((l) => l.quantity),
    outcomes.map((o) => o.lineId),
    outcomes.map((o) => o.outcome),
    outcomes.map((o) => o.quantity),
    ticket.deadline?.state ?? null,
    ticket.deadline?.dueAt ?? null,
    ticket.deadline?.onExpiry ?? null,
    row.ticketNo,
    row.type,
    row.status,
    row.merchantId,
    row.customerId,
    row.createdAt,
    row.updatedAt,
    row.version,
    JSON.stringify(row.state),
  ];
  try {
    await run(tx, PROJECT_COMMAND, params);
  } catch (e) {
    // Two applications for the same line raced past the eligibility read: the index decides.
    if (sqlStateOf(e).code === '23505' && sqlStateOf(e).constraint === 'line_locks_pkey') {
      throw new ConflictError(
        `A line of order ${ticket.orderId} already has an active after-sales ticket`,
        'eligibility.line-has-active-ticket',
      );
    }
    throw e;
  }
}
