import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
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
import { RefundBreakdown, TicketReference, breakdownCash, breakdownCoins } from './common';

/** Refund outcomes name the refund order and the ticket that asked for it. */
export class RefundFact extends TicketReference {
  @IsUUID()
  refundId!: string;

  @Id()
  merchantId!: string;
}

@Doc('The refund order may be paid: finance approved it, or policy needed no review.')
export class RefundApprovedData extends RefundFact {
  @MinorUnits()
  cashAmount!: number;

  @MinorUnits()
  coinsAmount!: number;

  @Doc('True when no finance review was needed (the approving actor is then the system).')
  @IsBoolean()
  automatic!: boolean;
}

@Doc('Finance rejected the refund order; nothing will be paid.')
export class RefundRejectedData extends RefundFact {
  @Doc("Finance's reason, shown to the agents handling the ticket.")
  @Text(1000)
  note!: string;
}

@Doc(
  'The refund was paid: cash through the payment gateway against the original payment, coins to the coins account. ' +
    'cashAmount and coinsAmount are what refund-requested asked for; after-sales dead-letters a payment of other amounts.',
)
export class RefundPaidData extends RefundFact {
  @Id()
  paymentNo!: string;

  @MinorUnits()
  @Invariant('breakdown lines cash + adjustment + shippingFee + shippingSubsidy', (o: RefundPaidData) =>
    breakdownCash(o.breakdown),
  )
  cashAmount!: number;

  @MinorUnits()
  @Invariant('the sum of breakdown lines coins', (o: RefundPaidData) => breakdownCoins(o.breakdown))
  coinsAmount!: number;

  @Doc('The same breakdown as requested; settlement uses the lines to reverse fees per category.')
  @Nested(() => RefundBreakdown)
  breakdown!: RefundBreakdown;

  @Doc("The payment gateway's id of the payout; absent only when the refund was coins alone.")
  @IsOptional()
  @Id()
  gatewayTransactionId?: string;

  @Timestamp()
  paidAt!: string;
}

@Doc('A payout attempt failed. When `retryable` the refund service tries again; otherwise agents must act.')
export class RefundFailedData extends RefundFact {
  @PositiveInt()
  attempt!: number;

  @IsBoolean()
  retryable!: boolean;

  @Text(1000)
  reason!: string;
}
