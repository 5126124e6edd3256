import { IsIn, IsUUID } from 'class-validator';
import {
  CalendarDate,
  Doc,
  Id,
  Invariant,
  MinorUnits,
  Nested,
  NonNegativeInt,
  SignedMinorUnits,
  Timestamp,
} from '../validation/decorators';

export const SETTLEMENT_CYCLES = ['DAILY', 'WEEKLY', 'MONTHLY'] as const;
export type SettlementCycle = (typeof SETTLEMENT_CYCLES)[number];

@Doc(
  'Totals of the entries of one statement, in fen. ' +
    'payoutAmount = orderAmount + platformSubsidy - serviceFee - refundAmount + serviceFeeRefunded.',
)
export class StatementTotals {
  @NonNegativeInt()
  entryCount!: number;

  @Doc('Actual paid of the orders settled in the period.')
  @MinorUnits()
  orderAmount!: number;

  @MinorUnits()
  platformSubsidy!: number;

  @Doc('Platform service fee charged on the settled orders (rate per category).')
  @MinorUnits()
  serviceFee!: number;

  @Doc('Refunds charged back to the merchant in the period.')
  @MinorUnits()
  refundAmount!: number;

  @Doc('Service fee given back because of those refunds.')
  @MinorUnits()
  serviceFeeRefunded!: number;

  @Doc('What the merchant receives; negative when refunds outweigh sales (carried to the next statement).')
  @SignedMinorUnits()
  @Invariant(
    'orderAmount + platformSubsidy - serviceFee - refundAmount + serviceFeeRefunded',
    (t: StatementTotals) =>
      t.orderAmount + t.platformSubsidy - t.serviceFee - t.refundAmount + t.serviceFeeRefunded,
  )
  payoutAmount!: number;
}

@Doc(
  'A merchant statement was issued for one settlement cycle. The entries themselves stay with the settlement ' +
    'service (a monthly statement can list more entries than a Kafka message should carry).',
)
export class SettlementStatementIssuedData {
  @IsUUID()
  statementId!: string;

  @Id()
  merchantId!: string;

  @IsIn(SETTLEMENT_CYCLES)
  cycle!: SettlementCycle;

  @Doc('First day of the period, inclusive (platform time zone).')
  @CalendarDate()
  periodStart!: string;

  @Doc('Last day of the period, inclusive.')
  @CalendarDate()
  periodEnd!: string;

  @Nested(() => StatementTotals)
  totals!: StatementTotals;

  @Doc('Day the payout is made (T+1 or later after periodEnd).')
  @CalendarDate()
  payoutDate!: string;

  @Timestamp()
  issuedAt!: string;
}
