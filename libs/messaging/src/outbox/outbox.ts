import { parameterBinder, type SqlExecutor } from '@aftersales/event-store';

/** A Kafka message as the outbox stores it; `id` is the event id (the CloudEvents `ce_id`). */
export interface OutgoingMessage {
  id: string;
  topic: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** NOTIFY channel the relay listens on; delivered at commit, so it never runs ahead of the rows. */
export const OUTBOX_CHANNEL = 'outbox_pending';

/**
 * Adds messages to the outbox inside the caller's business transaction: they are published only
 * if, and after, that transaction commits. The same event id twice is one message.
 */
export async function addToOutbox(tx: SqlExecutor, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  // One round trip: the rows and the wake-up call for the relay, the same SQL a larger statement
  // embeds through outboxCtes.
  const values: unknown[] = [];
  const { ctes, select } = outboxCtes(messages, parameterBinder(values), 'true');
  await tx.query(`WITH ${ctes} SELECT ${select}`, values);
}

/**
 * The same insert (and wake-up) as `addToOutbox`, as CTEs for a statement that writes something
 * else too (an event-store append's `followedBy`): `guard` is the SQL condition under which the
 * rows are written. The CTE names start with `outbox_`.
 */
export function outboxCtes(
  messages: OutgoingMessage[],
  param: (value: unknown, type: string) => string,
  guard: string,
): { ctes: string; select: string } {
  // One json parameter for all the rows: as text[] arrays, every payload and header set (JSON, full
  // of quotes) would be escaped again by pg's array-literal writer, ~18 KB of garbage a command.
  const rows = messages.map((m) => ({
    event_id: m.id,
    topic: m.topic,
    message_key: m.key,
    headers: m.headers,
    payload: m.value,
  }));
  return {
    ctes: `outbox_added AS (
        INSERT INTO outbox (event_id, topic, message_key, headers, payload)
        SELECT m.event_id, m.topic, m.message_key, m.headers, m.payload
        FROM json_to_recordset(${param(JSON.stringify(rows), 'json')})
          AS m(event_id text, topic text, message_key text, headers jsonb, payload text)
        WHERE ${guard}
        ON CONFLICT (event_id) DO NOTHING
        RETURNING 1),
      outbox_notified AS (
        SELECT pg_notify(${param(OUTBOX_CHANNEL, 'text')}, '') FROM (SELECT count(*) AS n FROM outbox_added) a WHERE a.n > 0)`,
    // A CTE that only selects runs only when read: reading it is what sends the notification.
    select: `(SELECT count(*) FROM outbox_notified) AS outbox_notified`,
  };
}
