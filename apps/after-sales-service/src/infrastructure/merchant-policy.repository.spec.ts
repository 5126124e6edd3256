import { DEFAULT_MERCHANT_POLICY, type MerchantPolicy } from '../domain';
import { withDefaults } from './merchant-policy.repository';

describe('withDefaults', () => {
  it('is the default policy for a merchant who saved none', () => {
    expect(withDefaults(null)).toEqual(DEFAULT_MERCHANT_POLICY);
  });

  it('fills what a saved policy leaves out, and drops fields a policy no longer has', () => {
    const saved = { afterSalesWindowDays: 15, financeReviewThreshold: 50000 } as Partial<MerchantPolicy>;
    const policy = withDefaults(saved);
    expect(policy).toEqual({ ...DEFAULT_MERCHANT_POLICY, afterSalesWindowDays: 15 });
    expect(policy).not.toHaveProperty('financeReviewThreshold');
  });
});
