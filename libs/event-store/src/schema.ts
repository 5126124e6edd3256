import { quoteSchema, SqlExecutor } from './sql';

/** Constraint whose violation means "someone else appended this stream version first". */
export const STREAM_VERSION_CONSTRAINT = 'events_stream_version_key';

/**
 * DDL of the event store in `schema`, each statement idempotent so it can run on every start or be
 * pasted into a service's TypeORM migration. Needs PostgreSQL 14+ (xid8 is 13, CREATE OR REPLACE
 * TRIGGER 14).
 */
export function eventStoreMigrations(schema = 'public'): string[] {
  const s = quoteSchema(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    // transaction_id orders the catch-up feed: see README "Ordering and gaps". Payloads are `json`,
    // not `jsonb`: an event is written once and read whole, nothing queries inside it, and jsonb
    // would parse every payload into its binary form on append and print it back on every read.
    `CREATE TABLE IF NOT EXISTS ${s}.events (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      stream_id text NOT NULL,
      stream_version integer NOT NULL CHECK (stream_version > 0),
      type text NOT NULL,
      schema_version integer NOT NULL DEFAULT 1,
      data json NOT NULL,
      metadata json NOT NULL DEFAULT '{}'::json,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ${STREAM_VERSION_CONSTRAINT} UNIQUE (stream_id, stream_version)
    )`,
    `CREATE INDEX IF NOT EXISTS events_feed_idx ON ${s}.events (transaction_id, position)`,
    // A statement-level trigger refuses even an UPDATE or DELETE that matches no row, and unlike a
    // DO INSTEAD NOTHING rule it fails loudly instead of pretending to succeed.
    `CREATE OR REPLACE FUNCTION ${s}.events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      RAISE EXCEPTION 'events are append-only: % on %.% refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
    END
    $fn$`,
    `CREATE OR REPLACE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON ${s}.events
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.events_refuse_change()`,
    `CREATE OR REPLACE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${s}.events
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.events_refuse_change()`,
    `CREATE TABLE IF NOT EXISTS ${s}.snapshots (
      stream_id text PRIMARY KEY,
      version integer NOT NULL,
      type text NOT NULL,
      data jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE IF NOT EXISTS ${s}.projection_checkpoints (
      name text PRIMARY KEY,
      transaction_id xid8 NOT NULL DEFAULT '0'::xid8,
      position bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  ];
}

/**
 * Applies `eventStoreMigrations` as one multi-statement query: PostgreSQL runs that as a single
 * transaction, and the advisory lock keeps two services starting at once from racing on
 * CREATE ... IF NOT EXISTS (which is not safe against concurrent creation).
 */
export async function migrateEventStore(executor: SqlExecutor, schema = 'public'): Promise<void> {
  const statements = [
    `SELECT pg_advisory_xact_lock(hashtext('aftersales.event-store.migrate'))`,
    ...eventStoreMigrations(schema),
  ];
  await executor.query(statements.join(';\n'));
}
