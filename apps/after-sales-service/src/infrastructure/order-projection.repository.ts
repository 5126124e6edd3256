import { run, statement, type SqlExecutor } from '@aftersales/event-store';
import {
  refundedUnits,
  type LineHistory,
  type MerchantPolicy,
  type OrderSnapshot,
  type SucceededLine,
} from '../domain';

/** After-sales' own copy of orders, kept from the order service's events. */
export async function loadOrder(db: SqlExecutor, orderId: string): Promise<OrderSnapshot | null> {
  const { rows } = await db.query<{ snapshot: OrderSnapshot }>(
    `SELECT snapshot FROM orders WHERE order_id = $1`,
    [orderId],
  );
  return rows[0]?.snapshot ?? null;
}

/** Keeps the newest revision; an older or repeated one changes nothing. Returns whether it was applied. */
export async function saveOrder(
  db: SqlExecutor,
  order: OrderSnapshot,
  revision: number,
  at: Date,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO orders (order_id, revision, snapshot, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (order_id) DO UPDATE SET revision = EXCLUDED.revision, snapshot = EXCLUDED.snapshot, updated_at = EXCLUDED.updated_at
     WHERE orders.revision < EXCLUDED.revision`,
    [order.orderId, revision, JSON.stringify(order), at],
  );
  return (rowCount ?? 0) > 0;
}

export interface ApplicationFactsRow {
  order: OrderSnapshot | null;
  lineHistory: LineHistory[];
  /** The merchant's saved policy, null when the merchant kept the defaults. */
  policy: Partial<MerchantPolicy> | null;
  /** Next number of the human-readable ticket number sequence. */
  sequence: number;
}

// Everything an application is judged on, in one round trip.
const APPLICATION_FACTS = statement(`
  SELECT o.snapshot AS order,
         (SELECT coalesce(json_agg(json_build_object('lineId', line_id, 'ticketId', ticket_id)), '[]'::json)
            FROM line_locks WHERE order_id = $1) AS locks,
         (SELECT coalesce(json_agg(json_build_object('lineId', line_id, 'outcome', outcome, 'quantity', quantity)), '[]'::json)
            FROM line_outcomes WHERE order_id = $1) AS outcomes,
         (SELECT policy FROM merchant_policies WHERE merchant_id = o.snapshot->>'merchantId') AS policy,
         nextval('ticket_no_seq') AS sequence
  FROM (SELECT 1) one LEFT JOIN orders o ON o.order_id = $1`);

export async function loadApplicationFacts(db: SqlExecutor, orderId: string): Promise<ApplicationFactsRow> {
  const { rows } = await run<{
    order: OrderSnapshot | null;
    locks: { lineId: string; ticketId: string }[];
    outcomes: SucceededLine[];
    policy: Partial<MerchantPolicy> | null;
    /** bigint, which pg hands over as text. */
    sequence: string;
  }>(db, APPLICATION_FACTS, [orderId]);
  const row = rows[0];
  const order = row.order;
  return {
    order,
    policy: row.policy,
    sequence: Number(row.sequence),
    lineHistory: (order?.lines ?? []).map((line) => ({
      lineId: line.lineId,
      activeTicketId: row.locks.find((l) => l.lineId === line.lineId)?.ticketId ?? null,
      succeededOutcomes: row.outcomes.filter((o) => o.lineId === line.lineId).map((o) => o.outcome),
      refundedQuantity: refundedUnits(row.outcomes, line.lineId),
    })),
  };
}
