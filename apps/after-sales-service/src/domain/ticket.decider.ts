import {
  type Actor,
  assertPositiveMinor,
  ConflictError,
  ForbiddenError,
  IllegalStateError,
  MINUTE,
  type Minor,
  RuleViolationError,
  SYSTEM_ACTOR,
  ValidationError,
} from '@aftersales/kernel';
import {
  AFTER_SALES_TYPES,
  APPLICATION_REASON_CODES,
  includesValue,
  INTERCEPTION_FAILURE_REASONS,
  type InterceptionFailureReason,
  type PostalAddress,
  type CloseReason,
  REJECTION_REASON_CODES,
  UNIT_DISPOSITIONS,
} from './after-sales.catalogues';
import { assertEligible, type LineHistory } from './eligibility';
import type { OrderSnapshot } from './order-snapshot';
import type { MerchantPolicy } from './policy';
import {
  assertGoodsAmountWithinActualPaid,
  completesWholeOrder,
  initialRefundAmounts,
  ticketLinesFor,
} from './refund-amount';
import type {
  AcceptOffer,
  AdjustRefundAmount,
  ApplyForAfterSales,
  ApproveTicket,
  CloseTicket,
  DeclineOffer,
  ExpireDeadline,
  Intervene,
  IssueCompensationCoupon,
  ProposeRefundAmount,
  RecordExchangeShipped,
  RecordGoodsReturnedToCustomer,
  RecordInterceptionResult,
  RecordRefundFailed,
  RecordRefundApproved,
  RecordRefundPaid,
  RecordRefundRejected,
  RecordStockIn,
  RejectTicket,
  RequestRefundAgain,
  ShipExchangeDespiteMismatch,
  ShippedLine,
  SubmitReturnShipment,
  SubsidiseShipping,
  TicketCommand,
  TicketCommandType,
} from './ticket.commands';
import type {
  AfterSalesApplied,
  AutomaticApproval,
  EventMetadata,
  InspectedLine,
  RefundBasis,
  RefundRequested,
  TaskLine,
  TicketEvent,
} from './ticket.events';
import { evolve, evolveAll, startTicket, type Shipment, type Ticket, type TicketState } from './ticket.state';
import {
  COMMAND_ACTORS,
  type FromStatus,
  refundStalled,
  TICKET_COMMAND_TYPES,
  transitionsFrom,
  type TransitionRow,
} from './ticket.transitions';

/** Facts the service loads for an application: the domain reads no database and mints no ids. */
export interface ApplicationFacts {
  ticketId: string;
  ticketNo: string;
  order: OrderSnapshot;
  lineHistory: readonly LineHistory[];
  policy: MerchantPolicy;
}

export interface DecideContext {
  /** Required for ApplyForAfterSales, unused otherwise. */
  application?: ApplicationFacts;
}

const NOTE_MAX = 500;
const DESCRIPTION_MAX = 2000;
const EVIDENCE_MAX = 9;
const REFERENCE_MAX = 64;

/**
 * The ticket's business logic: the events a command produces in the current state, or a
 * PlatformError naming the rule it breaks. The transition table is consulted first (is there a
 * row for this state and command? does one apply to this ticket?) and last (is the resulting
 * status one the table allows?), so the table and the behaviour cannot drift apart.
 */
export function decide(
  command: TicketCommand,
  state: TicketState,
  context: DecideContext = {},
): TicketEvent[] {
  const rows = transitionsFrom(state.status, command.type);
  if (rows.length === 0) throw notAllowedInState(state.status, command.type);
  assertActorMayIssue(command.type, command.metadata.actor, state);
  const candidates = applicableRows(rows, state);
  if (candidates.length === 0) {
    throw new RuleViolationError(
      `${command.type} in state ${state.status} needs: ${rows.map((row) => row.guard).join('; or: ')}`,
      'ticket.guard-not-met',
      { state: state.status, command: command.type },
    );
  }
  const events =
    command.type === 'ApplyForAfterSales'
      ? apply(command, context)
      : handle(command, requireTicket(state, command.type));
  assertOutcomeInTable(state, command.type, candidates, events);
  return events;
}

/** Which commands `actor` may issue on the ticket now: for the buttons a UI shows. */
export function availableActions(state: TicketState, actor: Actor): TicketCommandType[] {
  return TICKET_COMMAND_TYPES.filter((type) => {
    const rows = transitionsFrom(state.status, type);
    return rows.length > 0 && mayIssue(type, actor, state) && applicableRows(rows, state).length > 0;
  });
}

/** The rows whose guard on the ticket's own data holds; the empty stream has no data to guard on. */
function applicableRows(rows: readonly TransitionRow[], state: TicketState): TransitionRow[] {
  return state.status === 'NONE'
    ? [...rows]
    : rows.filter((row) => row.applies === undefined || row.applies(state));
}

function notAllowedInState(status: FromStatus, command: TicketCommandType): IllegalStateError {
  return new IllegalStateError(
    `${command} is not allowed in state ${status}`,
    'ticket.command-not-allowed-in-state',
    {
      state: status,
      command,
    },
  );
}

function requireTicket(state: TicketState, command: TicketCommandType): Ticket {
  if (state.status === 'NONE') throw notAllowedInState(state.status, command);
  return state;
}

function assertOutcomeInTable(
  state: TicketState,
  command: TicketCommandType,
  candidates: readonly TransitionRow[],
  events: readonly TicketEvent[],
): void {
  const to = evolveAll(events, state).status;
  if (!candidates.some((row) => row.to === to)) {
    throw new RuleViolationError(
      `${command} may not move a ticket from ${state.status} to ${to}`,
      'ticket.transition-not-allowed',
      {
        from: state.status,
        command,
        to,
      },
    );
  }
}

function mayIssue(type: TicketCommandType, actor: Actor, state: TicketState): boolean {
  if (!COMMAND_ACTORS[type].includes(actor.role)) return false;
  if (state.status === 'NONE') return true;
  if (actor.role === 'customer') return actor.id === state.customerId;
  if (actor.role === 'merchant_agent') return actor.merchantId === state.merchantId;
  return true;
}

function assertActorMayIssue(type: TicketCommandType, actor: Actor, state: TicketState): void {
  if (mayIssue(type, actor, state)) return;
  if (!COMMAND_ACTORS[type].includes(actor.role)) {
    throw new ForbiddenError(
      `A ${actor.role} may not ${type}; allowed: ${COMMAND_ACTORS[type].join(', ')}`,
      'ticket.role-not-allowed',
    );
  }
  throw new ForbiddenError(
    actor.role === 'customer'
      ? 'This ticket belongs to another customer'
      : "This ticket belongs to another merchant's order",
    'ticket.not-yours',
  );
}

function handle(command: Exclude<TicketCommand, ApplyForAfterSales>, ticket: Ticket): TicketEvent[] {
  const meta = metadataOf(command);
  switch (command.type) {
    case 'CancelTicket':
      return [closed('CANCELLED_BY_CUSTOMER', optionalText(command.data.note, 'note', NOTE_MAX), meta)];
    case 'ApproveTicket':
      return approve(command, ticket, meta);
    case 'RejectTicket':
      return reject(command, meta);
    case 'SubmitReturnShipment':
      return submitReturnShipment(command, ticket, meta);
    case 'RecordStockIn':
      return recordStockIn(command, ticket, meta);
    case 'ProposeRefundAmount':
      return proposeRefundAmount(command, ticket, meta);
    case 'AcceptOffer':
      return acceptOffer(command, ticket, meta);
    case 'DeclineOffer':
      return declineOffer(command, ticket, meta);
    case 'AdjustRefundAmount':
      return adjustRefundAmount(command, ticket, meta);
    case 'SubsidiseShipping':
      return subsidiseShipping(command, ticket, meta);
    case 'IssueCompensationCoupon':
      return issueCompensationCoupon(command, ticket, meta);
    case 'ShipExchangeDespiteMismatch':
      return shipExchangeDespiteMismatch(command, ticket, meta);
    case 'CloseTicket':
      return closeByAgent(command, ticket, meta);
    case 'RecordInterceptionResult':
      return recordInterceptionResult(command, ticket, meta);
    case 'RecordRefundPaid':
      return recordRefundPaid(command, ticket, meta);
    case 'RecordRefundApproved':
      return recordRefundApproved(command, ticket, meta);
    case 'RecordRefundFailed':
    case 'RecordRefundRejected':
      return recordRefundProblem(command, ticket, meta);
    case 'RequestRefundAgain':
      return requestRefundAgain(command, ticket, meta);
    case 'RecordOrderClosed':
      return [
        { type: 'OrderCancelled', data: { orderId: ticket.orderId }, metadata: meta },
        { type: 'TicketSucceeded', data: { outcome: 'ORDER_CANCELLED' }, metadata: meta },
      ];
    case 'RecordOrderPaid':
      return [
        closed(
          'ORDER_ALREADY_PAID',
          'The order was paid before it could be cancelled; please ask for a refund instead',
          meta,
        ),
      ];
    case 'RecordExchangeShipped':
      return recordExchangeShipped(command, ticket, meta);
    case 'RecordGoodsReturnedToCustomer':
      return recordGoodsReturnedToCustomer(command, ticket, meta);
    case 'ExpireDeadline':
      return expireDeadline(command, ticket, meta);
    case 'Intervene':
      return intervene(command, ticket, meta);
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Application

function apply(command: ApplyForAfterSales, context: DecideContext): TicketEvent[] {
  const facts = context.application;
  if (facts === undefined) {
    throw new ValidationError(
      'ApplyForAfterSales needs the order, its line history and the merchant policy',
      'context.application',
    );
  }
  const { data } = command;
  const { order, policy } = facts;
  const now = command.metadata.now;
  if (!includesValue(AFTER_SALES_TYPES, data.type))
    throw new ValidationError(`type must be one of ${AFTER_SALES_TYPES.join(', ')}`, 'type');
  if (!includesValue(APPLICATION_REASON_CODES, data.reasonCode)) {
    throw new ValidationError(
      `reasonCode must be one of ${APPLICATION_REASON_CODES.join(', ')}`,
      'reasonCode',
    );
  }
  const description = optionalText(data.description, 'description', DESCRIPTION_MAX) ?? '';
  const evidence = validEvidence(data.evidence);
  const exchangeAddress =
    data.type === 'EXCHANGE' ? validAddress(data.exchangeAddress, 'exchangeAddress') : null;

  const lines = assertEligible({
    order,
    type: data.type,
    lines: data.lines,
    customerId: command.metadata.actor.id,
    lineHistory: facts.lineHistory,
    policy,
    now,
  });
  const ticketLines = ticketLinesFor(order, lines);
  const wholeOrder = completesWholeOrder(order, lines, facts.lineHistory);
  const meta = metadataOf(command);
  const applied: AfterSalesApplied = {
    type: 'AfterSalesApplied',
    data: {
      ticketId: facts.ticketId,
      ticketNo: facts.ticketNo,
      type: data.type,
      orderId: order.orderId,
      merchantId: order.merchantId,
      customerId: order.customerId,
      paymentNo: order.paymentNo,
      orderStateAtApplication: order.state,
      orderShippingFee: order.shippingFee,
      wholeOrder,
      lines: ticketLines,
      reasonCode: data.reasonCode,
      description,
      evidence,
      exchangeAddress,
      policy,
      amounts: initialRefundAmounts(order, ticketLines, wholeOrder),
    },
    metadata: meta,
  };
  const ticket = startTicket(applied);

  switch (data.type) {
    case 'CANCEL_ORDER':
      return [
        applied,
        { type: 'OrderCancellationRequested', data: { orderId: order.orderId }, metadata: meta },
      ];
    case 'REFUND_ONLY':
      if (order.state === 'AWAITING_SHIPMENT') {
        return [
          applied,
          {
            type: 'InterceptionRequested',
            data: { orderId: order.orderId, ticketNo: ticket.ticketNo, lines: taskLines(ticket) },
            metadata: meta,
          },
        ];
      }
      if (paidWithinAutoApproveWindow(order, policy, now)) {
        return [
          applied,
          ...approveRefundAutomatically(ticket, 'REFUND_ONLY_SOON_AFTER_PAYMENT', 'AUTO_APPROVED', meta),
        ];
      }
      return [applied];
    case 'RETURN_AND_REFUND':
    case 'EXCHANGE':
      return [applied];
    default: {
      const unreachable: never = data.type;
      return unreachable;
    }
  }
}

function paidWithinAutoApproveWindow(order: OrderSnapshot, policy: MerchantPolicy, now: Date): boolean {
  const minutes = policy.autoApproveRefundOnlyWithinMinutesOfPayment;
  if (minutes === null || order.paidAt === null) return false;
  return now.getTime() - Date.parse(order.paidAt) <= minutes * MINUTE;
}

// ---------------------------------------------------------------------------------------------
// Review

function approve(command: ApproveTicket, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  const note = optionalText(command.data.note, 'note', NOTE_MAX);
  if (ticket.type === 'REFUND_ONLY') {
    const approved: TicketEvent = {
      type: 'TicketApproved',
      data: { automatic: null, returnAddress: null, note },
      metadata: meta,
    };
    return [approved, refundRequested(evolve(ticket, approved), 'APPROVED', note, meta)];
  }
  const returnAddress = validAddress(command.data.returnAddress, 'returnAddress');
  return [{ type: 'TicketApproved', data: { automatic: null, returnAddress, note }, metadata: meta }];
}

function reject(command: RejectTicket, meta: EventMetadata): TicketEvent[] {
  if (!includesValue(REJECTION_REASON_CODES, command.data.reasonCode)) {
    throw new ValidationError(`reasonCode must be one of ${REJECTION_REASON_CODES.join(', ')}`, 'reasonCode');
  }
  const note = requiredText(command.data.note, 'note', NOTE_MAX);
  return [
    { type: 'TicketRejected', data: { reasonCode: command.data.reasonCode, note }, metadata: meta },
    { type: 'TicketClosed', data: { reason: 'REJECTED', note }, metadata: meta },
  ];
}

/** The system approves a refund-only ticket and asks for the money in one step. */
function approveRefundAutomatically(
  ticket: Ticket,
  automatic: AutomaticApproval,
  basis: RefundBasis,
  meta: EventMetadata,
): TicketEvent[] {
  const approved: TicketEvent = {
    type: 'TicketApproved',
    data: { automatic, returnAddress: null, note: null },
    metadata: { ...meta, actor: SYSTEM_ACTOR },
  };
  return [approved, refundRequested(evolve(ticket, approved), basis, null, { ...meta, actor: SYSTEM_ACTOR })];
}

// ---------------------------------------------------------------------------------------------
// Interception

function recordInterceptionResult(
  command: RecordInterceptionResult,
  ticket: Ticket,
  meta: EventMetadata,
): TicketEvent[] {
  const note = optionalText(command.data.note, 'note', NOTE_MAX);
  // An answer after the deadline, or one that contradicts the first, says where the parcel is now;
  // the same answer again changes nothing.
  const reported = command.data.intercepted ? 'INTERCEPTED' : 'NOT_INTERCEPTABLE';
  if (ticket.status !== 'INTERCEPTING' && ticket.interception === reported) return [];
  if (ticket.status !== 'INTERCEPTING' && ticket.status !== 'PENDING_REVIEW') {
    return [
      {
        type: 'InterceptionReportedLate',
        data: command.data.intercepted
          ? { intercepted: true, note }
          : { intercepted: false, reason: interceptionFailureReason(command.data.reason), note },
        metadata: meta,
      },
    ];
  }
  if (!command.data.intercepted) {
    const reason = interceptionFailureReason(command.data.reason);
    return [{ type: 'InterceptionFailed', data: { reason, note }, metadata: meta }];
  }
  const intercepted: TicketEvent = { type: 'ShipmentIntercepted', data: { note }, metadata: meta };
  return [
    intercepted,
    ...approveRefundAutomatically(
      evolve(ticket, intercepted),
      'SHIPMENT_INTERCEPTED',
      'SHIPMENT_INTERCEPTED',
      meta,
    ),
  ];
}

function interceptionFailureReason(reason: unknown): InterceptionFailureReason {
  if (!includesValue(INTERCEPTION_FAILURE_REASONS, reason)) {
    throw new ValidationError(`reason must be one of ${INTERCEPTION_FAILURE_REASONS.join(', ')}`, 'reason');
  }
  return reason;
}

// ---------------------------------------------------------------------------------------------
// Return and inspection

function submitReturnShipment(
  command: SubmitReturnShipment,
  ticket: Ticket,
  meta: EventMetadata,
): TicketEvent[] {
  const carrier = requiredText(command.data.carrier, 'carrier', REFERENCE_MAX);
  const trackingNo = requiredText(command.data.trackingNo, 'trackingNo', REFERENCE_MAX);
  if (ticket.returnAddress === null) {
    throw new IllegalStateError(
      `Ticket ${ticket.ticketNo} has no return address`,
      'ticket.return-address-missing',
    );
  }
  return [
    { type: 'ReturnShipmentSubmitted', data: { carrier, trackingNo }, metadata: meta },
    {
      type: 'ReturnStockInRequested',
      data: {
        orderId: ticket.orderId,
        ticketNo: ticket.ticketNo,
        lines: taskLines(ticket),
        returnAddress: ticket.returnAddress,
        carrier,
        trackingNo,
      },
      metadata: meta,
    },
  ];
}

function recordStockIn(command: RecordStockIn, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  const inspected = inspectedLines(command, ticket);
  const matches = inspected.every(
    (line) =>
      line.quantityReceived === line.expectedQuantity &&
      line.dispositions.every((disposition) => disposition === 'RESTOCKABLE'),
  );
  const data = {
    lines: inspected,
    matches,
    note: optionalText(command.data.note, 'note', NOTE_MAX),
    stockedAt: reportedTime(command.data.stockedAt, 'stockedAt', command.metadata.now),
  };
  if (ticket.status !== 'AWAITING_STOCK_IN') {
    return stockedInLate(ticket, { type: 'ReturnStockedInLate', data, metadata: meta }, meta);
  }
  const stockedIn: TicketEvent = { type: 'ReturnStockedIn', data, metadata: meta };
  if (!matches) return [stockedIn];
  if (ticket.type === 'EXCHANGE') return [stockedIn, exchangeStockOutRequested(ticket, meta)];
  return [stockedIn, refundRequested(evolve(ticket, stockedIn), 'STOCK_IN_MATCHED', null, meta)];
}

/**
 * Goods that reach the warehouse after their ticket stopped waiting for them (refunded on the
 * stock-in deadline, or closed) are recorded; those of a closed ticket go
 * back to the customer, who was neither refunded nor sent a replacement. A refunded ticket's goods
 * stay with the merchant.
 */
function stockedInLate(ticket: Ticket, late: TicketEvent, meta: EventMetadata): TicketEvent[] {
  if (ticket.status !== 'CLOSED') return [late];
  const held = heldLines(evolve(ticket, late));
  if (held.length === 0) return [late];
  return [
    late,
    {
      type: 'GoodsReturnToCustomerRequested',
      data: { orderId: ticket.orderId, ticketNo: ticket.ticketNo, lines: held },
      metadata: meta,
    },
  ];
}

/** One report per ticket line; one disposition per expected unit; MISSING exactly for the units not received. */
function inspectedLines(command: RecordStockIn, ticket: Ticket): InspectedLine[] {
  const reports = command.data.lines;
  assertEveryLineOnce(reports, ticket.lines, 'Report every line of the ticket exactly once');
  return ticket.lines.map((line) => {
    const index = reports.findIndex((report) => report.lineId === line.lineId);
    if (index < 0) throw new ValidationError(`Line ${line.lineId} of the ticket is not reported`, 'lines');
    const report = reports[index];
    const field = `lines[${index}]`;
    if (
      !Number.isSafeInteger(report.quantityReceived) ||
      report.quantityReceived < 0 ||
      report.quantityReceived > line.quantity
    ) {
      throw new ValidationError(
        `quantityReceived must be a whole number from 0 to ${line.quantity}`,
        `${field}.quantityReceived`,
      );
    }
    if (
      report.dispositions.length !== line.quantity ||
      !report.dispositions.every((d) => includesValue(UNIT_DISPOSITIONS, d))
    ) {
      throw new ValidationError(
        `Give one of ${UNIT_DISPOSITIONS.join(', ')} for each of the ${line.quantity} units`,
        `${field}.dispositions`,
      );
    }
    const missing = report.dispositions.filter((disposition) => disposition === 'MISSING').length;
    if (missing !== line.quantity - report.quantityReceived) {
      throw new ValidationError('Exactly the units not received are MISSING', `${field}.dispositions`);
    }
    return {
      lineId: line.lineId,
      expectedQuantity: line.quantity,
      quantityReceived: report.quantityReceived,
      dispositions: [...report.dispositions],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Negotiation and agent money powers

function proposeRefundAmount(
  command: ProposeRefundAmount,
  ticket: Ticket,
  meta: EventMetadata,
): TicketEvent[] {
  assertGoodsAmountWithinActualPaid(command.data.amount, ticket.amounts, 'amount');
  const note = requiredText(command.data.note, 'note', NOTE_MAX);
  return [
    {
      type: 'RefundOfferProposed',
      data: { amount: command.data.amount, actualPaid: ticket.amounts.goodsActualPaid, note },
      metadata: meta,
    },
  ];
}

function acceptOffer(command: AcceptOffer, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  const offered = ticket.offer?.amount;
  if (offered !== command.data.amount) {
    throw new ConflictError(
      `The offer is now ${offered}, not ${command.data.amount}`,
      'negotiation.offer-changed',
      { offered },
    );
  }
  const accepted: TicketEvent = { type: 'RefundOfferAccepted', data: { amount: offered }, metadata: meta };
  return [accepted, refundRequested(evolve(ticket, accepted), 'OFFER_ACCEPTED', null, meta)];
}

function declineOffer(command: DeclineOffer, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  const note = optionalText(command.data.note, 'note', NOTE_MAX);
  return [
    { type: 'RefundOfferDeclined', data: { amount: ticket.offer?.amount ?? 0, note }, metadata: meta },
    ...closing(ticket, 'NEGOTIATION_DECLINED', note, meta),
  ];
}

function adjustRefundAmount(command: AdjustRefundAmount, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  assertGoodsAmountWithinActualPaid(command.data.amount, ticket.amounts, 'amount');
  const note = requiredText(command.data.note, 'note', NOTE_MAX);
  return [
    {
      type: 'RefundAmountAdjusted',
      data: { from: ticket.amounts.goodsCash, to: command.data.amount, note },
      metadata: meta,
    },
  ];
}

function subsidiseShipping(command: SubsidiseShipping, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  assertPositiveMinor(command.data.amount, 'amount');
  const note = requiredText(command.data.note, 'note', NOTE_MAX);
  const totalSubsidy: Minor = ticket.amounts.shippingSubsidy + command.data.amount;
  const max = ticket.policy.shippingSubsidyMax;
  if (max !== null && totalSubsidy > max) {
    throw new RuleViolationError(
      `A shipping subsidy of ${command.data.amount} would bring the ticket's subsidies to ${totalSubsidy}, ` +
        `beyond the merchant policy's ${max}`,
      'refund.shipping-subsidy-exceeds-policy',
      { amount: command.data.amount, totalSubsidy, shippingSubsidyMax: max },
    );
  }
  return [
    { type: 'ShippingSubsidised', data: { amount: command.data.amount, totalSubsidy, note }, metadata: meta },
  ];
}

function issueCompensationCoupon(
  command: IssueCompensationCoupon,
  ticket: Ticket,
  meta: EventMetadata,
): TicketEvent[] {
  assertPositiveMinor(command.data.couponValue, 'couponValue');
  const note = requiredText(command.data.note, 'note', NOTE_MAX);
  return [
    {
      type: 'CompensationCouponIssued',
      data: { customerId: ticket.customerId, couponValue: command.data.couponValue, note },
      metadata: meta,
    },
  ];
}

function shipExchangeDespiteMismatch(
  command: ShipExchangeDespiteMismatch,
  ticket: Ticket,
  meta: EventMetadata,
): TicketEvent[] {
  const note = requiredText(command.data.note, 'note', NOTE_MAX);
  return [
    { type: 'ExchangeApprovedDespiteMismatch', data: { note }, metadata: meta },
    exchangeStockOutRequested(ticket, meta),
  ];
}

function closeByAgent(command: CloseTicket, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  return closing(ticket, 'CLOSED_BY_AGENT', requiredText(command.data.note, 'note', NOTE_MAX), meta);
}

// ---------------------------------------------------------------------------------------------
// Refund and exchange outcomes

function recordRefundPaid(command: RecordRefundPaid, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  const refund = currentAttempt(ticket, command.data.attempt);
  // A gateway failure may still settle later; a finance rejection is final for the attempt.
  if (refund.status === 'REJECTED') {
    throw new RuleViolationError(
      `Refund attempt ${refund.attempt} was rejected by finance and cannot be paid`,
      'refund.attempt-rejected',
    );
  }
  assertAsRequested(refund, command.data, 'paid');
  return [
    {
      type: 'RefundPaid',
      data: {
        attempt: refund.attempt,
        refundId: command.data.refundId,
        cash: refund.cash,
        coins: refund.coins,
        paidAt: reportedTime(command.data.paidAt, 'paidAt', command.metadata.now),
      },
      metadata: meta,
    },
    { type: 'TicketSucceeded', data: { outcome: refundOutcome(ticket) }, metadata: meta },
  ];
}

function recordRefundApproved(
  command: RecordRefundApproved,
  ticket: Ticket,
  meta: EventMetadata,
): TicketEvent[] {
  const refund = currentAttempt(ticket, command.data.attempt);
  // A redelivered approval changes nothing.
  if (refund.status === 'APPROVED') return [];
  if (refund.status !== 'REQUESTED') {
    throw new RuleViolationError(
      `Refund attempt ${refund.attempt} is ${refund.status} and no longer waits for approval`,
      'refund.not-awaiting-approval',
      { status: refund.status },
    );
  }
  assertAsRequested(refund, command.data, 'approved');
  const { refundId, automatic } = command.data;
  return [{ type: 'RefundApproved', data: { attempt: refund.attempt, refundId, automatic }, metadata: meta }];
}

/**
 * A refund of other amounts is not the one the ticket asked for: refusing it keeps the ticket, the
 * timeline and settlement at the amount agreed, and leaves the report to finance.
 */
function assertAsRequested(
  refund: NonNullable<Ticket['refund']>,
  reported: { cash: Minor; coins: Minor },
  as: 'approved' | 'paid',
): void {
  for (const part of ['cash', 'coins'] as const) {
    if (reported[part] !== refund[part]) {
      throw new ValidationError(
        `Refund attempt ${refund.attempt} asked for ${refund[part]} in ${part}, not the ${reported[part]} reported ${as}`,
        part,
      );
    }
  }
}

function recordRefundProblem(
  command: RecordRefundFailed | RecordRefundRejected,
  ticket: Ticket,
  meta: EventMetadata,
): TicketEvent[] {
  const refund = currentAttempt(ticket, command.data.attempt);
  const reason = requiredText(command.data.reason, 'reason', NOTE_MAX);
  const data = { attempt: refund.attempt, refundId: command.data.refundId, reason };
  if (command.type === 'RecordRefundFailed') {
    // A redelivered report of the same failure changes nothing.
    return refund.status === 'FAILED' ? [] : [{ type: 'RefundFailed', data, metadata: meta }];
  }
  return refund.status === 'REJECTED' ? [] : [{ type: 'RefundRejected', data, metadata: meta }];
}

function requestRefundAgain(command: RequestRefundAgain, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  return [refundRequested(ticket, 'RETRY', requiredText(command.data.note, 'note', NOTE_MAX), meta)];
}

/** Refund reports must name the attempt in flight: money is never matched to a request by guesswork. */
function currentAttempt(ticket: Ticket, attempt: number): NonNullable<Ticket['refund']> {
  if (ticket.refund === null || ticket.refund.attempt !== attempt) {
    throw new RuleViolationError(
      `Refund attempt ${attempt} is not the current attempt ${ticket.refund?.attempt ?? 'none'} of ticket ${ticket.ticketNo}`,
      'refund.attempt-mismatch',
      { attempt, currentAttempt: ticket.refund?.attempt ?? null },
    );
  }
  return ticket.refund;
}

function refundOutcome(ticket: Ticket): 'REFUNDED' | 'RETURNED' {
  return ticket.type === 'RETURN_AND_REFUND' || ticket.inspection !== null ? 'RETURNED' : 'REFUNDED';
}

function recordExchangeShipped(
  command: RecordExchangeShipped,
  ticket: Ticket,
  meta: EventMetadata,
): TicketEvent[] {
  checkShippedLines(command.data.lines, ticket.lines, 'the exchange');
  const carrier = requiredText(command.data.carrier, 'carrier', REFERENCE_MAX);
  const trackingNo = requiredText(command.data.trackingNo, 'trackingNo', REFERENCE_MAX);
  const shippedAt = reportedTime(command.data.shippedAt, 'shippedAt', command.metadata.now);
  if (ticket.status === 'AWAITING_EXCHANGE_SHIPMENT') {
    return [
      { type: 'ExchangeShipped', data: { carrier, trackingNo, shippedAt }, metadata: meta },
      { type: 'TicketSucceeded', data: { outcome: 'EXCHANGED' }, metadata: meta },
    ];
  }
  // The stock-out was cancelled by a ruling, but the parcel had left: agents need to know where it is.
  if (
    sameParcelAlreadyRecorded(ticket, ticket.exchangeShipment, { carrier, trackingNo }, REPLACEMENT_SHIPPED)
  )
    return [];
  return [{ type: 'ExchangeShippedLate', data: { carrier, trackingNo, shippedAt }, metadata: meta }];
}

function recordGoodsReturnedToCustomer(
  command: RecordGoodsReturnedToCustomer,
  ticket: Ticket,
  meta: EventMetadata,
): TicketEvent[] {
  checkShippedLines(command.data.lines, heldLines(ticket), 'the return to the customer');
  const carrier = requiredText(command.data.carrier, 'carrier', REFERENCE_MAX);
  const trackingNo = requiredText(command.data.trackingNo, 'trackingNo', REFERENCE_MAX);
  if (sameParcelAlreadyRecorded(ticket, ticket.goodsReturnShipment, { carrier, trackingNo }, GOODS_SENT_BACK))
    return [];
  const shippedAt = reportedTime(command.data.shippedAt, 'shippedAt', command.metadata.now);
  return [{ type: 'GoodsReturnedToCustomer', data: { carrier, trackingNo, shippedAt }, metadata: meta }];
}

const GOODS_SENT_BACK = { rule: 'ticket.goods-already-returned', done: 'sent the goods back' } as const;
const REPLACEMENT_SHIPPED = {
  rule: 'ticket.replacement-already-shipped',
  done: 'shipped the replacement',
} as const;

/**
 * A parcel is recorded once: a redelivered report of the same parcel changes nothing (true), and
 * another parcel is a second answer to one task, refused.
 */
function sameParcelAlreadyRecorded(
  ticket: Ticket,
  recorded: Shipment | null,
  reported: { carrier: string; trackingNo: string },
  parcel: typeof GOODS_SENT_BACK | typeof REPLACEMENT_SHIPPED,
): boolean {
  if (recorded === null) return false;
  if (recorded.carrier === reported.carrier && recorded.trackingNo === reported.trackingNo) return true;
  throw new RuleViolationError(
    `Ticket ${ticket.ticketNo} already ${parcel.done} with ${recorded.carrier} ${recorded.trackingNo}`,
    parcel.rule,
    { carrier: recorded.carrier, trackingNo: recorded.trackingNo },
  );
}

/** As many lines as expected, none twice: what a warehouse reports line by line. */
function assertEveryLineOnce(
  reported: readonly { lineId: string }[],
  expected: readonly { lineId: string }[],
  message: string,
): void {
  if (
    reported.length !== expected.length ||
    new Set(reported.map((line) => line.lineId)).size !== reported.length
  ) {
    throw new ValidationError(message, 'lines');
  }
}

/**
 * A parcel holds every line its task asked for, in its quantity: one with another line, or with
 * more or fewer units, is not the parcel the ticket waits for.
 */
function checkShippedLines(
  shipped: readonly ShippedLine[],
  expected: readonly { lineId: string; quantity: number }[],
  what: string,
): void {
  const asked = expected.map((line) => `${line.lineId} × ${line.quantity}`).join(', ');
  assertEveryLineOnce(shipped, expected, `Ship every line of ${what} exactly once (${asked})`);
  shipped.forEach((line, index) => {
    const wanted = expected.find((candidate) => candidate.lineId === line.lineId);
    if (wanted === undefined) {
      throw new ValidationError(`Line ${line.lineId} is not in ${what} (${asked})`, `lines[${index}].lineId`);
    }
    if (line.quantity !== wanted.quantity) {
      throw new ValidationError(
        `${capitalised(what)} ships ${wanted.quantity} of line ${line.lineId}, not ${line.quantity}`,
        `lines[${index}].quantity`,
      );
    }
  });
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Deadlines and arbitration

function expireDeadline(command: ExpireDeadline, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  const deadline = ticket.deadline;
  if (deadline === null || deadline.state !== command.data.state || deadline.dueAt !== command.data.dueAt)
    return [];
  if (command.metadata.now.getTime() < Date.parse(deadline.dueAt)) {
    throw new RuleViolationError(
      `The ${deadline.state} deadline is due at ${deadline.dueAt}`,
      'deadline.not-yet-due',
      { dueAt: deadline.dueAt },
    );
  }
  const system = { ...meta, actor: SYSTEM_ACTOR };
  const expiredEvent: TicketEvent = { type: 'DeadlineExpired', data: { ...deadline }, metadata: system };
  const expired = evolve(ticket, expiredEvent);
  const then = ((): TicketEvent[] => {
    switch (deadline.onExpiry) {
      case 'AUTO_APPROVE':
        return approveOnReviewTimeout(expired, system);
      case 'ESCALATE_TO_PLATFORM':
        return [
          escalated(
            deadline.state === 'PENDING_REVIEW'
              ? 'REVIEW_DEADLINE_PASSED_WITHOUT_RETURN_ADDRESS'
              : 'EXCHANGE_SHIPMENT_OVERDUE',
            system,
          ),
        ];
      case 'CLOSE_RETURN_TIMEOUT':
        return closing(expired, 'RETURN_TIMEOUT', null, system);
      case 'CLOSE_STOCK_IN_TIMEOUT':
        return closing(expired, 'STOCK_IN_TIMEOUT', null, system);
      case 'AUTO_REFUND':
        return [refundRequested(expired, 'STOCK_IN_TIMEOUT', null, system)];
      case 'CLOSE_NEGOTIATION_TIMEOUT':
        return closing(expired, 'NEGOTIATION_TIMEOUT', null, system);
      case 'TREAT_AS_NOT_INTERCEPTABLE':
        return [
          { type: 'InterceptionFailed', data: { reason: 'DEADLINE_PASSED', note: null }, metadata: system },
        ];
      default: {
        const unreachable: never = deadline.onExpiry;
        return unreachable;
      }
    }
  })();
  return [expiredEvent, ...then];
}

function approveOnReviewTimeout(ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  if (ticket.type === 'REFUND_ONLY')
    return approveRefundAutomatically(ticket, 'REVIEW_DEADLINE_PASSED', 'AUTO_APPROVED', meta);
  const returnAddress = ticket.policy.defaultReturnAddress;
  if (returnAddress === null) return [escalated('REVIEW_DEADLINE_PASSED_WITHOUT_RETURN_ADDRESS', meta)];
  return [
    {
      type: 'TicketApproved',
      data: { automatic: 'REVIEW_DEADLINE_PASSED', returnAddress, note: null },
      metadata: meta,
    },
  ];
}

function escalated(
  reason: 'REVIEW_DEADLINE_PASSED_WITHOUT_RETURN_ADDRESS' | 'EXCHANGE_SHIPMENT_OVERDUE',
  meta: EventMetadata,
): TicketEvent {
  return { type: 'TicketEscalated', data: { reason }, metadata: meta };
}

function intervene(command: Intervene, ticket: Ticket, meta: EventMetadata): TicketEvent[] {
  const note = requiredText(command.data.note, 'note', NOTE_MAX);
  const { ruling, amount } = command.data;
  switch (ruling) {
    case 'RECORD_ONLY':
    case 'FORCE_CLOSE': {
      if (amount !== null) throw new ValidationError(`amount is only given with FORCE_REFUND`, 'amount');
      const recorded: TicketEvent = {
        type: 'PlatformIntervened',
        data: { ruling, note, amount: null },
        metadata: meta,
      };
      return ruling === 'RECORD_ONLY'
        ? [recorded]
        : [
            recorded,
            ...stockOutCancelled(ticket, ruling, meta),
            ...closing(ticket, 'CLOSED_BY_PLATFORM', note, meta),
          ];
    }
    case 'FORCE_REFUND': {
      if (ticket.status === 'AWAITING_REFUND' && !refundStalled(ticket)) {
        throw new RuleViolationError(
          'A refund attempt is in flight; wait for its outcome',
          'intervention.refund-in-flight',
        );
      }
      if (amount !== null) assertGoodsAmountWithinActualPaid(amount, ticket.amounts, 'amount');
      const ruled: TicketEvent = {
        type: 'PlatformIntervened',
        data: { ruling, note, amount },
        metadata: meta,
      };
      return [
        ruled,
        ...stockOutCancelled(ticket, ruling, meta),
        refundRequested(evolve(ticket, ruled), 'PLATFORM_RULING', note, meta),
      ];
    }
    default: {
      const unreachable: never = ruling;
      throw new ValidationError(`Unknown ruling ${String(unreachable)}`, 'ruling');
    }
  }
}

/** A ruling that ends an exchange waiting for its replacement must stop the replacement, or the customer gets both. */
function stockOutCancelled(
  ticket: Ticket,
  ruling: 'FORCE_CLOSE' | 'FORCE_REFUND',
  meta: EventMetadata,
): TicketEvent[] {
  if (ticket.status !== 'AWAITING_EXCHANGE_SHIPMENT') return [];
  return [
    {
      type: 'ExchangeStockOutCancellationRequested',
      data: { orderId: ticket.orderId, ticketNo: ticket.ticketNo, lines: taskLines(ticket), ruling },
      metadata: meta,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Event builders shared by several commands

/** When another system says a fact happened (ISO-8601), normalised; the handling time when it says nothing. */
function reportedTime(value: unknown, field: string, now: Date): string {
  if (value === undefined) return now.toISOString();
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new ValidationError(`${field} must be an ISO-8601 instant`, field);
  return new Date(time).toISOString();
}

function metadataOf(command: TicketCommand): EventMetadata {
  return { actor: command.metadata.actor, occurredAt: command.metadata.now.toISOString() };
}

function taskLines(ticket: Ticket): TaskLine[] {
  return ticket.lines.map((line) => ({
    lineId: line.lineId,
    sku: line.sku,
    title: line.title,
    quantity: line.quantity,
  }));
}

function refundRequested(
  ticket: Ticket,
  basis: RefundBasis,
  note: string | null,
  meta: EventMetadata,
): RefundRequested {
  const attempt = (ticket.refund?.attempt ?? 0) + 1;
  const { amounts } = ticket;
  return {
    type: 'RefundRequested',
    data: {
      attempt,
      idempotencyKey: `${ticket.ticketId}:refund:${attempt}`,
      orderId: ticket.orderId,
      paymentNo: ticket.paymentNo,
      cash: amounts.totalCash,
      coins: amounts.coinsRefund,
      amounts,
      basis,
      note,
    },
    metadata: meta,
  };
}

function exchangeStockOutRequested(ticket: Ticket, meta: EventMetadata): TicketEvent {
  if (ticket.exchangeAddress === null) {
    throw new IllegalStateError(
      `Exchange ticket ${ticket.ticketNo} has no delivery address`,
      'ticket.exchange-address-missing',
    );
  }
  return {
    type: 'ExchangeStockOutRequested',
    data: {
      orderId: ticket.orderId,
      ticketNo: ticket.ticketNo,
      lines: taskLines(ticket),
      deliveryAddress: ticket.exchangeAddress,
    },
    metadata: meta,
  };
}

function closed(reason: CloseReason, note: string | null, meta: EventMetadata): TicketEvent {
  return { type: 'TicketClosed', data: { reason, note }, metadata: meta };
}

/** Closing a ticket whose goods the warehouse holds sends them back to the customer first. */
function closing(
  ticket: Ticket,
  reason: CloseReason,
  note: string | null,
  meta: EventMetadata,
): TicketEvent[] {
  const held = heldLines(ticket);
  const goodsBack: TicketEvent[] =
    held.length > 0 && !ticket.goodsReturnRequested
      ? [
          {
            type: 'GoodsReturnToCustomerRequested',
            data: { orderId: ticket.orderId, ticketNo: ticket.ticketNo, lines: held },
            metadata: meta,
          },
        ]
      : [];
  return [...goodsBack, closed(reason, note, meta)];
}

/** What the warehouse holds of the ticket: every line as many units as arrived at stock-in. */
function heldLines(ticket: Ticket): TaskLine[] {
  return ticket.lines.flatMap((line) => {
    const received =
      ticket.inspection?.lines.find((inspected) => inspected.lineId === line.lineId)?.quantityReceived ?? 0;
    return received > 0
      ? [{ lineId: line.lineId, sku: line.sku, title: line.title, quantity: received }]
      : [];
  });
}

// ---------------------------------------------------------------------------------------------
// Input checks: each names its field

function requiredText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ValidationError(`${field} is required`, field);
  if (value.length > max) throw new ValidationError(`${field} is longer than ${max} characters`, field);
  return value.trim();
}

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === ''))
    return null;
  return requiredText(value, field, max);
}

function validAddress(value: PostalAddress | null | undefined, field: string): PostalAddress {
  if (value === null || value === undefined) throw new ValidationError(`${field} is required`, field);
  return {
    recipient: requiredText(value.recipient, `${field}.recipient`, 100),
    phone: requiredText(value.phone, `${field}.phone`, 32),
    address: requiredText(value.address, `${field}.address`, 300),
  };
}

function validEvidence(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > EVIDENCE_MAX) {
    throw new ValidationError(`evidence is a list of at most ${EVIDENCE_MAX} image URLs`, 'evidence');
  }
  return value.map((url: unknown, i) => {
    if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url) || url.length > 2048) {
      throw new ValidationError('Each evidence entry is an http(s) URL', `evidence[${i}]`);
    }
    return url;
  });
}
