import {
  assertNonNegativeMinor,
  type Minor,
  proRata,
  RuleViolationError,
  scaleDown,
  sumMinor,
} from '@aftersales/kernel';
import { allocateOrderAmounts, type OrderSnapshot } from './order-snapshot';

export interface RequestedLine {
  lineId: string;
  quantity: number;
}

/** A line as the ticket covers it: what it is, how many units, and their share of the money. */
export interface TicketLine {
  lineId: string;
  sku: string;
  title: string;
  category: string;
  unitPrice: Minor;
  /** Units on the order line. */
  lineQuantity: number;
  /** Units this ticket covers. */
  quantity: number;
  /** Cash the buyer paid for these units (pro rata of the line's actual paid). */
  actualPaid: Minor;
  /** Coins the buyer spent on these units; they go back as coins. */
  coins: Minor;
}

/** What decides the refund; the totals are derived by `refundAmounts` and never stored apart from it. */
export interface RefundAmountInput {
  /** Sum of the lines' actual paid: the ceiling for any agent change. */
  goodsActualPaid: Minor;
  goodsCoins: Minor;
  /** An agent's adjustment or the amount the customer accepted in negotiation; null = actual paid. */
  agreedGoodsAmount: Minor | null;
  /** Only when the whole order is refunded before shipment. */
  shippingFeeRefund: Minor;
  /** Added by agents for return shipping; cash. */
  shippingSubsidy: Minor;
  /** Compensation coupons issued on this ticket: recorded and delivered as coupons, never cash. */
  compensationCouponValue: Minor;
}

export interface RefundAmounts extends RefundAmountInput {
  goodsCash: Minor;
  coinsRefund: Minor;
  totalCash: Minor;
}

/**
 * Cash = (agreed amount ?? actual paid) + shipping fee refund + shipping subsidy.
 * Coins follow the goods: when an agent or a negotiation keeps only part of the cash for the goods,
 * the same fraction of the coins goes back (rounded down), because coins paid for the goods exactly
 * as cash did; in full otherwise.
 */
export function refundAmounts(input: RefundAmountInput): RefundAmounts {
  const goodsCash = input.agreedGoodsAmount ?? input.goodsActualPaid;
  const coinsRefund =
    input.agreedGoodsAmount === null || input.goodsActualPaid === 0
      ? input.goodsCoins
      : scaleDown(input.goodsCoins, input.agreedGoodsAmount, input.goodsActualPaid);
  return {
    ...input,
    goodsCash,
    coinsRefund,
    totalCash: goodsCash + input.shippingFeeRefund + input.shippingSubsidy,
  };
}

/** The ticket's lines with their money, for the requested quantities. Lines must be known to the order. */
export function ticketLinesFor(order: OrderSnapshot, requested: readonly RequestedLine[]): TicketLine[] {
  const allocations = new Map(
    allocateOrderAmounts(order).map((allocation) => [allocation.lineId, allocation]),
  );
  return requested.map((wanted, i) => {
    const line = order.lines.find((candidate) => candidate.lineId === wanted.lineId);
    const allocation = allocations.get(wanted.lineId);
    if (line === undefined || allocation === undefined) {
      throw new RuleViolationError(
        `Line ${wanted.lineId} is not part of order ${order.orderId}`,
        'eligibility.line-not-in-order',
        {
          field: `lines[${i}].lineId`,
        },
      );
    }
    return {
      lineId: line.lineId,
      sku: line.sku,
      title: line.title,
      category: line.category,
      unitPrice: line.unitPrice,
      lineQuantity: line.quantity,
      quantity: wanted.quantity,
      actualPaid: proRata(allocation.actualPaid, wanted.quantity, line.quantity),
      coins: proRata(allocation.coins, wanted.quantity, line.quantity),
    };
  });
}

/** Every line of the order, each with its full quantity. */
export function isWholeOrder(order: OrderSnapshot, requested: readonly RequestedLine[]): boolean {
  return (
    order.lines.length === requested.length &&
    order.lines.every((line) =>
      requested.some((wanted) => wanted.lineId === line.lineId && wanted.quantity === line.quantity),
    )
  );
}

/**
 * Whether the order goes back in full with this ticket: its lines together with the units earlier
 * tickets already refunded cover every unit. A customer may refund an unshipped order line by
 * line in several tickets (ANY_ITEMS policy); the one that completes it carries the shipping fee.
 */
export function completesWholeOrder(
  order: OrderSnapshot,
  requested: readonly RequestedLine[],
  refunded: readonly { lineId: string; refundedQuantity: number }[],
): boolean {
  return order.lines.every((line) => {
    const before = refunded.find((entry) => entry.lineId === line.lineId)?.refundedQuantity ?? 0;
    const now = requested.find((wanted) => wanted.lineId === line.lineId)?.quantity ?? 0;
    return before + now >= line.quantity;
  });
}

/**
 * The refund a new ticket starts from: actual paid, all coins, and the shipping fee if the whole
 * order goes back before shipment. An unpaid order has nothing to give back (its lines still show
 * what they would have cost).
 */
export function initialRefundAmounts(
  order: OrderSnapshot,
  lines: readonly TicketLine[],
  wholeOrder: boolean,
): RefundAmounts {
  const paid = order.paidAt !== null;
  return refundAmounts({
    goodsActualPaid: paid ? sumMinor(lines.map((line) => line.actualPaid)) : 0,
    goodsCoins: paid ? sumMinor(lines.map((line) => line.coins)) : 0,
    agreedGoodsAmount: null,
    shippingFeeRefund: wholeOrder && order.state === 'AWAITING_SHIPMENT' ? order.shippingFee : 0,
    shippingSubsidy: 0,
    compensationCouponValue: 0,
  });
}

/** An agreed goods amount must lie within 0 .. the lines' actual paid (DOMAIN.md, agent powers). */
export function assertGoodsAmountWithinActualPaid(
  amount: Minor,
  amounts: RefundAmounts,
  field: string,
): void {
  assertNonNegativeMinor(amount, field);
  if (amount > amounts.goodsActualPaid) {
    throw new RuleViolationError(
      `${field} ${amount} exceeds the lines' actual paid ${amounts.goodsActualPaid}`,
      'refund.amount-exceeds-actual-paid',
      { field, amount, actualPaid: amounts.goodsActualPaid },
    );
  }
}
