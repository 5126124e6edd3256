import {
  applyPolicyChange,
  DEFAULT_MERCHANT_POLICY,
  type MerchantPolicy,
  validateMerchantPolicy,
} from '../policy';

describe('merchant policy', () => {
  it('has the DOMAIN.md defaults', () => {
    expect(DEFAULT_MERCHANT_POLICY).toEqual({
      preShipmentRefund: 'FULL_ORDER_ONLY',
      afterSalesWindowDays: 7,
      deadlineMinutes: {
        PENDING_REVIEW: 2880,
        AWAITING_CUSTOMER_RETURN: 10080,
        AWAITING_STOCK_IN: 20160,
        IN_NEGOTIATION: 10080,
        AWAITING_EXCHANGE_SHIPMENT: 4320,
        INTERCEPTING: 30,
      },
      stockInTimeoutAction: 'CLOSE',
      autoApproveRefundOnlyWithinMinutesOfPayment: 30,
      exchangeRelaxed: false,
      defaultReturnAddress: null,
      shippingSubsidyMax: 3000,
    });
    expect(validateMerchantPolicy(DEFAULT_MERCHANT_POLICY)).toEqual([]);
  });

  it('applies a partial change, deadlines merged per state', () => {
    const next = applyPolicyChange(DEFAULT_MERCHANT_POLICY, {
      afterSalesWindowDays: 15,
      deadlineMinutes: { PENDING_REVIEW: 24 * 60 },
      autoApproveRefundOnlyWithinMinutesOfPayment: null,
    });
    expect(next.afterSalesWindowDays).toBe(15);
    expect(next.deadlineMinutes).toEqual({
      ...DEFAULT_MERCHANT_POLICY.deadlineMinutes,
      PENDING_REVIEW: 1440,
    });
    expect(next.autoApproveRefundOnlyWithinMinutesOfPayment).toBeNull();
  });

  it('names every bad field', () => {
    const bad = {
      ...DEFAULT_MERCHANT_POLICY,
      preShipmentRefund: 'SOMETIMES',
      afterSalesWindowDays: 10,
      deadlineMinutes: { ...DEFAULT_MERCHANT_POLICY.deadlineMinutes, INTERCEPTING: 0, IN_NEGOTIATION: 1.5 },
      stockInTimeoutAction: 'SHRUG',
      autoApproveRefundOnlyWithinMinutesOfPayment: 0,
      exchangeRelaxed: 'yes',
      defaultReturnAddress: { recipient: '', phone: '1', address: 'x' },
      shippingSubsidyMax: 0,
    } as unknown as MerchantPolicy;
    expect(validateMerchantPolicy(bad).map((error) => error.field)).toEqual([
      'preShipmentRefund',
      'afterSalesWindowDays',
      'deadlineMinutes.IN_NEGOTIATION',
      'deadlineMinutes.INTERCEPTING',
      'stockInTimeoutAction',
      'autoApproveRefundOnlyWithinMinutesOfPayment',
      'exchangeRelaxed',
      'defaultReturnAddress.recipient',
      'shippingSubsidyMax',
    ]);
  });

  it('refuses an invalid change with a ValidationError naming the first field and listing all', () => {
    expect(() =>
      applyPolicyChange(DEFAULT_MERCHANT_POLICY, { deadlineMinutes: { AWAITING_STOCK_IN: 61 * 24 * 60 } }),
    ).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        rule: 'deadlineMinutes.AWAITING_STOCK_IN',
        details: { errors: [expect.objectContaining({ field: 'deadlineMinutes.AWAITING_STOCK_IN' })] },
      }),
    );
  });
});
