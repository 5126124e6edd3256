import { allocateProportionally, IllegalStateError } from '@aftersales/kernel';
import {
  createEnvelope,
  type EventDataMap,
  type EventEnvelope,
  type EventType,
  type RefundAmounts as ContractRefundAmounts,
  type SendBackReason,
  type TaskLine as ContractTaskLine,
  type TicketFact,
  type WarehouseTask,
} from '@aftersales/contracts';
import type {
  CloseReason,
  LineOutcome,
  TaskLine,
  Ticket,
  CompensationCouponIssued,
  TicketClosed,
  TicketEvent,
  TicketEventType,
  TicketState,
  TicketStatus,
} from '../../domain';
import { couponIdFor } from './coupon-id';
import { refundIdFor } from './refund-id';
import { warehouseTaskIdFor, type WarehouseTaskRequest } from './warehouse-task-id';
import { clip } from './text';

/** One appended domain event with the ticket before and after it. */
export interface RecordedTicketChange {
  event: TicketEvent;
  before: TicketState;
  after: TicketState;
}

export interface OutboundContext {
  newId: () => string;
  source: 'after-sales-service';
  /** The conversation the command belongs to (an inbound event's, an HTTP request's). */
  correlationId?: string;
  /** The inbound event that caused the command. */
  causationId?: string;
}

/**
 * A contract requires a fact the domain does not record. Thrown instead of publishing made-up
 * values, so the command fails loudly (and rolls back) until the contract or the domain changes.
 */
export class ContractGapError extends Error {
  constructor(
    readonly eventType: EventType,
    readonly fields: readonly string[],
    reason: string,
  ) {
    super(`${eventType} cannot be published: ${fields.join(', ')} ${reason}`);
    this.name = 'ContractGapError';
  }
}

type Emit = <T extends EventType>(type: T, data: EventDataMap[T]) => EventEnvelope;

/**
 * The integration events one command's domain events publish, in order. Actor and time are the
 * domain event's; every envelope of the batch shares one correlation id, the context's or else the
 * first envelope's own id.
 * @throws ContractGapError when a contract needs a fact the ticket does not have
 * @throws ValidationError (from createEnvelope) when a mapped payload breaks its contract
 */
export function toIntegrationEvents(
  recorded: readonly RecordedTicketChange[],
  ctx: OutboundContext,
): EventEnvelope[] {
  let correlationId = ctx.correlationId;
  const envelopes: EventEnvelope[] = [];
  recorded.forEach((change, index) => {
    const emit: Emit = (type, data) => {
      const id = ctx.newId();
      correlationId ??= id;
      return createEnvelope(type, data, {
        id,
        occurredAt: change.event.metadata.occurredAt,
        source: ctx.source,
        actor: change.event.metadata.actor,
        correlationId,
        causationId: ctx.causationId,
      });
    };
    const envelope = integrationEventOf(recorded, index, emit);
    if (envelope !== null) envelopes.push(envelope);
  });
  return envelopes;
}

function integrationEventOf(
  recorded: readonly RecordedTicketChange[],
  index: number,
  emit: Emit,
): EventEnvelope | null {
  const { event, before, after } = recorded[index];
  const ticket = ticketOf(after);
  switch (event.type) {
    case 'AfterSalesApplied':
      return emit('ticket-opened', {
        ...ticketFact(ticket),
        status: statusAfter(recorded, index, ['OrderCancellationRequested', 'InterceptionRequested']),
        reasonCode: ticket.reasonCode,
        ...(ticket.description === ''
          ? {}
          : { description: clip(ticket.description, CONTRACT_DESCRIPTION_MAX) }),
        evidence: ticket.evidence,
        requestedRefund: refundAmountsOf(ticket),
        ...(ticket.exchangeAddress === null ? {} : { deliveryAddress: { ...ticket.exchangeAddress } }),
      });
    case 'TicketApproved':
      return emit('ticket-approved', {
        ...ticketFact(ticket),
        status: statusAfter(recorded, index, ['RefundRequested']),
        automatic: event.data.automatic !== null,
        approvedRefund: refundAmountsOf(ticket),
        ...(ticket.returnAddress === null ? {} : { returnAddress: { ...ticket.returnAddress } }),
      });
    case 'TicketRejected':
      return emit('ticket-rejected', {
        ...ticketFact(ticket),
        reasonCode: event.data.reasonCode,
        note: event.data.note,
      });
    case 'TicketClosed':
      return emit('ticket-closed', {
        ...ticketFact(ticket),
        closeReason: event.data.reason,
        previousStatus: ticketOf(before).status,
        ...(event.data.note === null ? {} : { note: event.data.note }),
      });
    case 'TicketSucceeded':
      return emit('ticket-succeeded', {
        ...ticketFact(ticket),
        outcome: event.data.outcome,
        ...successOf(ticket, event.data.outcome),
      });
    case 'RefundRequested': {
      const { amounts, idempotencyKey } = event.data;
      // The contract has no coins adjustment: a reduced coin refund is spread over the lines instead.
      const coins = allocateProportionally(
        amounts.coinsRefund,
        ticket.lines.map((line) => line.coins),
      );
      return emit('refund-requested', {
        refundId: refundIdFor(idempotencyKey),
        ticketId: ticket.ticketId,
        ticketNo: ticket.ticketNo,
        orderId: ticket.orderId,
        merchantId: ticket.merchantId,
        customerId: ticket.customerId,
        paymentNo: paymentNoOf(ticket),
        cashAmount: event.data.cash,
        coinsAmount: event.data.coins,
        breakdown: {
          lines: ticket.lines.map((line, i) => ({
            lineId: line.lineId,
            quantity: line.quantity,
            cash: line.actualPaid,
            coins: coins[i],
          })),
          adjustment: amounts.goodsCash - amounts.goodsActualPaid,
          shippingFee: amounts.shippingFeeRefund,
          shippingSubsidy: amounts.shippingSubsidy,
        },
        idempotencyKey,
      });
    }
    case 'OrderCancellationRequested':
      return emit('order-cancellation-requested', {
        ticketId: ticket.ticketId,
        ticketNo: ticket.ticketNo,
        orderId: ticket.orderId,
        customerId: ticket.customerId,
      });
    case 'InterceptionRequested':
      return emit(
        'shipment-interception-requested',
        warehouseTask(ticket, 'shipment-interception-requested', event.data.lines),
      );
    case 'GoodsReturnToCustomerRequested':
      // No deliveryAddress: absent means the order's own delivery address, which is where goods go back.
      return emit('return-to-customer-requested', {
        ...warehouseTask(ticket, 'return-to-customer-requested', event.data.lines),
        reason: sendBackReason(recorded, index),
      });
    case 'ReturnStockInRequested':
      return emit('return-stock-in-requested', {
        ...warehouseTask(ticket, 'return-stock-in-requested', event.data.lines),
        carrier: event.data.carrier,
        trackingNo: event.data.trackingNo,
        returnAddress: { ...event.data.returnAddress },
      });
    case 'ExchangeStockOutRequested':
      return emit('exchange-stock-out-requested', {
        ...warehouseTask(ticket, 'exchange-stock-out-requested', event.data.lines),
        deliveryAddress: { ...event.data.deliveryAddress },
      });
    case 'ExchangeStockOutCancellationRequested':
      // It names the stock-out it cancels: the task the warehouse knows.
      return emit('exchange-stock-out-cancellation-requested', {
        ...warehouseTask(ticket, 'exchange-stock-out-requested', event.data.lines),
        reason: event.data.ruling === 'FORCE_CLOSE' ? 'CLOSED_BY_PLATFORM' : 'REFUNDED_BY_PLATFORM',
      });
    case 'CompensationCouponIssued':
      return emit('compensation-coupon-issued', couponOf(ticket, event));
    // Outcomes other services reported (echoing them back is noise) and steps of the negotiation
    // no one outside consumes: they reach the world through the lifecycle and request events above.
    case 'ShipmentIntercepted':
    case 'InterceptionFailed':
    case 'InterceptionReportedLate':
    case 'ReturnShipmentSubmitted':
    case 'ReturnStockedIn':
    case 'ReturnStockedInLate':
    case 'RefundOfferProposed':
    case 'RefundOfferAccepted':
    case 'RefundOfferDeclined':
    case 'RefundAmountAdjusted':
    case 'ShippingSubsidised':
    case 'ExchangeApprovedDespiteMismatch':
    case 'ExchangeShipped':
    case 'ExchangeShippedLate':
    case 'GoodsReturnedToCustomer':
    case 'RefundPaid':
    case 'RefundApproved':
    case 'RefundFailed':
    case 'RefundRejected':
    case 'OrderCancelled':
    case 'DeadlineExpired':
    case 'TicketEscalated':
    case 'PlatformIntervened':
      return null;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** TicketOpenedData.description is capped below the domain's 2000 characters. */
const CONTRACT_DESCRIPTION_MAX = 1000;

/** Goods are held (and sent back) only once stocked in, so only these closes can send them back. */
const SEND_BACK_REASONS: Record<CloseReason, SendBackReason | null> = {
  NEGOTIATION_DECLINED: 'NEGOTIATION_DECLINED',
  NEGOTIATION_TIMEOUT: 'NEGOTIATION_TIMEOUT',
  CLOSED_BY_AGENT: 'CLOSED_BY_AGENT',
  CLOSED_BY_PLATFORM: 'CLOSED_BY_PLATFORM',
  REJECTED: null,
  CANCELLED_BY_CUSTOMER: null,
  ORDER_ALREADY_PAID: null,
  RETURN_TIMEOUT: null,
  STOCK_IN_TIMEOUT: null,
};

const NOTHING: ContractRefundAmounts = { cash: 0, coins: 0 };

function ticketOf(state: TicketState): Ticket {
  if (state.status === 'NONE') throw new IllegalStateError('A ticket event without a ticket');
  return state;
}

function ticketFact(ticket: Ticket): TicketFact {
  return {
    ticketId: ticket.ticketId,
    ticketNo: ticket.ticketNo,
    type: ticket.type,
    orderId: ticket.orderId,
    merchantId: ticket.merchantId,
    customerId: ticket.customerId,
    lines: ticket.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity })),
  };
}

/**
 * The status a command left the ticket in once the requests that belong to an event were made:
 * an application is "opened" as CANCELLING or INTERCEPTING, a refund approval as AWAITING_REFUND,
 * although each domain event alone leaves the ticket where it was.
 */
function statusAfter(
  recorded: readonly RecordedTicketChange[],
  index: number,
  followUps: readonly TicketEventType[],
): TicketStatus {
  let last = index;
  while (last + 1 < recorded.length && followUps.includes(recorded[last + 1].event.type)) last += 1;
  return ticketOf(recorded[last].after).status;
}

/** Cancellations and exchanges pay nothing back. */
function refundAmountsOf(ticket: Ticket): ContractRefundAmounts {
  return ticket.type === 'REFUND_ONLY' || ticket.type === 'RETURN_AND_REFUND'
    ? { cash: ticket.amounts.totalCash, coins: ticket.amounts.coinsRefund }
    : NOTHING;
}

function successOf(
  ticket: Ticket,
  outcome: LineOutcome,
): Pick<EventDataMap['ticket-succeeded'], 'refunded' | 'refundId' | 'carrier' | 'trackingNo'> {
  switch (outcome) {
    case 'ORDER_CANCELLED':
      return { refunded: NOTHING };
    case 'EXCHANGED': {
      const shipment = ticket.exchangeShipment;
      return shipment === null
        ? { refunded: NOTHING }
        : { refunded: NOTHING, carrier: shipment.carrier, trackingNo: shipment.trackingNo };
    }
    case 'REFUNDED':
    case 'RETURNED': {
      const refund = ticket.refund;
      if (refund === null) {
        throw new IllegalStateError(`Ticket ${ticket.ticketNo} succeeded with ${outcome} but has no refund`);
      }
      return {
        refunded: { cash: refund.cash, coins: refund.coins },
        refundId: refundIdFor(refund.idempotencyKey),
      };
    }
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

function paymentNoOf(ticket: Ticket): string {
  if (ticket.paymentNo === null) {
    throw new IllegalStateError(`Ticket ${ticket.ticketNo} has no payment to refund against`);
  }
  return ticket.paymentNo;
}

function warehouseTask(
  ticket: Ticket,
  request: WarehouseTaskRequest,
  lines: readonly TaskLine[],
): WarehouseTask {
  return {
    taskId: warehouseTaskIdFor(ticket.ticketId, request),
    ticketId: ticket.ticketId,
    ticketNo: ticket.ticketNo,
    orderId: ticket.orderId,
    merchantId: ticket.merchantId,
    lines: lines.map((line): ContractTaskLine => ({
      lineId: line.lineId,
      sku: line.sku,
      title: line.title,
      quantity: line.quantity,
    })),
  };
}

/**
 * The decider sends goods back as the first step of closing, and the close that follows names why;
 * or after the close, when they arrived late.
 */
function sendBackReason(recorded: readonly RecordedTicketChange[], index: number): SendBackReason {
  if (recorded[index - 1]?.event.type === 'ReturnStockedInLate') return 'ARRIVED_AFTER_CLOSE';
  const closed = recorded
    .slice(index + 1)
    .map((change) => change.event)
    .find((event): event is TicketClosed => event.type === 'TicketClosed');
  const reason = closed === undefined ? null : SEND_BACK_REASONS[closed.data.reason];
  if (reason === null) {
    throw new ContractGapError(
      'return-to-customer-requested',
      ['reason'],
      `has no code for goods sent back ${closed === undefined ? 'without a close' : `on ${closed.data.reason}`}`,
    );
  }
  return reason;
}

/** The coupon service issues it; no minimum spend, and its own default validity. */
function couponOf(ticket: Ticket, event: CompensationCouponIssued) {
  const issued = ticket.agentActions.filter((action) => action.kind === 'COMPENSATION_COUPON_ISSUED');
  return {
    couponId: couponIdFor(ticket.ticketId, issued.length),
    ticketId: ticket.ticketId,
    ticketNo: ticket.ticketNo,
    orderId: ticket.orderId,
    merchantId: ticket.merchantId,
    customerId: event.data.customerId,
    amount: event.data.couponValue,
    minimumSpend: 0,
    note: event.data.note,
  };
}
