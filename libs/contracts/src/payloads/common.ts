import { IsOptional } from 'class-validator';
import {
  Doc,
  Id,
  MinorUnits,
  Nested,
  NonPositiveMinorUnits,
  PositiveInt,
  Text,
  TicketNo,
} from '../validation/decorators';

export const ORDER_STATUSES = [
  'PENDING_PAYMENT',
  'AWAITING_SHIPMENT',
  'SHIPPED',
  'COMPLETED',
  'CLOSED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_CLOSE_REASONS = [
  'PAYMENT_TIMEOUT',
  'CANCELLED_BY_CUSTOMER',
  'CANCELLED_BY_MERCHANT',
  'FULLY_REFUNDED',
] as const;
export type OrderCloseReason = (typeof ORDER_CLOSE_REASONS)[number];

export const TICKET_TYPES = ['CANCEL_ORDER', 'REFUND_ONLY', 'RETURN_AND_REFUND', 'EXCHANGE'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const TICKET_STATUSES = [
  'PENDING_REVIEW',
  'INTERCEPTING',
  'AWAITING_CUSTOMER_RETURN',
  'AWAITING_STOCK_IN',
  'IN_NEGOTIATION',
  'AWAITING_EXCHANGE_SHIPMENT',
  'AWAITING_REFUND',
  'CANCELLING',
  'SUCCEEDED',
  'CLOSED',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const APPLICATION_REASONS = [
  'NOT_AS_DESCRIBED',
  'DAMAGED',
  'WRONG_ITEM',
  'QUALITY_PROBLEM',
  'NO_LONGER_WANTED',
  'LATE_DELIVERY',
  'OTHER',
] as const;
export type ApplicationReason = (typeof APPLICATION_REASONS)[number];

export const REJECTION_REASONS = [
  'NOT_ELIGIBLE',
  'EVIDENCE_INSUFFICIENT',
  'USED_OR_DAMAGED_BY_CUSTOMER',
  'WINDOW_PASSED',
  'OTHER',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const TICKET_CLOSE_REASONS = [
  'REJECTED',
  'CANCELLED_BY_CUSTOMER',
  'ORDER_ALREADY_PAID',
  'RETURN_TIMEOUT',
  'STOCK_IN_TIMEOUT',
  'NEGOTIATION_DECLINED',
  'NEGOTIATION_TIMEOUT',
  'REFUND_REJECTED',
  'CLOSED_BY_AGENT',
  'CLOSED_BY_PLATFORM',
] as const;
export type TicketCloseReason = (typeof TICKET_CLOSE_REASONS)[number];

export const TICKET_OUTCOMES = ['ORDER_CANCELLED', 'REFUNDED', 'RETURNED', 'EXCHANGED'] as const;
export type TicketOutcome = (typeof TICKET_OUTCOMES)[number];

export const UNIT_DISPOSITIONS = ['RESTOCKABLE', 'DAMAGED_OR_NOT_AS_DESCRIBED', 'MISSING'] as const;
export type UnitDisposition = (typeof UNIT_DISPOSITIONS)[number];

@Doc('An item line of an order as the upstream order system sold it.')
export class OrderLine {
  @Doc('Stable id of the line within its order; tickets and refunds refer to lines by it.')
  @Id()
  lineId!: string;

  @Id()
  sku!: string;

  @Text(200)
  title!: string;

  @Doc('Category code; the platform service fee rate depends on it.')
  @Id()
  category!: string;

  @Doc('Price of one unit before order-level discounts, in integer minor units (fen).')
  @MinorUnits()
  unitPrice!: number;

  @PositiveInt()
  quantity!: number;
}

@Doc('A line of an order and how many of its units an after-sales ticket covers.')
export class TicketLine {
  @Id()
  lineId!: string;

  @Id()
  sku!: string;

  @Doc('Units of the line this ticket covers; never more than the line quantity.')
  @PositiveInt()
  quantity!: number;
}

@Doc('A line a warehouse task handles: what to pick, stock in or stop, and how many units.')
export class TaskLine {
  @Id()
  lineId!: string;

  @Id()
  sku!: string;

  @Text(200)
  title!: string;

  @PositiveInt()
  quantity!: number;
}

@Doc('A postal address with the person to hand the parcel to.')
export class Address {
  @Text(100)
  recipient!: string;

  @Text(32)
  phone!: string;

  @Doc('The full postal address on one line, as the customer or merchant entered it.')
  @Text(300)
  address!: string;

  @IsOptional()
  @Text(16)
  postalCode?: string;
}

@Doc('Money going back to the customer: cash to the original payment, coins to the coins account.')
export class RefundAmounts {
  @Doc('Cash in integer minor units (fen).')
  @MinorUnits()
  cash!: number;

  @Doc('Coins (points) in integer minor units (fen) of their cash value; refunded as coins, never as cash.')
  @MinorUnits()
  coins!: number;
}

@Doc("One line's share of a refund, after the order-level discounts were allocated to it.")
export class RefundLine {
  @Id()
  lineId!: string;

  @PositiveInt()
  quantity!: number;

  @Doc("The line's actual paid cash for these units (pro rata), in fen.")
  @MinorUnits()
  cash!: number;

  @Doc("The line's allocated coins for these units (pro rata), in fen.")
  @MinorUnits()
  coins!: number;
}

@Doc(
  'How a refund is made up. Cash refunded = sum of lines[].cash + adjustment + shippingFee + shippingSubsidy; ' +
    'coins refunded = sum of lines[].coins.',
)
export class RefundBreakdown {
  @Nested(() => RefundLine, { array: true, minItems: 1 })
  lines!: RefundLine[];

  @Doc('Change an agent made to the computed amount (zero or a deduction), in fen.')
  @NonPositiveMinorUnits()
  adjustment!: number;

  @Doc('Shipping fee refunded (only for a whole-order refund before shipment), in fen.')
  @MinorUnits()
  shippingFee!: number;

  @Doc('Shipping subsidy an agent granted, in fen.')
  @MinorUnits()
  shippingSubsidy!: number;
}

export const sumOf = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

export function breakdownCash(breakdown: RefundBreakdown): number {
  return (
    sumOf(breakdown.lines.map((line) => line.cash)) +
    breakdown.adjustment +
    breakdown.shippingFee +
    breakdown.shippingSubsidy
  );
}

export function breakdownCoins(breakdown: RefundBreakdown): number {
  return sumOf(breakdown.lines.map((line) => line.coins));
}

/**
 * Which ticket, under its human-readable number, and which order a fact or request is about. Every
 * event keyed by ticket carries it, so a consumer can act without the ticket's history.
 */
export class TicketReference {
  @Id()
  ticketId!: string;

  @TicketNo()
  ticketNo!: string;

  @Id()
  orderId!: string;
}
