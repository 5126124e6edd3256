import { PolicyWithoutFinanceThreshold1764000800000 } from '../src/infrastructure/migrations/1764000800000-policy-without-finance-threshold';
import { migrationDatabase } from './support/migration-database';

describe('migration PolicyWithoutFinanceThreshold', () => {
  const db = migrationDatabase('policy_without_finance_threshold', async (pool) => {
    await pool.query(`
      CREATE TABLE merchant_policies (
        merchant_id text PRIMARY KEY, policy jsonb NOT NULL, version int NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL, updated_by text NOT NULL)`);
    await pool.query(
      `INSERT INTO merchant_policies VALUES
         ('m-1', '{"afterSalesWindowDays": 15, "financeReviewThreshold": 50000}', 4, now(), 'merchant_agent:a-1'),
         ('m-2', '{"exchangeRelaxed": true}', 1, now(), 'merchant_agent:a-2')`,
    );
  });
  const policies = async () =>
    (
      await db.pool.query<{ merchant_id: string; policy: unknown; version: number }>(
        `SELECT merchant_id, policy, version FROM merchant_policies ORDER BY merchant_id`,
      )
    ).rows;

  it('drops the threshold from stored policies and keeps the rest; down brings it back switched off', async () => {
    await new PolicyWithoutFinanceThreshold1764000800000().up(db.runner());
    expect(await policies()).toEqual([
      { merchant_id: 'm-1', policy: { afterSalesWindowDays: 15 }, version: 4 },
      { merchant_id: 'm-2', policy: { exchangeRelaxed: true }, version: 1 },
    ]);
    await new PolicyWithoutFinanceThreshold1764000800000().down(db.runner());
    expect((await policies()).map((row) => row.policy)).toEqual([
      { afterSalesWindowDays: 15, financeReviewThreshold: null },
      { exchangeRelaxed: true, financeReviewThreshold: null },
    ]);
  });
});
