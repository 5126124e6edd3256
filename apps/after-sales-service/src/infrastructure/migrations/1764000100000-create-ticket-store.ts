import type { MigrationInterface, QueryRunner } from 'typeorm';
import { eventStoreMigrations } from '@aftersales/event-store';
import { MESSAGING_SCHEMA_SQL } from '@aftersales/messaging';

/**
 * The ticket log (event store), the outbox and inbox, and the read models projected from the log
 * in the append transaction. Read models can be dropped and rebuilt from the log at any time.
 */
export class CreateTicketStore1764000100000 implements MigrationInterface {
  name = 'CreateTicketStore1764000100000';

  async up(q: QueryRunner): Promise<void> {
    const schema = (await q.query(`SELECT current_schema() AS s`)) as { s: string }[];
    for (const sql of eventStoreMigrations(schema[0].s)) await q.query(sql);
    for (const sql of MESSAGING_SCHEMA_SQL) await q.query(sql);

    // Orders as the order service reports them: after-sales judges eligibility on its own copy.
    await q.query(`
      CREATE TABLE orders (
        order_id text PRIMARY KEY,
        revision int NOT NULL,
        snapshot jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE tickets (
        ticket_id text PRIMARY KEY,
        ticket_no text NOT NULL UNIQUE,
        type text NOT NULL,
        status text NOT NULL,
        order_id text NOT NULL,
        merchant_id text NOT NULL,
        customer_id text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version int NOT NULL,
        state jsonb NOT NULL
      )`);
    // The folded state is rewritten on every command: stored uncompressed, it costs no compression.
    await q.query(`ALTER TABLE tickets ALTER COLUMN state SET STORAGE EXTERNAL`);
    // The list/search screens filter by merchant or customer, newest first, cursor on (created_at, id).
    await q.query(
      `CREATE INDEX tickets_merchant_idx ON tickets (merchant_id, created_at DESC, ticket_id DESC)`,
    );
    await q.query(
      `CREATE INDEX tickets_customer_idx ON tickets (customer_id, created_at DESC, ticket_id DESC)`,
    );
    await q.query(`CREATE INDEX tickets_order_idx ON tickets (order_id)`);
    await q.query(`CREATE INDEX tickets_status_idx ON tickets (status, created_at DESC, ticket_id DESC)`);

    await q.query(`
      CREATE TABLE ticket_timeline (
        ticket_id text NOT NULL,
        stream_version int NOT NULL,
        at timestamptz NOT NULL,
        actor_role text NOT NULL,
        actor_id text NOT NULL,
        event_type text NOT NULL,
        from_status text,
        to_status text,
        title text NOT NULL,
        detail text NOT NULL,
        PRIMARY KEY (ticket_id, stream_version)
      )`);

    // One active ticket per order line: the primary key is the rule.
    await q.query(`
      CREATE TABLE line_locks (
        order_id text NOT NULL,
        line_id text NOT NULL,
        ticket_id text NOT NULL,
        quantity int NOT NULL,
        PRIMARY KEY (order_id, line_id)
      )`);
    await q.query(`
      CREATE TABLE line_outcomes (
        order_id text NOT NULL,
        line_id text NOT NULL,
        ticket_id text NOT NULL,
        outcome text NOT NULL,
        quantity int NOT NULL,
        PRIMARY KEY (order_id, line_id, ticket_id)
      )`);

    await q.query(`
      CREATE TABLE deadlines (
        ticket_id text PRIMARY KEY,
        state text NOT NULL,
        due_at timestamptz NOT NULL,
        on_expiry text NOT NULL
      )`);
    await q.query(`CREATE INDEX deadlines_due_idx ON deadlines (due_at)`);

    // A retried POST with the same Idempotency-Key returns the ticket the first one created.
    await q.query(`
      CREATE TABLE apply_requests (
        customer_id text NOT NULL,
        idempotency_key text NOT NULL,
        ticket_id text NOT NULL,
        PRIMARY KEY (customer_id, idempotency_key)
      )`);

    await q.query(`CREATE SEQUENCE ticket_no_seq`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SEQUENCE ticket_no_seq`);
    for (const t of [
      'apply_requests',
      'deadlines',
      'line_outcomes',
      'line_locks',
      'ticket_timeline',
      'tickets',
      'orders',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
