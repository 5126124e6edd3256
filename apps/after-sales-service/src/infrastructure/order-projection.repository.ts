import type { SqlExecutor } from '@aftersales/event-store';
import type { LineHistory, LineOutcome, OrderSnapshot } from '../domain';

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

/** Per line of the order: the ticket holding it now and how earlier tickets on it ended. */
export async function loadLineHistory(db: SqlExecutor, order: OrderSnapshot): Promise<LineHistory[]> {
  const [locks, outcomes] = await Promise.all([
    db.query<{ line_id: string; ticket_id: string }>(
      `SELECT line_id, ticket_id FROM line_locks WHERE order_id = $1`,
      [order.orderId],
    ),
    db.query<{ line_id: string; outcome: LineOutcome }>(
      `SELECT line_id, outcome FROM line_outcomes WHERE order_id = $1`,
      [order.orderId],
    ),
  ]);
  return order.lines.map((line) => ({
    lineId: line.lineId,
    activeTicketId: locks.rows.find((l) => l.line_id === line.lineId)?.ticket_id ?? null,
    succeededOutcomes: outcomes.rows.filter((o) => o.line_id === line.lineId).map((o) => o.outcome),
  }));
}
