/**
 * The closed vocabularies of after-sales (DOMAIN.md). Each is a const tuple so that the same list
 * drives the TypeScript union, input validation and exhaustive tests.
 */

export const AFTER_SALES_TYPES = ['CANCEL_ORDER', 'REFUND_ONLY', 'RETURN_AND_REFUND', 'EXCHANGE'] as const;
export type AfterSalesType = (typeof AFTER_SALES_TYPES)[number];

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

export const TERMINAL_STATUSES = ['SUCCEEDED', 'CLOSED'] as const satisfies readonly TicketStatus[];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export type OpenStatus = Exclude<TicketStatus, TerminalStatus>;

export function isTerminalStatus(status: TicketStatus): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly TicketStatus[]).includes(status);
}

/** The states where the ticket waits for someone and a deadline runs (DOMAIN.md, Deadlines). */
export const WAITING_STATUSES = [
  'PENDING_REVIEW',
  'AWAITING_CUSTOMER_RETURN',
  'AWAITING_STOCK_IN',
  'IN_NEGOTIATION',
  'AWAITING_EXCHANGE_SHIPMENT',
  'INTERCEPTING',
] as const satisfies readonly OpenStatus[];
export type WaitingStatus = (typeof WAITING_STATUSES)[number];

export function isWaitingStatus(status: TicketStatus): status is WaitingStatus {
  return (WAITING_STATUSES as readonly TicketStatus[]).includes(status);
}

export const CLOSE_REASONS = [
  'REJECTED',
  'CANCELLED_BY_CUSTOMER',
  'ORDER_ALREADY_PAID',
  'RETURN_TIMEOUT',
  'STOCK_IN_TIMEOUT',
  'NEGOTIATION_DECLINED',
  'NEGOTIATION_TIMEOUT',
  'CLOSED_BY_AGENT',
  'CLOSED_BY_PLATFORM',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Why the customer asks (application catalogue). */
export const APPLICATION_REASON_CODES = [
  'NOT_AS_DESCRIBED',
  'DAMAGED',
  'WRONG_ITEM',
  'QUALITY_PROBLEM',
  'NO_LONGER_WANTED',
  'LATE_DELIVERY',
  'OTHER',
] as const;
export type ApplicationReasonCode = (typeof APPLICATION_REASON_CODES)[number];

/** Why an agent refuses (rejection catalogue); the note shown to the customer comes with it. */
export const REJECTION_REASON_CODES = [
  'NOT_ELIGIBLE',
  'EVIDENCE_INSUFFICIENT',
  'USED_OR_DAMAGED_BY_CUSTOMER',
  'WINDOW_PASSED',
  'OTHER',
] as const;
export type RejectionReasonCode = (typeof REJECTION_REASON_CODES)[number];

/** Why the warehouse could not stop a parcel: it had left, the warehouse did not know it, or refused. */
export const INTERCEPTION_FAILURE_REASONS = ['ALREADY_SHIPPED', 'TASK_UNKNOWN', 'WAREHOUSE_REFUSED'] as const;
export type InterceptionFailureReason = (typeof INTERCEPTION_FAILURE_REASONS)[number];

/** What the warehouse found for one returned unit. */
export const UNIT_DISPOSITIONS = ['RESTOCKABLE', 'DAMAGED_OR_NOT_AS_DESCRIBED', 'MISSING'] as const;
export type UnitDisposition = (typeof UNIT_DISPOSITIONS)[number];

/**
 * How a succeeded ticket ended for its lines. A platform ruling can end an exchange with a refund,
 * so the outcome, not the ticket type, decides what a line may still ask for.
 */
export const LINE_OUTCOMES = ['ORDER_CANCELLED', 'REFUNDED', 'RETURNED', 'EXCHANGED'] as const;
export type LineOutcome = (typeof LINE_OUTCOMES)[number];

export interface PostalAddress {
  recipient: string;
  phone: string;
  address: string;
}

export function includesValue<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
