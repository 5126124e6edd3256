import { ValidationError } from '@aftersales/kernel';
import type {
  AnyEventEnvelope,
  EventDataMap,
  OrderStatusChangedData,
  ReturnStockedData,
} from '@aftersales/contracts';
import type { CommandMetadata, OrderSnapshot, RecordExchangeShipped, TicketCommand } from '../../domain';
import { refundAttemptOf } from './refund-id';
import { clip } from './text';
import { assertTaskOf } from './warehouse-task-id';

export interface InboundTicketCommand {
  ticketId: string;
  command: TicketCommand;
}

/** The domain's limit on notes; warehouse notes are longer once joined. */
const DOMAIN_NOTE_MAX = 500;

/**
 * The ticket command an integration event asks for, issued by the envelope's actor at `now`; null
 * when the event needs no ticket command. order-status-changed goes through
 * orderSnapshotFromStatusChange and cancelOutcomeFor instead: it names an order, not a ticket.
 * @throws ValidationError when a refund outcome names a refund order none of the ticket's attempts asked for,
 * or a warehouse outcome a task the ticket did not open
 */
export function toTicketCommand(envelope: AnyEventEnvelope, now: Date): InboundTicketCommand | null {
  const metadata: CommandMetadata = { actor: envelope.actor, now };
  switch (envelope.type) {
    case 'return-stocked':
      assertTaskOf(envelope.data, 'return-stock-in-requested');
      return {
        ticketId: envelope.data.ticketId,
        command: {
          type: 'RecordStockIn',
          data: {
            lines: envelope.data.lines.map((line) => ({
              lineId: line.lineId,
              quantityReceived: line.quantityReceived,
              dispositions: line.units.map((unit) => unit.disposition),
            })),
            note: inspectionNote(envelope.data),
            stockedAt: envelope.data.stockedAt,
          },
          metadata,
        },
      };
    case 'exchange-shipped':
      assertTaskOf(envelope.data, 'exchange-stock-out-requested');
      return {
        ticketId: envelope.data.ticketId,
        command: {
          type: 'RecordExchangeShipped',
          data: parcelOf(envelope.data),
          metadata,
        },
      };
    case 'returned-to-customer':
      assertTaskOf(envelope.data, 'return-to-customer-requested');
      return {
        ticketId: envelope.data.ticketId,
        command: {
          type: 'RecordGoodsReturnedToCustomer',
          data: parcelOf(envelope.data),
          metadata,
        },
      };
    case 'shipment-intercepted':
      assertTaskOf(envelope.data, 'shipment-interception-requested');
      return {
        ticketId: envelope.data.ticketId,
        command: { type: 'RecordInterceptionResult', data: { intercepted: true, note: null }, metadata },
      };
    case 'shipment-interception-failed': {
      assertTaskOf(envelope.data, 'shipment-interception-requested');
      const { reason, note } = envelope.data;
      return {
        ticketId: envelope.data.ticketId,
        command: {
          type: 'RecordInterceptionResult',
          data: { intercepted: false, reason, note: note === undefined ? null : clip(note, DOMAIN_NOTE_MAX) },
          metadata,
        },
      };
    }
    case 'refund-paid':
      return {
        ticketId: envelope.data.ticketId,
        command: {
          type: 'RecordRefundPaid',
          data: { ...refundReportOf(envelope.data), paidAt: envelope.data.paidAt },
          metadata,
        },
      };
    case 'refund-approved':
      return {
        ticketId: envelope.data.ticketId,
        command: {
          type: 'RecordRefundApproved',
          data: { ...refundReportOf(envelope.data), automatic: envelope.data.automatic },
          metadata,
        },
      };
    case 'refund-failed': {
      // The refund service retries a retryable payout itself. Recording it would let an agent ask
      // for a new attempt (a new refund order and idempotency key) while the old one may still pay.
      if (envelope.data.retryable) return null;
      const { ticketId, refundId, reason } = envelope.data;
      return {
        ticketId,
        command: {
          type: 'RecordRefundFailed',
          data: { attempt: attemptOf(ticketId, refundId), refundId, reason: clip(reason, DOMAIN_NOTE_MAX) },
          metadata,
        },
      };
    }
    case 'refund-rejected': {
      const { ticketId, refundId, note } = envelope.data;
      return {
        ticketId,
        command: {
          type: 'RecordRefundRejected',
          data: { attempt: attemptOf(ticketId, refundId), refundId, reason: clip(note, DOMAIN_NOTE_MAX) },
          metadata,
        },
      };
    }
    case 'order-cancellation-rejected': {
      // An order closed meanwhile (e.g. unpaid timeout) is what the customer asked for.
      const type = envelope.data.reason === 'ORDER_ALREADY_PAID' ? 'RecordOrderPaid' : 'RecordOrderClosed';
      return { ticketId: envelope.data.ticketId, command: { type, data: {}, metadata } };
    }
    // Our own publications, upstream order facts (the order service restates them as
    // order-status-changed), and outcomes the ticket has no step for.
    case 'order-status-changed':
    case 'order-placed':
    case 'order-paid':
    case 'order-shipped':
    case 'order-completed':
    case 'order-closed':
    case 'ticket-opened':
    case 'ticket-approved':
    case 'ticket-rejected':
    case 'ticket-closed':
    case 'ticket-succeeded':
    case 'refund-requested':
    case 'order-cancellation-requested':
    case 'compensation-coupon-issued':
    case 'return-stock-in-requested':
    case 'exchange-stock-out-requested':
    case 'exchange-stock-out-cancellation-requested':
    case 'shipment-interception-requested':
    case 'return-to-customer-requested':
    case 'settlement-statement-issued':
      return null;
    default: {
      const unreachable: never = envelope;
      return unreachable;
    }
  }
}

/** Which attempt a refund report answers, and the amounts it reports. */
function refundReportOf(data: EventDataMap['refund-paid'] | EventDataMap['refund-approved']) {
  return {
    attempt: attemptOf(data.ticketId, data.refundId),
    refundId: data.refundId,
    cash: data.cashAmount,
    coins: data.coinsAmount,
  };
}

/** A parcel the warehouse sent: what was in it, and how to follow it. */
function parcelOf(
  data: EventDataMap['exchange-shipped'] | EventDataMap['returned-to-customer'],
): RecordExchangeShipped['data'] {
  return {
    lines: data.lines.map((line) => ({ lineId: line.lineId, quantity: line.quantity })),
    carrier: data.carrier,
    trackingNo: data.trackingNo,
    shippedAt: data.shippedAt,
  };
}

/** After-sales' copy of the order, from the full order the status change carries. */
export function orderSnapshotFromStatusChange(data: OrderStatusChangedData): OrderSnapshot {
  const { order } = data;
  return {
    orderId: order.orderId,
    merchantId: order.merchantId,
    customerId: order.customerId,
    state: order.status,
    paidAt: order.paidAt ?? null,
    completedAt: order.completedAt ?? null,
    paymentNo: order.paymentNo,
    lines: order.lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      title: line.title,
      category: line.category,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
    })),
    couponDiscount: order.couponDiscount,
    promotionDiscount: order.promotionDiscount,
    coinsDeduction: order.coinsDeduction,
    shippingFee: order.shippingFee,
    platformSubsidy: order.platformSubsidy,
  };
}

/** What the order's state means for a cancel-order ticket waiting on it; null while still unpaid. */
export function cancelOutcomeFor(snapshot: OrderSnapshot): 'RecordOrderClosed' | 'RecordOrderPaid' | null {
  switch (snapshot.state) {
    case 'PENDING_PAYMENT':
      return null;
    case 'CLOSED':
      return 'RecordOrderClosed';
    case 'AWAITING_SHIPMENT':
    case 'SHIPPED':
    case 'COMPLETED':
      return 'RecordOrderPaid';
    default: {
      const unreachable: never = snapshot.state;
      return unreachable;
    }
  }
}

function attemptOf(ticketId: string, refundId: string): number {
  const attempt = refundAttemptOf(ticketId, refundId);
  if (attempt === null) {
    throw new ValidationError(`Refund ${refundId} was not requested by ticket ${ticketId}`, 'data.refundId', {
      ticketId,
      refundId,
    });
  }
  return attempt;
}

/** The inspector's per-unit notes, which the ticket keeps as one note. */
function inspectionNote(data: ReturnStockedData): string | null {
  const notes = data.lines.flatMap((line) =>
    line.units.flatMap((unit, i) =>
      unit.note === undefined ? [] : [`${line.lineId} unit ${i + 1}: ${unit.note}`],
    ),
  );
  return notes.length === 0 ? null : clip(notes.join('; '), DOMAIN_NOTE_MAX);
}
