import type { Actor, Minor } from '@aftersales/kernel';
import type {
  AfterSalesType,
  ApplicationReasonCode,
  InterceptionFailureReason,
  PostalAddress,
  RejectionReasonCode,
  TicketStatus,
  UnitDisposition,
} from './after-sales.catalogues';
import type { RequestedLine } from './refund-amount';

/** Who asks and when: time is injected with the command, never read from a clock in the domain. */
export interface CommandMetadata {
  actor: Actor;
  now: Date;
}

export interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}

export type ApplyForAfterSales = Command<
  'ApplyForAfterSales',
  {
    type: AfterSalesType;
    /** For CANCEL_ORDER an empty list means the whole order. */
    lines: RequestedLine[];
    reasonCode: ApplicationReasonCode;
    description: string;
    /** Image URLs. */
    evidence: string[];
    /** Where the replacement goes; required for EXCHANGE, ignored otherwise. */
    exchangeAddress: PostalAddress | null;
  }
>;
export type CancelTicket = Command<'CancelTicket', { note: string | null }>;
export type ApproveTicket = Command<
  'ApproveTicket',
  { returnAddress: PostalAddress | null; note: string | null }
>;
export type RejectTicket = Command<'RejectTicket', { reasonCode: RejectionReasonCode; note: string }>;
export type SubmitReturnShipment = Command<'SubmitReturnShipment', { carrier: string; trackingNo: string }>;

export interface StockInLineReport {
  lineId: string;
  quantityReceived: number;
  /** One entry per unit the ticket expects; units not received are MISSING. */
  dispositions: UnitDisposition[];
}
/** `stockedAt`: when the warehouse says it stocked the return in (ISO-8601); the handling time if not given. */
export type RecordStockIn = Command<
  'RecordStockIn',
  { lines: StockInLineReport[]; note: string | null; stockedAt?: string }
>;

export type ProposeRefundAmount = Command<'ProposeRefundAmount', { amount: Minor; note: string }>;
/** The customer names the amount they saw, so that a replaced offer is not accepted by mistake. */
export type AcceptOffer = Command<'AcceptOffer', { amount: Minor }>;
export type DeclineOffer = Command<'DeclineOffer', { note: string | null }>;
export type AdjustRefundAmount = Command<'AdjustRefundAmount', { amount: Minor; note: string }>;
export type SubsidiseShipping = Command<'SubsidiseShipping', { amount: Minor; note: string }>;
export type IssueCompensationCoupon = Command<
  'IssueCompensationCoupon',
  { couponValue: Minor; note: string }
>;
export type ShipExchangeDespiteMismatch = Command<'ShipExchangeDespiteMismatch', { note: string }>;
export type CloseTicket = Command<'CloseTicket', { note: string }>;
/** What the warehouse answered an interception: stopped, or not, and why not. */
export type InterceptionAnswer =
  | { intercepted: true; note: string | null }
  | { intercepted: false; reason: InterceptionFailureReason; note: string | null };
export type RecordInterceptionResult = Command<'RecordInterceptionResult', InterceptionAnswer>;
/**
 * `cash` and `coins`: what the refund service reports it paid, in minor units. `paidAt`: when the
 * gateway paid, by the refund service's report (ISO-8601); the handling time if not given.
 */
export type RecordRefundPaid = Command<
  'RecordRefundPaid',
  { attempt: number; refundId: string; cash: number; coins: number; paidAt?: string }
>;
/** The refund order may be paid: finance approved it, or (`automatic`) it needed no review. */
export type RecordRefundApproved = Command<
  'RecordRefundApproved',
  { attempt: number; refundId: string; cash: number; coins: number; automatic: boolean }
>;
export type RecordRefundFailed = Command<
  'RecordRefundFailed',
  { attempt: number; refundId: string; reason: string }
>;
export type RecordRefundRejected = Command<
  'RecordRefundRejected',
  { attempt: number; refundId: string; reason: string }
>;
export type RequestRefundAgain = Command<'RequestRefundAgain', { note: string }>;
export type RecordOrderClosed = Command<'RecordOrderClosed', Record<string, never>>;
export type RecordOrderPaid = Command<'RecordOrderPaid', Record<string, never>>;
/** A line of the replacement parcel, as the warehouse reports it shipped. */
export interface ShippedLine {
  lineId: string;
  quantity: number;
}
/** `shippedAt`: when the warehouse says the parcel left (ISO-8601); the handling time if not given. */
export type RecordExchangeShipped = Command<
  'RecordExchangeShipped',
  { lines: ShippedLine[]; carrier: string; trackingNo: string; shippedAt?: string }
>;
/** The warehouse shipped the goods it held back to the customer of a closed ticket. */
export type RecordGoodsReturnedToCustomer = Command<
  'RecordGoodsReturnedToCustomer',
  { lines: ShippedLine[]; carrier: string; trackingNo: string; shippedAt?: string }
>;
/** Fired by the deadline poller with the deadline it holds; a deadline the ticket no longer runs is ignored. */
export type ExpireDeadline = Command<'ExpireDeadline', { state: TicketStatus; dueAt: string }>;

export const INTERVENTION_RULINGS = ['RECORD_ONLY', 'FORCE_CLOSE', 'FORCE_REFUND'] as const;
export type InterventionRuling = (typeof INTERVENTION_RULINGS)[number];
/**
 * Platform arbitration. RECORD_ONLY puts the platform's finding on the timeline; FORCE_CLOSE ends
 * the ticket (goods held by the warehouse go back to the customer); FORCE_REFUND requests a refund
 * now, of `amount` (0 .. actual paid) or, when null, of the current refund amount.
 */
export type Intervene = Command<
  'Intervene',
  { ruling: InterventionRuling; note: string; amount: Minor | null }
>;

export type TicketCommand =
  | ApplyForAfterSales
  | CancelTicket
  | ApproveTicket
  | RejectTicket
  | SubmitReturnShipment
  | RecordStockIn
  | ProposeRefundAmount
  | AcceptOffer
  | DeclineOffer
  | AdjustRefundAmount
  | SubsidiseShipping
  | IssueCompensationCoupon
  | ShipExchangeDespiteMismatch
  | CloseTicket
  | RecordInterceptionResult
  | RecordRefundPaid
  | RecordRefundApproved
  | RecordRefundFailed
  | RecordRefundRejected
  | RequestRefundAgain
  | RecordOrderClosed
  | RecordOrderPaid
  | RecordExchangeShipped
  | RecordGoodsReturnedToCustomer
  | ExpireDeadline
  | Intervene;

export type TicketCommandType = TicketCommand['type'];
