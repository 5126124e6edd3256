import type { MigrationInterface, QueryRunner } from 'typeorm';

// Per-merchant finance review threshold (minor units); NULL means no review.
export class CreateRefundPolicies1764000000000 implements MigrationInterface {
  name = 'CreateRefundPolicies1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merchant_refund_policies (
        merchant_id text PRIMARY KEY,
        finance_review_threshold bigint CHECK (finance_review_threshold IS NULL OR finance_review_threshold >= 0),
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE merchant_refund_policies`);
  }
}
