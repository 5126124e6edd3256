import type { SqlExecutor } from '@aftersales/event-store';
import type { Actor } from '@aftersales/kernel';
import { DEFAULT_MERCHANT_POLICY, type MerchantPolicy } from '../domain';

export interface StoredPolicy {
  merchantId: string;
  policy: MerchantPolicy;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The merchant's policy, or the platform defaults for a merchant who never changed them. */
export async function loadPolicy(db: SqlExecutor, merchantId: string): Promise<StoredPolicy> {
  const { rows } = await db.query<{
    policy: MerchantPolicy;
    version: number;
    updated_at: Date;
    updated_by: string;
  }>(`SELECT policy, version, updated_at, updated_by FROM merchant_policies WHERE merchant_id = $1`, [
    merchantId,
  ]);
  const row = rows[0];
  if (!row)
    return { merchantId, policy: DEFAULT_MERCHANT_POLICY, version: 0, updatedAt: null, updatedBy: null };
  return {
    merchantId,
    policy: withDefaults(row.policy),
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

/** Fields added to the policy after a merchant saved theirs take the defaults. */
export function withDefaults(saved: Partial<MerchantPolicy> | null): MerchantPolicy {
  if (!saved) return DEFAULT_MERCHANT_POLICY;
  // Only the fields a policy has now: one the service no longer knows must not reach a ticket.
  const known = Object.fromEntries(
    Object.keys(DEFAULT_MERCHANT_POLICY).flatMap((key) =>
      key in saved ? [[key, saved[key as keyof MerchantPolicy]]] : [],
    ),
  );
  return { ...DEFAULT_MERCHANT_POLICY, ...known };
}

/**
 * Stores `policy` as the version after `expectedVersion`; null when the stored policy is no longer
 * at `expectedVersion` (another change came first), so that no change is lost to a later one.
 */
export async function savePolicy(
  db: SqlExecutor,
  merchantId: string,
  policy: MerchantPolicy,
  by: Actor,
  at: Date,
  expectedVersion: number,
): Promise<StoredPolicy | null> {
  const updatedBy = `${by.role}:${by.id}`;
  const params = [merchantId, JSON.stringify(policy), at, updatedBy];
  const { rows } =
    expectedVersion === 0
      ? await db.query<{ version: number }>(
          `INSERT INTO merchant_policies (merchant_id, policy, version, updated_at, updated_by)
           VALUES ($1, $2, 1, $3, $4) ON CONFLICT (merchant_id) DO NOTHING RETURNING version`,
          params,
        )
      : await db.query<{ version: number }>(
          `UPDATE merchant_policies SET policy = $2, version = version + 1, updated_at = $3, updated_by = $4
           WHERE merchant_id = $1 AND version = $5 RETURNING version`,
          [...params, expectedVersion],
        );
  if (rows.length === 0) return null;
  return { merchantId, policy, version: rows[0].version, updatedAt: at.toISOString(), updatedBy };
}
