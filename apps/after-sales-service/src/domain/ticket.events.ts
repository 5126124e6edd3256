import type { Actor, Minor } from '@aftersales/kernel';
import type {
  AfterSalesType,
  ApplicationReasonCode,
  InterceptionFailureReason,
  CloseReason,
  LineOutcome,
  PostalAddress,
  RejectionReasonCode,
  UnitDisposition,
  WaitingStatus,
} from './after-sales.catalogues';
import type { InterceptionAnswer, InterventionRuling } from './ticket.commands';
import type { OrderState } from './order-snapshot';
import type { MerchantPolicy } from './policy';
import type { RefundAmounts, TicketLine } from './refund-amount';

/** Every recorded fact names who caused it and when (ISO-8601, from the command's injected time). */
export interface EventMetadata {
  actor: Actor;
  occurredAt: string;
}

export interface Event<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

/** The lines a warehouse task is about. */
export interface TaskLine {
  lineId: string;
  sku: string;
  title: string;
  quantity: number;
}

export interface InspectedLine {
  lineId: string;
  expectedQuantity: number;
  quantityReceived: number;
  dispositions: UnitDisposition[];
}

/** Why the system approved without a human. */
export const AUTOMATIC_APPROVALS = [
  'REFUND_ONLY_SOON_AFTER_PAYMENT',
  'SHIPMENT_INTERCEPTED',
  'REVIEW_DEADLINE_PASSED',
] as const;
export type AutomaticApproval = (typeof AUTOMATIC_APPROVALS)[number];

/** What led to a refund request, for the timeline and for finance. */
export type RefundBasis =
  | 'APPROVED'
  | 'AUTO_APPROVED'
  | 'SHIPMENT_INTERCEPTED'
  | 'STOCK_IN_MATCHED'
  | 'OFFER_ACCEPTED'
  | 'STOCK_IN_TIMEOUT'
  | 'PLATFORM_RULING'
  | 'RETRY';

export const EXPIRY_ACTIONS = [
  'AUTO_APPROVE',
  'ESCALATE_TO_PLATFORM',
  'CLOSE_RETURN_TIMEOUT',
  'CLOSE_STOCK_IN_TIMEOUT',
  'AUTO_REFUND',
  'CLOSE_NEGOTIATION_TIMEOUT',
  'TREAT_AS_NOT_INTERCEPTABLE',
] as const;
export type ExpiryAction = (typeof EXPIRY_ACTIONS)[number];

/** The ticket exists: everything the rest of its life is judged by, policy included. */
export type AfterSalesApplied = Event<
  'AfterSalesApplied',
  {
    ticketId: string;
    ticketNo: string;
    type: AfterSalesType;
    orderId: string;
    merchantId: string;
    customerId: string;
    paymentNo: string | null;
    orderStateAtApplication: OrderState;
    orderShippingFee: Minor;
    /** With this ticket every unit of the order goes back (earlier refunds counted): the shipping fee's condition. */
    wholeOrder: boolean;
    lines: TicketLine[];
    reasonCode: ApplicationReasonCode;
    description: string;
    evidence: string[];
    exchangeAddress: PostalAddress | null;
    policy: MerchantPolicy;
    amounts: RefundAmounts;
  }
>;
export type OrderCancellationRequested = Event<'OrderCancellationRequested', { orderId: string }>;
export type InterceptionRequested = Event<
  'InterceptionRequested',
  { orderId: string; ticketNo: string; lines: TaskLine[] }
>;
export type ShipmentIntercepted = Event<'ShipmentIntercepted', { note: string | null }>;
export type InterceptionFailed = Event<
  'InterceptionFailed',
  { reason: InterceptionFailureReason | 'DEADLINE_PASSED'; note: string | null }
>;
/**
 * The warehouse answered an interception after the ticket had moved on (approved, refunded or
 * closed), after the deadline or contradicting its first answer: where the parcel is, recorded; the
 * ticket stays where it is.
 */
export type InterceptionReportedLate = Event<'InterceptionReportedLate', InterceptionAnswer>;
export type TicketApproved = Event<
  'TicketApproved',
  { automatic: AutomaticApproval | null; returnAddress: PostalAddress | null; note: string | null }
>;
export type TicketRejected = Event<'TicketRejected', { reasonCode: RejectionReasonCode; note: string }>;
export type ReturnShipmentSubmitted = Event<
  'ReturnShipmentSubmitted',
  { carrier: string; trackingNo: string }
>;
export type ReturnStockInRequested = Event<
  'ReturnStockInRequested',
  {
    orderId: string;
    ticketNo: string;
    lines: TaskLine[];
    returnAddress: PostalAddress;
    carrier: string;
    trackingNo: string;
  }
>;
/** `stockedAt`: when the warehouse stocked it in, by its own account. */
export type ReturnStockedIn = Event<
  'ReturnStockedIn',
  { lines: InspectedLine[]; matches: boolean; note: string | null; stockedAt: string }
>;
/** The stock-in a ticket that already ended still waited for: recorded, the ticket stays where it is. */
export type ReturnStockedInLate = Event<
  'ReturnStockedInLate',
  { lines: InspectedLine[]; matches: boolean; note: string | null; stockedAt: string }
>;
export type RefundOfferProposed = Event<
  'RefundOfferProposed',
  { amount: Minor; actualPaid: Minor; note: string }
>;
export type RefundOfferAccepted = Event<'RefundOfferAccepted', { amount: Minor }>;
export type RefundOfferDeclined = Event<'RefundOfferDeclined', { amount: Minor; note: string | null }>;
export type RefundAmountAdjusted = Event<'RefundAmountAdjusted', { from: Minor; to: Minor; note: string }>;
export type ShippingSubsidised = Event<
  'ShippingSubsidised',
  { amount: Minor; totalSubsidy: Minor; note: string }
>;
export type CompensationCouponIssued = Event<
  'CompensationCouponIssued',
  { customerId: string; couponValue: Minor; note: string }
>;
export type ExchangeApprovedDespiteMismatch = Event<'ExchangeApprovedDespiteMismatch', { note: string }>;
export type ExchangeStockOutRequested = Event<
  'ExchangeStockOutRequested',
  { orderId: string; ticketNo: string; lines: TaskLine[]; deliveryAddress: PostalAddress }
>;
/** A parcel the warehouse sent; `shippedAt` is when it left, by the warehouse's account. */
export interface ParcelSent {
  carrier: string;
  trackingNo: string;
  shippedAt: string;
}
export type ExchangeShipped = Event<'ExchangeShipped', ParcelSent>;
/** A platform ruling ended the exchange before the replacement shipped: the warehouse is told not to ship it. */
export type ExchangeStockOutCancellationRequested = Event<
  'ExchangeStockOutCancellationRequested',
  { orderId: string; ticketNo: string; lines: TaskLine[]; ruling: 'FORCE_CLOSE' | 'FORCE_REFUND' }
>;
/** The replacement left before the cancellation reached the warehouse: recorded, the ticket stays where it is. */
export type ExchangeShippedLate = Event<'ExchangeShippedLate', ParcelSent>;
export type GoodsReturnToCustomerRequested = Event<
  'GoodsReturnToCustomerRequested',
  { orderId: string; ticketNo: string; lines: TaskLine[] }
>;
/** After the close: the ticket is over, but the customer is told where their goods are. */
export type GoodsReturnedToCustomer = Event<'GoodsReturnedToCustomer', ParcelSent>;
export type RefundRequested = Event<
  'RefundRequested',
  {
    attempt: number;
    /** One key per attempt: a redelivered request can never pay twice. */
    idempotencyKey: string;
    orderId: string;
    paymentNo: string | null;
    cash: Minor;
    coins: Minor;
    amounts: RefundAmounts;
    basis: RefundBasis;
    note: string | null;
  }
>;
/** `paidAt`: when the gateway paid, by the refund service's report. */
export type RefundPaid = Event<
  'RefundPaid',
  { attempt: number; refundId: string; cash: Minor; coins: Minor; paidAt: string }
>;
export type RefundApproved = Event<
  'RefundApproved',
  { attempt: number; refundId: string; automatic: boolean }
>;
export type RefundFailed = Event<'RefundFailed', { attempt: number; refundId: string; reason: string }>;
export type RefundRejected = Event<'RefundRejected', { attempt: number; refundId: string; reason: string }>;
export type OrderCancelled = Event<'OrderCancelled', { orderId: string }>;
export type DeadlineExpired = Event<
  'DeadlineExpired',
  { state: WaitingStatus; dueAt: string; onExpiry: ExpiryAction }
>;
export type TicketEscalated = Event<
  'TicketEscalated',
  { reason: 'REVIEW_DEADLINE_PASSED_WITHOUT_RETURN_ADDRESS' | 'EXCHANGE_SHIPMENT_OVERDUE' }
>;
export type PlatformIntervened = Event<
  'PlatformIntervened',
  { ruling: InterventionRuling; note: string; amount: Minor | null }
>;
/** The only way into CLOSED: projections unlock the ticket's lines on it. */
export type TicketClosed = Event<'TicketClosed', { reason: CloseReason; note: string | null }>;
/** The only way into SUCCEEDED: projections record the lines' outcome on it. */
export type TicketSucceeded = Event<'TicketSucceeded', { outcome: LineOutcome }>;

export type TicketEvent =
  | AfterSalesApplied
  | OrderCancellationRequested
  | InterceptionRequested
  | ShipmentIntercepted
  | InterceptionFailed
  | InterceptionReportedLate
  | TicketApproved
  | TicketRejected
  | ReturnShipmentSubmitted
  | ReturnStockInRequested
  | ReturnStockedIn
  | ReturnStockedInLate
  | RefundOfferProposed
  | RefundOfferAccepted
  | RefundOfferDeclined
  | RefundAmountAdjusted
  | ShippingSubsidised
  | CompensationCouponIssued
  | ExchangeApprovedDespiteMismatch
  | ExchangeStockOutRequested
  | ExchangeShipped
  | ExchangeStockOutCancellationRequested
  | ExchangeShippedLate
  | GoodsReturnToCustomerRequested
  | GoodsReturnedToCustomer
  | RefundRequested
  | RefundPaid
  | RefundApproved
  | RefundFailed
  | RefundRejected
  | OrderCancelled
  | DeadlineExpired
  | TicketEscalated
  | PlatformIntervened
  | TicketClosed
  | TicketSucceeded;

export type TicketEventType = TicketEvent['type'];
