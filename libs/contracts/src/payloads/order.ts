import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { Doc, Id, MinorUnits, Nested, PositiveInt, Text, Timestamp } from '../validation/decorators';
import {
  ORDER_CLOSE_REASONS,
  ORDER_STATUSES,
  OrderLine,
  type OrderCloseReason,
  type OrderStatus,
  TicketReference,
} from './common';

/** Fields every order-level money statement carries; all integer minor units (fen). */
export class OrderMoney {
  @Doc('Coupon discount on the whole order; allocated to lines in proportion to line amounts.')
  @MinorUnits()
  couponDiscount!: number;

  @Doc('Promotion discount on the whole order; allocated like the coupon discount.')
  @MinorUnits()
  promotionDiscount!: number;

  @Doc('Coins (points) deducted from the price; allocated to lines and refunded as coins.')
  @MinorUnits()
  coinsDeduction!: number;

  @MinorUnits()
  shippingFee!: number;

  @Doc('What the platform pays the merchant on top of the buyer payment (settled to the merchant).')
  @MinorUnits()
  platformSubsidy!: number;
}

@Doc(
  'The upstream order system accepted an order. Published on upstream.orders; the order service records it.',
)
export class OrderPlacedData extends OrderMoney {
  @Id()
  orderId!: string;

  @Id()
  merchantId!: string;

  @Id()
  customerId!: string;

  @Nested(() => OrderLine, { array: true, minItems: 1 })
  lines!: OrderLine[];

  @Doc('Number of the payment order created at checkout; refunds are paid back against it.')
  @Id()
  paymentNo!: string;

  @Timestamp()
  placedAt!: string;
}

@Doc('The buyer paid the order.')
export class OrderPaidData {
  @Id()
  orderId!: string;

  @Id()
  paymentNo!: string;

  @Doc('Cash the buyer paid, in fen.')
  @MinorUnits()
  paidAmount!: number;

  @Timestamp()
  paidAt!: string;
}

@Doc('The merchant shipped the order.')
export class OrderShippedData {
  @Id()
  orderId!: string;

  @Text(64)
  carrier!: string;

  @Id()
  trackingNo!: string;

  @Timestamp()
  shippedAt!: string;
}

@Doc('The buyer confirmed receipt, or receipt was confirmed automatically.')
export class OrderCompletedData {
  @Id()
  orderId!: string;

  @Doc('True when the upstream system confirmed receipt on its timer rather than the buyer.')
  @IsBoolean()
  autoConfirmed!: boolean;

  @Timestamp()
  completedAt!: string;
}

@Doc('The upstream order system closed the order.')
export class OrderClosedData {
  @Id()
  orderId!: string;

  @IsIn(ORDER_CLOSE_REASONS)
  reason!: OrderCloseReason;

  @Timestamp()
  closedAt!: string;
}

@Doc("The order service's full view of an order at one revision.")
export class OrderSnapshot extends OrderMoney {
  @Id()
  orderId!: string;

  @Id()
  merchantId!: string;

  @Id()
  customerId!: string;

  @IsIn(ORDER_STATUSES)
  status!: OrderStatus;

  @Nested(() => OrderLine, { array: true, minItems: 1 })
  lines!: OrderLine[];

  @Id()
  paymentNo!: string;

  @Timestamp()
  placedAt!: string;

  @IsOptional()
  @Timestamp()
  paidAt?: string;

  @IsOptional()
  @Timestamp()
  shippedAt?: string;

  @IsOptional()
  @Timestamp()
  completedAt?: string;

  @IsOptional()
  @Timestamp()
  closedAt?: string;

  @IsOptional()
  @IsIn(ORDER_CLOSE_REASONS)
  closeReason?: OrderCloseReason;
}

@Doc(
  'The order entered a status (its first one when `from` is absent). Carries the whole order so a consumer ' +
    'keeps its local copy by replacing it whenever `revision` is higher than the one it holds.',
)
export class OrderStatusChangedData {
  @Id()
  orderId!: string;

  @Doc('Increases by one with every change of the order; lets consumers drop stale or repeated snapshots.')
  @PositiveInt()
  revision!: number;

  @IsOptional()
  @IsIn(ORDER_STATUSES)
  from?: OrderStatus;

  @IsIn(ORDER_STATUSES)
  to!: OrderStatus;

  @Doc('Why the order closed; present when `to` is CLOSED.')
  @IsOptional()
  @IsIn(ORDER_CLOSE_REASONS)
  closeReason?: OrderCloseReason;

  @Doc(
    'The after-sales ticket that caused the change (a cancellation, or the refund that completed a full refund).',
  )
  @IsOptional()
  @Id()
  ticketId?: string;

  @Timestamp()
  changedAt!: string;

  @Nested(() => OrderSnapshot)
  order!: OrderSnapshot;
}

export const CANCELLATION_REJECTION_REASONS = ['ORDER_ALREADY_PAID', 'ORDER_ALREADY_CLOSED'] as const;
export type CancellationRejectionReason = (typeof CANCELLATION_REJECTION_REASONS)[number];

@Doc(
  'The order service refused to cancel an order for an after-sales ticket (it was paid or closed meanwhile). ' +
    'A successful cancellation shows as order-status-changed to CLOSED with the ticket id.',
)
export class OrderCancellationRejectedData extends TicketReference {
  @IsIn(CANCELLATION_REJECTION_REASONS)
  reason!: CancellationRejectionReason;

  @IsIn(ORDER_STATUSES)
  orderStatus!: OrderStatus;
}
