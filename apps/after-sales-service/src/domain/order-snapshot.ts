import {
  allocateProportionally,
  assertNonNegativeMinor,
  type Minor,
  sumMinor,
  ValidationError,
} from '@aftersales/kernel';

export const ORDER_STATES = [
  'PENDING_PAYMENT',
  'AWAITING_SHIPMENT',
  'SHIPPED',
  'COMPLETED',
  'CLOSED',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export interface OrderLine {
  lineId: string;
  sku: string;
  title: string;
  category: string;
  unitPrice: Minor;
  quantity: number;
}

/** The order as after-sales knows it from the order facts it consumed (its own projection). */
export interface OrderSnapshot {
  orderId: string;
  merchantId: string;
  customerId: string;
  state: OrderState;
  /** ISO-8601; null until paid. */
  paidAt: string | null;
  /** ISO-8601; null until the buyer confirmed receipt (or it was auto-confirmed). */
  completedAt: string | null;
  paymentNo: string | null;
  lines: readonly OrderLine[];
  couponDiscount: Minor;
  promotionDiscount: Minor;
  coinsDeduction: Minor;
  shippingFee: Minor;
  platformSubsidy: Minor;
}

/** One line's share of the order-level money. */
export interface LineAllocation {
  lineId: string;
  lineAmount: Minor;
  coupon: Minor;
  promotion: Minor;
  coins: Minor;
  /** Settlement input only: it is paid by the platform to the merchant, not by the buyer. */
  platformSubsidy: Minor;
  /** What the buyer paid in cash for the line: line amount - coupon - promotion - coins. */
  actualPaid: Minor;
}

export function lineAmountOf(line: OrderLine): Minor {
  return line.unitPrice * line.quantity;
}

export function goodsAmountOf(order: OrderSnapshot): Minor {
  return sumMinor(order.lines.map(lineAmountOf));
}

/** Structural checks on a snapshot before any money is derived from it; names the bad field. */
export function assertValidOrderSnapshot(order: OrderSnapshot): void {
  if (order.lines.length === 0) throw new ValidationError('An order has at least one line', 'order.lines');
  const seen = new Set<string>();
  order.lines.forEach((line, i) => {
    if (seen.has(line.lineId))
      throw new ValidationError(`Duplicate line ${line.lineId}`, `order.lines[${i}].lineId`);
    seen.add(line.lineId);
    assertNonNegativeMinor(line.unitPrice, `order.lines[${i}].unitPrice`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new ValidationError('Line quantity must be a positive integer', `order.lines[${i}].quantity`);
    }
  });
  for (const field of [
    'couponDiscount',
    'promotionDiscount',
    'coinsDeduction',
    'shippingFee',
    'platformSubsidy',
  ] as const) {
    assertNonNegativeMinor(order[field], `order.${field}`);
  }
  if (order.couponDiscount + order.promotionDiscount + order.coinsDeduction > goodsAmountOf(order)) {
    throw new ValidationError('Order discounts exceed the goods amount', 'order.couponDiscount');
  }
}

/**
 * Spreads coupon, promotion, coins and platform subsidy over the lines in proportion to line
 * amounts, each by largest remainder (DOMAIN.md). Allocating each discount on its own can, when
 * the discounts together come within a few fen of the goods amount, round one line below zero
 * (e.g. lines 3.33/3.33/3.34 with 5.00 coupon + 5.00 coins); such overshoot is moved, one fen at a
 * time, from the last discount kind (coins, then promotion, then coupon) of the overshooting line
 * to the line with the most headroom (lowest index on ties). In every other case the result is
 * exactly the per-discount largest-remainder split.
 */
export function allocateOrderAmounts(order: OrderSnapshot): LineAllocation[] {
  assertValidOrderSnapshot(order);
  const amounts = order.lines.map(lineAmountOf);
  const coupon = allocateProportionally(order.couponDiscount, amounts);
  const promotion = allocateProportionally(order.promotionDiscount, amounts);
  const coins = allocateProportionally(order.coinsDeduction, amounts);
  const platformSubsidy = allocateProportionally(order.platformSubsidy, amounts);
  const kinds = [coins, promotion, coupon];
  const discountOf = (i: number): Minor => coupon[i] + promotion[i] + coins[i];

  for (let i = 0; i < amounts.length; i += 1) {
    for (const parts of kinds) {
      while (discountOf(i) > amounts[i] && parts[i] > 0) {
        parts[i] -= 1;
        parts[headroomLeader(amounts, discountOf)] += 1;
      }
    }
  }

  return order.lines.map((line, i) => ({
    lineId: line.lineId,
    lineAmount: amounts[i],
    coupon: coupon[i],
    promotion: promotion[i],
    coins: coins[i],
    platformSubsidy: platformSubsidy[i],
    actualPaid: amounts[i] - discountOf(i),
  }));
}

function headroomLeader(amounts: readonly Minor[], discountOf: (i: number) => Minor): number {
  let best = 0;
  for (let i = 1; i < amounts.length; i += 1) {
    if (amounts[i] - discountOf(i) > amounts[best] - discountOf(best)) best = i;
  }
  return best;
}

/** What the buyer paid in cash for the whole order, shipping included. */
export function orderCashPaid(order: OrderSnapshot): Minor {
  return (
    goodsAmountOf(order) -
    order.couponDiscount -
    order.promotionDiscount -
    order.coinsDeduction +
    order.shippingFee
  );
}
