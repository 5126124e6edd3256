import type { MigrationInterface, QueryRunner } from 'typeorm';

// Merchant after-sales policies; a ticket copies the policy in force when it opens.
export class CreateMerchantPolicies1764000000000 implements MigrationInterface {
  name = 'CreateMerchantPolicies1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merchant_policies (
        merchant_id text PRIMARY KEY,
        policy jsonb NOT NULL,
        version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE merchant_policies`);
  }
}
