import type { SqlExecutor } from '@aftersales/event-store';

/**
 * Tables of the outbox and the inbox, created in the service's own schema (the connection's
 * search_path) by a TypeORM migration of the service that calls this.
 */
export const MESSAGING_SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS outbox (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     event_id text NOT NULL UNIQUE,
     topic text NOT NULL,
     message_key text,
     headers jsonb NOT NULL,
     payload text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     published_at timestamptz
   )`,
  // The relay only ever looks at what is still to publish, oldest first.
  `CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`,
  // Pruning published rows after their retention finds them by age.
  `CREATE INDEX IF NOT EXISTS outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL`,
  `CREATE TABLE IF NOT EXISTS inbox (
     consumer text NOT NULL,
     event_id text NOT NULL,
     topic text NOT NULL,
     handled_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     PRIMARY KEY (consumer, event_id)
   )`,
];

/** Added later: pruning finds handled inbox rows by age. Run by a service migration of its own. */
export const INBOX_PRUNING_SQL = [
  `CREATE INDEX IF NOT EXISTS inbox_handled_at_idx ON inbox (consumer, handled_at)`,
];

export async function migrateMessaging(executor: SqlExecutor): Promise<void> {
  for (const sql of [...MESSAGING_SCHEMA_SQL, ...INBOX_PRUNING_SQL]) await executor.query(sql);
}
