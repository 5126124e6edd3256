import { isMinor, type Minor, ValidationError } from '@aftersales/kernel';
import { type PostalAddress, WAITING_STATUSES, type WaitingStatus } from './after-sales.catalogues';

export const PRE_SHIPMENT_REFUND_POLICIES = ['FULL_ORDER_ONLY', 'ANY_ITEMS'] as const;
export type PreShipmentRefundPolicy = (typeof PRE_SHIPMENT_REFUND_POLICIES)[number];

export const AFTER_SALES_WINDOW_DAYS = [7, 15] as const;
export type AfterSalesWindowDays = (typeof AFTER_SALES_WINDOW_DAYS)[number];

export const STOCK_IN_TIMEOUT_ACTIONS = ['CLOSE', 'AUTO_REFUND'] as const;
export type StockInTimeoutAction = (typeof STOCK_IN_TIMEOUT_ACTIONS)[number];

/**
 * A merchant's after-sales rules. Whether a refund waits for finance review is the refund
 * service's rule, not one of these: the ticket learns it from refund-approved. A ticket copies the
 * policy in force when it is applied for, so a later policy change never moves the deadlines or
 * rules of tickets already running.
 */
export interface MerchantPolicy {
  preShipmentRefund: PreShipmentRefundPolicy;
  afterSalesWindowDays: AfterSalesWindowDays;
  /** How long each waiting state may last, in minutes. */
  deadlineMinutes: Record<WaitingStatus, number>;
  stockInTimeoutAction: StockInTimeoutAction;
  /** Refund-only applied for within this many minutes of payment is approved by the system; null = off. */
  autoApproveRefundOnlyWithinMinutesOfPayment: number | null;
  /** When true, a line that was exchanged may ask for after-sales again. */
  exchangeRelaxed: boolean;
  /**
   * Where returns go when the system approves a return or exchange because the merchant did not
   * review in time; null means such tickets are escalated to a platform agent instead.
   */
  defaultReturnAddress: PostalAddress | null;
  /**
   * The most shipping subsidy agents may add to one ticket, all subsidies together; null = no cap.
   * It is paid in cash against the original payment, where a slip of the keyboard is real money.
   */
  shippingSubsidyMax: Minor | null;
}

export const DEFAULT_MERCHANT_POLICY: MerchantPolicy = {
  preShipmentRefund: 'FULL_ORDER_ONLY',
  afterSalesWindowDays: 7,
  deadlineMinutes: {
    PENDING_REVIEW: 48 * 60,
    AWAITING_CUSTOMER_RETURN: 7 * 24 * 60,
    AWAITING_STOCK_IN: 14 * 24 * 60,
    IN_NEGOTIATION: 7 * 24 * 60,
    AWAITING_EXCHANGE_SHIPMENT: 3 * 24 * 60,
    INTERCEPTING: 30,
  },
  stockInTimeoutAction: 'CLOSE',
  autoApproveRefundOnlyWithinMinutesOfPayment: 30,
  exchangeRelaxed: false,
  defaultReturnAddress: null,
  shippingSubsidyMax: 3000,
};

/** Bounds for a deadline: long enough for a human to act, short enough that nothing waits for months. */
export const DEADLINE_MINUTES_MIN = 1;
export const DEADLINE_MINUTES_MAX = 60 * 24 * 60;
export const AUTO_APPROVE_MINUTES_MAX = 24 * 60;

export type MerchantPolicyChange = Partial<Omit<MerchantPolicy, 'deadlineMinutes'>> & {
  deadlineMinutes?: Partial<Record<WaitingStatus, number>>;
};

export interface PolicyFieldError {
  field: string;
  message: string;
}

/** Every rule a policy breaks, each naming its field; empty when the policy is valid. */
export function validateMerchantPolicy(policy: MerchantPolicy): PolicyFieldError[] {
  const errors: PolicyFieldError[] = [];
  const fail = (field: string, message: string): void => {
    errors.push({ field, message });
  };
  if (!(PRE_SHIPMENT_REFUND_POLICIES as readonly unknown[]).includes(policy.preShipmentRefund)) {
    fail('preShipmentRefund', `must be one of ${PRE_SHIPMENT_REFUND_POLICIES.join(', ')}`);
  }
  if (!(AFTER_SALES_WINDOW_DAYS as readonly unknown[]).includes(policy.afterSalesWindowDays)) {
    fail('afterSalesWindowDays', `must be one of ${AFTER_SALES_WINDOW_DAYS.join(', ')}`);
  }
  for (const status of WAITING_STATUSES) {
    const minutes = policy.deadlineMinutes?.[status];
    if (!isIntegerBetween(minutes, DEADLINE_MINUTES_MIN, DEADLINE_MINUTES_MAX)) {
      fail(
        `deadlineMinutes.${status}`,
        `must be whole minutes between ${DEADLINE_MINUTES_MIN} and ${DEADLINE_MINUTES_MAX}`,
      );
    }
  }
  if (!(STOCK_IN_TIMEOUT_ACTIONS as readonly unknown[]).includes(policy.stockInTimeoutAction)) {
    fail('stockInTimeoutAction', `must be one of ${STOCK_IN_TIMEOUT_ACTIONS.join(', ')}`);
  }
  const autoApprove = policy.autoApproveRefundOnlyWithinMinutesOfPayment;
  if (autoApprove !== null && !isIntegerBetween(autoApprove, 1, AUTO_APPROVE_MINUTES_MAX)) {
    fail(
      'autoApproveRefundOnlyWithinMinutesOfPayment',
      `must be null or whole minutes between 1 and ${AUTO_APPROVE_MINUTES_MAX}`,
    );
  }
  if (typeof policy.exchangeRelaxed !== 'boolean') fail('exchangeRelaxed', 'must be true or false');
  const address = policy.defaultReturnAddress;
  if (address !== null) {
    for (const key of ['recipient', 'phone', 'address'] as const) {
      if (typeof address?.[key] !== 'string' || address[key].trim() === '') {
        fail(`defaultReturnAddress.${key}`, 'must be a non-empty text');
      }
    }
  }
  const subsidyMax = policy.shippingSubsidyMax;
  if (subsidyMax !== null && !(isMinor(subsidyMax) && subsidyMax > 0)) {
    fail('shippingSubsidyMax', 'must be null or a positive amount in minor units');
  }
  return errors;
}

/** The policy after `change`, or a ValidationError naming the first bad field (all of them in details). */
export function applyPolicyChange(current: MerchantPolicy, change: MerchantPolicyChange): MerchantPolicy {
  const next: MerchantPolicy = {
    ...current,
    ...change,
    deadlineMinutes: { ...current.deadlineMinutes, ...change.deadlineMinutes },
  };
  const errors = validateMerchantPolicy(next);
  if (errors.length > 0) {
    throw new ValidationError(`Invalid policy: ${errors[0].field} ${errors[0].message}`, errors[0].field, {
      errors,
    });
  }
  return next;
}

function isIntegerBetween(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
