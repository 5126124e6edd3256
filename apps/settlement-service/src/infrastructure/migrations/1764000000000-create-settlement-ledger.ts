import type { MigrationInterface, QueryRunner } from 'typeorm';

// Fee rate per category in basis points; ledger entries are only ever appended.
export class CreateSettlementLedger1764000000000 implements MigrationInterface {
  name = 'CreateSettlementLedger1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE category_fee_rates (
        category text PRIMARY KEY,
        rate_basis_points int NOT NULL CHECK (rate_basis_points BETWEEN 0 AND 10000)
      )`);
    await q.query(`
      CREATE TABLE ledger_entries (
        entry_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        merchant_id text NOT NULL,
        order_id text NOT NULL,
        kind text NOT NULL,
        amount bigint NOT NULL,
        service_fee bigint NOT NULL,
        source_event_id uuid NOT NULL UNIQUE,
        recorded_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_entries, category_fee_rates`);
  }
}
