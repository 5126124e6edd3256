import { ConflictError, DAY, ForbiddenError, RuleViolationError, ValidationError } from '@aftersales/kernel';
import type { AfterSalesType, LineOutcome } from './after-sales.catalogues';
import type { OrderSnapshot, OrderState } from './order-snapshot';
import type { MerchantPolicy } from './policy';
import { isWholeOrder, type RequestedLine } from './refund-amount';

/** Which after-sales types an order state admits (DOMAIN.md table; the window is checked apart). */
export const TYPES_ALLOWED_BY_ORDER_STATE: Record<OrderState, readonly AfterSalesType[]> = {
  PENDING_PAYMENT: ['CANCEL_ORDER'],
  AWAITING_SHIPMENT: ['REFUND_ONLY'],
  SHIPPED: ['REFUND_ONLY', 'RETURN_AND_REFUND', 'EXCHANGE'],
  COMPLETED: ['REFUND_ONLY', 'RETURN_AND_REFUND', 'EXCHANGE'],
  CLOSED: [],
};

/** What the line-lock projection knows about one order line. */
export interface LineHistory {
  lineId: string;
  /** The ticket currently holding the line, if any. */
  activeTicketId: string | null;
  /** How earlier succeeded tickets ended for this line. */
  succeededOutcomes: readonly LineOutcome[];
  /** Units of the line that earlier succeeded tickets refunded (refunds and returns). */
  refundedQuantity: number;
}

export interface EligibilityInput {
  order: OrderSnapshot;
  type: AfterSalesType;
  /** For CANCEL_ORDER an empty list means the whole order. */
  lines: readonly RequestedLine[];
  customerId: string;
  lineHistory: readonly LineHistory[];
  policy: MerchantPolicy;
  now: Date;
}

/**
 * Refuses an application that breaks a rule, naming the rule; returns the lines the ticket will
 * cover. Checks run from the coarsest (whose order, which state) to the finest (each line's
 * history), so the customer hears about the most fundamental problem first.
 */
export function assertEligible(input: EligibilityInput): RequestedLine[] {
  const { order, type, policy, now } = input;
  if (order.customerId !== input.customerId) {
    throw new ForbiddenError(
      `Order ${order.orderId} belongs to another customer`,
      'eligibility.not-order-owner',
    );
  }
  if (!TYPES_ALLOWED_BY_ORDER_STATE[order.state].includes(type)) {
    throw new RuleViolationError(
      `${type} is not allowed while the order is ${order.state}`,
      'eligibility.type-not-allowed-in-order-state',
      { orderState: order.state, type, allowed: TYPES_ALLOWED_BY_ORDER_STATE[order.state] },
    );
  }
  if (order.state === 'COMPLETED') assertWithinWindow(order, policy, now);

  const lines =
    type === 'CANCEL_ORDER' && input.lines.length === 0 ? wholeOrderLines(order) : [...input.lines];
  assertLinesWellFormed(order, lines);

  if (type === 'CANCEL_ORDER' && !isWholeOrder(order, lines)) {
    throw new RuleViolationError(
      'Cancelling an order covers every line in full',
      'eligibility.cancel-order-covers-whole-order',
    );
  }
  if (
    order.state === 'AWAITING_SHIPMENT' &&
    policy.preShipmentRefund === 'FULL_ORDER_ONLY' &&
    !isWholeOrder(order, lines)
  ) {
    throw new RuleViolationError(
      'Before shipment this merchant refunds only the whole order (every line, full quantity)',
      'eligibility.pre-shipment-refund-whole-order-only',
    );
  }
  lines.forEach((line) => assertLineFree(line.lineId, input.lineHistory, policy));
  return lines;
}

export function wholeOrderLines(order: OrderSnapshot): RequestedLine[] {
  return order.lines.map((line) => ({ lineId: line.lineId, quantity: line.quantity }));
}

/** End of the after-sales window for a completed order, or null while the order is not completed. */
export function afterSalesWindowEndsAt(order: OrderSnapshot, policy: MerchantPolicy): Date | null {
  if (order.completedAt === null) return null;
  return new Date(Date.parse(order.completedAt) + policy.afterSalesWindowDays * DAY);
}

function assertWithinWindow(order: OrderSnapshot, policy: MerchantPolicy, now: Date): void {
  const endsAt = afterSalesWindowEndsAt(order, policy);
  if (endsAt === null) {
    throw new ValidationError(`Completed order ${order.orderId} has no completion time`, 'order.completedAt');
  }
  if (now.getTime() > endsAt.getTime()) {
    throw new RuleViolationError(
      `The ${policy.afterSalesWindowDays}-day after-sales window ended at ${endsAt.toISOString()}; please settle this with the merchant directly`,
      'eligibility.window-passed',
      { windowEndsAt: endsAt.toISOString() },
    );
  }
}

function assertLinesWellFormed(order: OrderSnapshot, lines: readonly RequestedLine[]): void {
  if (lines.length === 0) throw new ValidationError('Choose at least one line', 'lines');
  const seen = new Set<string>();
  lines.forEach((wanted, i) => {
    if (seen.has(wanted.lineId))
      throw new ValidationError(`Line ${wanted.lineId} is listed twice`, `lines[${i}].lineId`);
    seen.add(wanted.lineId);
    const line = order.lines.find((candidate) => candidate.lineId === wanted.lineId);
    if (line === undefined) {
      throw new RuleViolationError(
        `Line ${wanted.lineId} is not part of order ${order.orderId}`,
        'eligibility.line-not-in-order',
        {
          field: `lines[${i}].lineId`,
        },
      );
    }
    if (!Number.isSafeInteger(wanted.quantity) || wanted.quantity <= 0 || wanted.quantity > line.quantity) {
      throw new RuleViolationError(
        `Quantity for line ${wanted.lineId} must be a whole number from 1 to ${line.quantity}`,
        'eligibility.quantity-out-of-range',
        { field: `lines[${i}].quantity`, quantity: wanted.quantity, lineQuantity: line.quantity },
      );
    }
  });
}

function assertLineFree(lineId: string, history: readonly LineHistory[], policy: MerchantPolicy): void {
  const entry = history.find((candidate) => candidate.lineId === lineId);
  if (entry === undefined) return;
  if (entry.activeTicketId !== null) {
    throw new ConflictError(
      `Line ${lineId} already has an active after-sales ticket`,
      'eligibility.line-has-active-ticket',
      {
        lineId,
        ticketId: entry.activeTicketId,
      },
    );
  }
  const ended = entry.succeededOutcomes.find((outcome) => outcome !== 'EXCHANGED');
  if (ended !== undefined) {
    throw new RuleViolationError(
      `Line ${lineId} was already ${ended.toLowerCase().replace('_', ' ')}; no further after-sales is possible`,
      'eligibility.line-already-refunded',
      { lineId, outcome: ended },
    );
  }
  if (entry.succeededOutcomes.includes('EXCHANGED') && !policy.exchangeRelaxed) {
    throw new RuleViolationError(
      `Line ${lineId} was already exchanged; no further after-sales is possible`,
      'eligibility.line-already-exchanged',
      {
        lineId,
      },
    );
  }
}
