import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsUrl, IsUUID } from 'class-validator';
import {
  Doc,
  Id,
  Invariant,
  MinorUnits,
  Nested,
  PositiveInt,
  Text,
  Timestamp,
} from '../validation/decorators';
import {
  APPLICATION_REASONS,
  Address,
  REJECTION_REASONS,
  RefundAmounts,
  RefundBreakdown,
  TICKET_CLOSE_REASONS,
  TICKET_OUTCOMES,
  TICKET_STATUSES,
  TICKET_TYPES,
  TicketLine,
  breakdownCash,
  breakdownCoins,
  type ApplicationReason,
  type RejectionReason,
  type TicketCloseReason,
  type TicketOutcome,
  type TicketStatus,
  type TicketType,
  TicketReference,
} from './common';

/** What every ticket fact repeats, so a consumer never needs the ticket's history to act on one fact. */
export class TicketFact extends TicketReference {
  @IsIn(TICKET_TYPES)
  type!: TicketType;

  @Id()
  merchantId!: string;

  @Id()
  customerId!: string;

  @Nested(() => TicketLine, { array: true, minItems: 1 })
  lines!: TicketLine[];
}

@Doc('A customer applied for after-sales and a ticket was opened.')
export class TicketOpenedData extends TicketFact {
  @Doc('The first state: PENDING_REVIEW, INTERCEPTING (refund before shipment) or CANCELLING (cancel order).')
  @IsIn(TICKET_STATUSES)
  status!: TicketStatus;

  @IsIn(APPLICATION_REASONS)
  reasonCode!: ApplicationReason;

  @IsOptional()
  @Text(2000)
  description?: string;

  @Doc('Image URLs the customer attached as evidence.')
  @IsArray()
  @ArrayMaxSize(9)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { each: true })
  evidence!: string[];

  @Doc('What the customer gets back if the ticket succeeds as requested; zero for cancel-order and exchange.')
  @Nested(() => RefundAmounts)
  requestedRefund!: RefundAmounts;

  @Doc('Where the replacement goes; present for exchanges.')
  @IsOptional()
  @Nested(() => Address)
  deliveryAddress?: Address;
}

@Doc('An agent or the system approved the ticket.')
export class TicketApprovedData extends TicketFact {
  @Doc('The state the approval led to, e.g. AWAITING_CUSTOMER_RETURN or AWAITING_REFUND.')
  @IsIn(TICKET_STATUSES)
  status!: TicketStatus;

  @Doc('True when the system approved it (merchant policy or review deadline), not an agent.')
  @IsBoolean()
  automatic!: boolean;

  @Nested(() => RefundAmounts)
  approvedRefund!: RefundAmounts;

  @Doc('Merchant address the goods go back to; present for return-and-refund and exchange.')
  @IsOptional()
  @Nested(() => Address)
  returnAddress?: Address;
}

@Doc('An agent rejected the ticket. Always followed by ticket-closed with reason REJECTED.')
export class TicketRejectedData extends TicketFact {
  @IsIn(REJECTION_REASONS)
  reasonCode!: RejectionReason;

  @Doc('Shown to the customer.')
  @Text(1000)
  note!: string;
}

@Doc('The ticket ended without success. With ticket-succeeded, the signal that a ticket is over.')
export class TicketClosedData extends TicketFact {
  @IsIn(TICKET_CLOSE_REASONS)
  closeReason!: TicketCloseReason;

  @IsIn(TICKET_STATUSES)
  previousStatus!: TicketStatus;

  @IsOptional()
  @Text(1000)
  note?: string;
}

@Doc('The ticket ended successfully: refund paid, cancellation done or replacement shipped.')
export class TicketSucceededData extends TicketFact {
  @Doc(
    'How the lines ended: ORDER_CANCELLED, REFUNDED (no goods back), RETURNED (goods back and refunded, also an ' +
      'exchange the platform turned into a refund) or EXCHANGED. Every line fully REFUNDED or RETURNED closes ' +
      'the order. Present on every fact after-sales publishes; optional only so that facts published before ' +
      'it still parse.',
  )
  @IsOptional()
  @IsIn(TICKET_OUTCOMES)
  outcome?: TicketOutcome;

  @Doc('What was paid back; zero for cancel-order and exchange.')
  @Nested(() => RefundAmounts)
  refunded!: RefundAmounts;

  @IsOptional()
  @IsUUID()
  refundId?: string;

  @Doc('Carrier of the replacement parcel; present for exchanges.')
  @IsOptional()
  @Text(64)
  carrier?: string;

  @IsOptional()
  @Id()
  trackingNo?: string;
}

@Doc(
  'After-sales asks the refund service to refund. The refund service creates refund order `refundId` ' +
    '(a repeated request with the same id creates nothing new) and pays it after finance review when policy requires.',
)
export class RefundRequestedData extends TicketReference {
  @Doc('Chosen by after-sales so that a redelivered request cannot open a second refund order.')
  @IsUUID()
  refundId!: string;

  @Id()
  merchantId!: string;

  @Doc('Whose coins account gets the coins back.')
  @Id()
  customerId!: string;

  @Doc('The original payment to refund against.')
  @Id()
  paymentNo!: string;

  @Doc('Cash to refund, in fen.')
  @MinorUnits()
  @Invariant('breakdown lines cash + adjustment + shippingFee + shippingSubsidy', (o: RefundRequestedData) =>
    breakdownCash(o.breakdown),
  )
  cashAmount!: number;

  @Doc('Coins to give back, in fen.')
  @MinorUnits()
  @Invariant('the sum of breakdown lines coins', (o: RefundRequestedData) => breakdownCoins(o.breakdown))
  coinsAmount!: number;

  @Nested(() => RefundBreakdown)
  breakdown!: RefundBreakdown;

  @Doc('Passed to the payment gateway: a retried payout with the same key can never pay twice.')
  @Id()
  idempotencyKey!: string;
}

@Doc('After-sales asks the order service to cancel an unpaid order (cancel-order ticket).')
export class OrderCancellationRequestedData extends TicketReference {
  @Id()
  customerId!: string;
}

@Doc('An agent issued a compensation coupon to the customer on a ticket; the coupon system delivers it.')
export class CompensationCouponIssuedData extends TicketReference {
  @Doc(
    "Names the ticket's nth coupon and never changes: the coupon system issues one coupon per id, so a " +
      'redelivered or republished event issues no second coupon.',
  )
  @IsUUID()
  couponId!: string;

  @Id()
  merchantId!: string;

  @Id()
  customerId!: string;

  @Doc('Face value in fen.')
  @PositiveInt()
  amount!: number;

  @Doc('Smallest order amount the coupon applies to, in fen; 0 means no threshold.')
  @MinorUnits()
  minimumSpend!: number;

  @Doc('Last moment the coupon can be used; absent means the coupon system applies its default validity.')
  @IsOptional()
  @Timestamp()
  validUntil?: string;

  @Text(1000)
  note!: string;
}
