import type { MigrationInterface, QueryRunner } from 'typeorm';

// Whether a refund waits for finance review is the refund service's rule (its own
// merchant_refund_policies); the after-sales policy stops holding a threshold of its own.
export class PolicyWithoutFinanceThreshold1764000800000 implements MigrationInterface {
  name = 'PolicyWithoutFinanceThreshold1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE merchant_policies SET policy = policy - 'financeReviewThreshold'`);
  }

  // The threshold comes back switched off, as it was by default.
  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE merchant_policies SET policy = policy || '{"financeReviewThreshold": null}'::jsonb`,
    );
  }
}
