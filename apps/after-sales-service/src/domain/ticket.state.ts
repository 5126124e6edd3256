import { type Actor, MINUTE, type Minor } from '@aftersales/kernel';
import {
  type AfterSalesType,
  type ApplicationReasonCode,
  type CloseReason,
  isWaitingStatus,
  type LineOutcome,
  type OpenStatus,
  type PostalAddress,
  type RejectionReasonCode,
  type TicketStatus,
  type WaitingStatus,
} from './after-sales.catalogues';
import type { OrderState } from './order-snapshot';
import type { MerchantPolicy } from './policy';
import { refundAmounts, type RefundAmounts, type TicketLine } from './refund-amount';
import type {
  AfterSalesApplied,
  AutomaticApproval,
  ExpiryAction,
  InspectedLine,
  ParcelSent,
  TicketEscalated,
  TicketEvent,
} from './ticket.events';

/** The running deadline of a waiting state: the poller fires it once at `dueAt`. */
export interface Deadline {
  state: WaitingStatus;
  dueAt: string;
  onExpiry: ExpiryAction;
}

export const INTERCEPTION_STATUSES = ['REQUESTED', 'INTERCEPTED', 'NOT_INTERCEPTABLE', 'TIMED_OUT'] as const;
export type InterceptionStatus = (typeof INTERCEPTION_STATUSES)[number];

export interface Approval {
  by: Actor;
  at: string;
  automatic: AutomaticApproval | null;
  note: string | null;
}

export interface Rejection {
  reasonCode: RejectionReasonCode;
  note: string;
  by: Actor;
  at: string;
}

export interface ReturnShipment {
  carrier: string;
  trackingNo: string;
  submittedAt: string;
}

export interface Inspection {
  lines: InspectedLine[];
  matches: boolean;
  note: string | null;
  inspectedAt: string;
}

export interface Offer {
  amount: Minor;
  note: string;
  proposedBy: Actor;
  proposedAt: string;
  status: OfferStatus;
}

export const OFFER_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const AGENT_ACTION_KINDS = [
  'REFUND_AMOUNT_ADJUSTED',
  'SHIPPING_SUBSIDISED',
  'COMPENSATION_COUPON_ISSUED',
  'OFFER_PROPOSED',
  'PLATFORM_INTERVENED',
] as const;
export type AgentActionKind = (typeof AGENT_ACTION_KINDS)[number];

/** An agent's (or the platform's) change to the money or ruling, kept for audit next to the timeline. */
export interface AgentAction {
  kind: AgentActionKind;
  amount: Minor | null;
  note: string;
  by: Actor;
  at: string;
}

export const REFUND_STATUSES = ['REQUESTED', 'APPROVED', 'PAID', 'FAILED', 'REJECTED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface RefundProgress {
  attempt: number;
  status: RefundStatus;
  cash: Minor;
  coins: Minor;
  idempotencyKey: string;
  refundId: string | null;
  /** Why the last attempt failed or was rejected. */
  problem: string | null;
  requestedAt: string;
  /** When the gateway paid, by the refund service's report; null until paid. */
  paidAt: string | null;
}

/** A parcel the warehouse sent the customer: the exchange's replacement, or their goods back. */
export type Shipment = ParcelSent;

export interface Escalation {
  reason: TicketEscalated['data']['reason'];
  at: string;
}

/** What every ticket knows once it exists. */
export interface TicketCore {
  ticketId: string;
  ticketNo: string;
  type: AfterSalesType;
  orderId: string;
  merchantId: string;
  customerId: string;
  paymentNo: string | null;
  orderStateAtApplication: OrderState;
  orderShippingFee: Minor;
  wholeOrder: boolean;
  lines: TicketLine[];
  reasonCode: ApplicationReasonCode;
  description: string;
  evidence: string[];
  exchangeAddress: PostalAddress | null;
  /** The merchant policy in force at application: the ticket's rules for its whole life. */
  policy: MerchantPolicy;
  amounts: RefundAmounts;
  appliedAt: string;
  deadline: Deadline | null;
  interception: InterceptionStatus | null;
  approval: Approval | null;
  rejection: Rejection | null;
  returnAddress: PostalAddress | null;
  returnShipment: ReturnShipment | null;
  inspection: Inspection | null;
  offer: Offer | null;
  agentActions: AgentAction[];
  refund: RefundProgress | null;
  exchangeShipment: Shipment | null;
  /** A platform ruling told the warehouse not to ship the replacement. */
  exchangeStockOutCancelled: boolean;
  goodsReturnRequested: boolean;
  goodsReturnShipment: Shipment | null;
  escalations: Escalation[];
}

export type NoTicket = { status: 'NONE' };
export type OpenTicket = TicketCore & { status: OpenStatus };
export type SucceededTicket = TicketCore & { status: 'SUCCEEDED'; outcome: LineOutcome; endedAt: string };
export type ClosedTicket = TicketCore & {
  status: 'CLOSED';
  closeReason: CloseReason;
  closeNote: string | null;
  endedAt: string;
};
export type Ticket = OpenTicket | SucceededTicket | ClosedTicket;
export type TicketState = NoTicket | Ticket;

export const initialState: TicketState = { status: 'NONE' };

/** How a deadline of `status` ends, from the ticket's type and policy snapshot (DOMAIN.md, Deadlines). */
export function expiryActionFor(ticket: TicketCore, status: WaitingStatus): ExpiryAction {
  switch (status) {
    case 'PENDING_REVIEW':
      // The system can approve a return only if it knows where the goods should go.
      return ticket.type === 'REFUND_ONLY' || ticket.policy.defaultReturnAddress !== null
        ? 'AUTO_APPROVE'
        : 'ESCALATE_TO_PLATFORM';
    case 'AWAITING_CUSTOMER_RETURN':
      return 'CLOSE_RETURN_TIMEOUT';
    case 'AWAITING_STOCK_IN':
      // An exchange cannot become a refund by itself: auto-refund applies to returns only.
      return ticket.type === 'RETURN_AND_REFUND' && ticket.policy.stockInTimeoutAction === 'AUTO_REFUND'
        ? 'AUTO_REFUND'
        : 'CLOSE_STOCK_IN_TIMEOUT';
    case 'IN_NEGOTIATION':
      return 'CLOSE_NEGOTIATION_TIMEOUT';
    case 'AWAITING_EXCHANGE_SHIPMENT':
      return 'ESCALATE_TO_PLATFORM';
    case 'INTERCEPTING':
      return 'TREAT_AS_NOT_INTERCEPTABLE';
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

export function deadlineFor(ticket: TicketCore, status: TicketStatus, enteredAt: string): Deadline | null {
  if (!isWaitingStatus(status)) return null;
  return {
    state: status,
    dueAt: new Date(Date.parse(enteredAt) + ticket.policy.deadlineMinutes[status] * MINUTE).toISOString(),
    onExpiry: expiryActionFor(ticket, status),
  };
}

/**
 * Moves into an open status. The deadline is set on entering a waiting state and kept while the
 * ticket stays in it (an offer or a subsidy does not restart the clock).
 */
function enter(ticket: Ticket, status: OpenStatus, at: string): OpenTicket {
  const core = coreOf(ticket);
  if (ticket.status === status) return { ...core, status };
  return { ...core, status, deadline: deadlineFor(core, status, at) };
}

/**
 * The ticket without the fields of how it ended, for a caller that gives it a status of its own.
 * An open ticket is returned as it is, status included (every caller overwrites it): taking the
 * status out by rest-destructuring is a slow copy in V8, paid on every fold.
 */
function coreOf(ticket: Ticket): TicketCore {
  switch (ticket.status) {
    case 'SUCCEEDED': {
      const { status: _status, outcome: _outcome, endedAt: _endedAt, ...core } = ticket;
      return core;
    }
    case 'CLOSED': {
      const { status: _status, closeReason: _reason, closeNote: _note, endedAt: _endedAt, ...core } = ticket;
      return core;
    }
    default:
      return ticket;
  }
}

function withAmounts(ticket: Ticket, change: Partial<RefundAmounts>): Ticket {
  return { ...ticket, amounts: refundAmounts({ ...ticket.amounts, ...change }) };
}

/** The ticket as its first event creates it, in PENDING_REVIEW with that state's deadline running. */
export function startTicket(event: AfterSalesApplied): OpenTicket {
  const at = event.metadata.occurredAt;
  const d = event.data;
  // Field by field rather than `...event.data` and then the rest: V8 builds an object that is
  // spread and then extended some forty times slower, and a rebuild starts every ticket here. For
  // the same reason the deadline is set on the new object rather than by spreading it once more.
  const ticket: OpenTicket = {
    ticketId: d.ticketId,
    ticketNo: d.ticketNo,
    type: d.type,
    orderId: d.orderId,
    merchantId: d.merchantId,
    customerId: d.customerId,
    paymentNo: d.paymentNo,
    orderStateAtApplication: d.orderStateAtApplication,
    orderShippingFee: d.orderShippingFee,
    wholeOrder: d.wholeOrder,
    lines: d.lines,
    reasonCode: d.reasonCode,
    description: d.description,
    evidence: d.evidence,
    exchangeAddress: d.exchangeAddress,
    policy: d.policy,
    amounts: d.amounts,
    appliedAt: at,
    deadline: null,
    interception: null,
    approval: null,
    rejection: null,
    returnAddress: null,
    returnShipment: null,
    inspection: null,
    offer: null,
    agentActions: [],
    refund: null,
    exchangeShipment: null,
    exchangeStockOutCancelled: false,
    goodsReturnRequested: false,
    goodsReturnShipment: null,
    escalations: [],
    status: 'PENDING_REVIEW',
  };
  ticket.deadline = deadlineFor(ticket, 'PENDING_REVIEW', at);
  return ticket;
}

/**
 * Applies one recorded fact. Total over every event so that replay never fails; which events may
 * happen in which state is decide's business (and the transition table's), not evolve's.
 */
export function evolve(state: Ticket, event: TicketEvent): Ticket;
export function evolve(state: TicketState, event: TicketEvent): TicketState;
export function evolve(state: TicketState, event: TicketEvent): TicketState {
  const at = event.metadata.occurredAt;
  if (event.type === 'AfterSalesApplied') return startTicket(event);
  if (state.status === 'NONE') return state;
  const ticket = state;
  const by = event.metadata.actor;

  switch (event.type) {
    case 'OrderCancellationRequested':
      return enter(ticket, 'CANCELLING', at);
    case 'InterceptionRequested':
      return { ...enter(ticket, 'INTERCEPTING', at), interception: 'REQUESTED' };
    case 'ShipmentIntercepted':
      // The parcel never left: a whole-order refund gets its shipping fee back even after a timeout had removed it.
      return withAmounts(
        { ...ticket, interception: 'INTERCEPTED' },
        {
          shippingFeeRefund: ticket.wholeOrder ? ticket.orderShippingFee : 0,
        },
      );
    case 'InterceptionFailed':
      // The parcel is on its way: this is no longer a refund before shipment.
      return withAmounts(
        {
          ...enter(ticket, 'PENDING_REVIEW', at),
          interception: event.data.reason === 'DEADLINE_PASSED' ? 'TIMED_OUT' : 'NOT_INTERCEPTABLE',
        },
        { shippingFeeRefund: 0 },
      );
    case 'InterceptionReportedLate':
      return { ...ticket, interception: event.data.intercepted ? 'INTERCEPTED' : 'NOT_INTERCEPTABLE' };
    case 'TicketApproved': {
      const approved: Ticket = {
        ...ticket,
        approval: { by, at, automatic: event.data.automatic, note: event.data.note },
        returnAddress: event.data.returnAddress ?? ticket.returnAddress,
      };
      return event.data.returnAddress === null ? approved : enter(approved, 'AWAITING_CUSTOMER_RETURN', at);
    }
    case 'TicketRejected':
      return { ...ticket, rejection: { reasonCode: event.data.reasonCode, note: event.data.note, by, at } };
    case 'ReturnShipmentSubmitted':
      return {
        ...ticket,
        returnShipment: { carrier: event.data.carrier, trackingNo: event.data.trackingNo, submittedAt: at },
      };
    case 'ReturnStockInRequested':
      return enter(ticket, 'AWAITING_STOCK_IN', at);
    case 'ReturnStockedIn':
    case 'ReturnStockedInLate': {
      const inspected: Ticket = {
        ...ticket,
        inspection: {
          lines: event.data.lines,
          matches: event.data.matches,
          note: event.data.note,
          inspectedAt: event.data.stockedAt,
        },
      };
      return event.data.matches || event.type === 'ReturnStockedInLate'
        ? inspected
        : enter(inspected, 'IN_NEGOTIATION', at);
    }
    case 'RefundOfferProposed':
      return {
        ...ticket,
        offer: {
          amount: event.data.amount,
          note: event.data.note,
          proposedBy: by,
          proposedAt: at,
          status: 'PENDING',
        },
        agentActions: [
          ...ticket.agentActions,
          { kind: 'OFFER_PROPOSED', amount: event.data.amount, note: event.data.note, by, at },
        ],
      };
    case 'RefundOfferAccepted':
      return withAmounts(
        { ...ticket, offer: ticket.offer && { ...ticket.offer, status: 'ACCEPTED' } },
        { agreedGoodsAmount: event.data.amount },
      );
    case 'RefundOfferDeclined':
      return { ...ticket, offer: ticket.offer && { ...ticket.offer, status: 'DECLINED' } };
    case 'RefundAmountAdjusted':
      return withAmounts(
        {
          ...ticket,
          agentActions: [
            ...ticket.agentActions,
            { kind: 'REFUND_AMOUNT_ADJUSTED', amount: event.data.to, note: event.data.note, by, at },
          ],
        },
        { agreedGoodsAmount: event.data.to },
      );
    case 'ShippingSubsidised':
      return withAmounts(
        {
          ...ticket,
          agentActions: [
            ...ticket.agentActions,
            { kind: 'SHIPPING_SUBSIDISED', amount: event.data.amount, note: event.data.note, by, at },
          ],
        },
        { shippingSubsidy: event.data.totalSubsidy },
      );
    case 'CompensationCouponIssued':
      return withAmounts(
        {
          ...ticket,
          agentActions: [
            ...ticket.agentActions,
            {
              kind: 'COMPENSATION_COUPON_ISSUED',
              amount: event.data.couponValue,
              note: event.data.note,
              by,
              at,
            },
          ],
        },
        { compensationCouponValue: ticket.amounts.compensationCouponValue + event.data.couponValue },
      );
    case 'ExchangeApprovedDespiteMismatch':
      return ticket;
    case 'ExchangeStockOutRequested':
      return enter(ticket, 'AWAITING_EXCHANGE_SHIPMENT', at);
    case 'ExchangeShipped':
    case 'ExchangeShippedLate':
      return { ...ticket, exchangeShipment: event.data };
    case 'ExchangeStockOutCancellationRequested':
      return { ...ticket, exchangeStockOutCancelled: true };
    case 'GoodsReturnToCustomerRequested':
      return { ...ticket, goodsReturnRequested: true };
    case 'GoodsReturnedToCustomer':
      return { ...ticket, goodsReturnShipment: event.data };
    case 'RefundRequested':
      return {
        ...enter(ticket, 'AWAITING_REFUND', at),
        refund: {
          attempt: event.data.attempt,
          status: 'REQUESTED',
          cash: event.data.cash,
          coins: event.data.coins,
          idempotencyKey: event.data.idempotencyKey,
          refundId: null,
          problem: null,
          requestedAt: at,
          paidAt: null,
        },
      };
    case 'RefundPaid':
      return {
        ...ticket,
        refund: ticket.refund && {
          ...ticket.refund,
          status: 'PAID',
          refundId: event.data.refundId,
          problem: null,
          paidAt: event.data.paidAt,
        },
      };
    case 'RefundApproved':
      return {
        ...ticket,
        refund: ticket.refund && { ...ticket.refund, status: 'APPROVED', refundId: event.data.refundId },
      };
    case 'RefundFailed':
      return {
        ...ticket,
        refund: ticket.refund && {
          ...ticket.refund,
          status: 'FAILED',
          refundId: event.data.refundId,
          problem: event.data.reason,
        },
      };
    case 'RefundRejected':
      return {
        ...ticket,
        refund: ticket.refund && {
          ...ticket.refund,
          status: 'REJECTED',
          refundId: event.data.refundId,
          problem: event.data.reason,
        },
      };
    case 'OrderCancelled':
      return ticket;
    case 'DeadlineExpired':
      return { ...ticket, deadline: null };
    case 'TicketEscalated':
      return { ...ticket, escalations: [...ticket.escalations, { reason: event.data.reason, at }] };
    case 'PlatformIntervened': {
      const recorded: Ticket = {
        ...ticket,
        agentActions: [
          ...ticket.agentActions,
          { kind: 'PLATFORM_INTERVENED', amount: event.data.amount, note: event.data.note, by, at },
        ],
      };
      return event.data.amount === null
        ? recorded
        : withAmounts(recorded, { agreedGoodsAmount: event.data.amount });
    }
    case 'TicketClosed':
      return {
        ...coreOf(ticket),
        deadline: null,
        status: 'CLOSED',
        closeReason: event.data.reason,
        closeNote: event.data.note,
        endedAt: at,
      };
    case 'TicketSucceeded':
      return {
        ...coreOf(ticket),
        deadline: null,
        status: 'SUCCEEDED',
        outcome: event.data.outcome,
        endedAt: at,
      };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export function evolveAll(events: readonly TicketEvent[], from: TicketState = initialState): TicketState {
  return events.reduce(evolve, from);
}
