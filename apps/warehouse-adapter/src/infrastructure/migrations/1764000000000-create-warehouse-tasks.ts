import type { MigrationInterface, QueryRunner } from 'typeorm';

// One task per ticket and kind: a redelivered request never makes a second task.
export class CreateWarehouseTasks1764000000000 implements MigrationInterface {
  name = 'CreateWarehouseTasks1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE warehouse_tasks (
        task_id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('RETURN_STOCK_IN','EXCHANGE_STOCK_OUT','SHIPMENT_INTERCEPTION')),
        ticket_id text NOT NULL,
        ticket_no text NOT NULL,
        order_id text NOT NULL,
        merchant_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN','DONE','FAILED')),
        request jsonb NOT NULL,
        result jsonb,
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        UNIQUE (ticket_id, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE warehouse_tasks`);
  }
}
