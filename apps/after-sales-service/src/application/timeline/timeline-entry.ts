import type { Actor, Minor } from '@aftersales/kernel';
import type {
  AfterSalesType,
  AutomaticApproval,
  CloseReason,
  ExpiryAction,
  InspectedLine,
  InterceptionFailureReason,
  InterventionRuling,
  LineOutcome,
  PostalAddress,
  RefundBasis,
  TaskLine,
  TicketEscalated,
  TicketEvent,
  TicketEventType,
  TicketLine,
  TicketState,
  TicketStatus,
  UnitDisposition,
} from '../../domain';

/** One line of the negotiation timeline: who did what when, how the status moved, in words. */
export interface TimelineEntry {
  at: string;
  actor: Actor;
  eventType: TicketEventType;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus | null;
  title: string;
  detail: string;
}

export function timelineEntryOf(event: TicketEvent, before: TicketState, after: TicketState): TimelineEntry {
  return {
    at: event.metadata.occurredAt,
    actor: event.metadata.actor,
    eventType: event.type,
    fromStatus: before.status === 'NONE' ? null : before.status,
    toStatus: after.status === 'NONE' ? null : after.status,
    ...describe(event, after),
  };
}

/** Fen as yuan for people: 123456 -> ¥1,234.56. Integer arithmetic only, like every amount. */
export function formatMinor(minor: Minor): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  // Thousands separators by slicing, not a regular expression: a rebuild formats the amounts of
  // every timeline entry, and a lookahead replace took twice as long.
  const digits = String(Math.floor(abs / 100));
  let yuan = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let at = yuan.length; at < digits.length; at += 3) yuan += `,${digits.slice(at, at + 3)}`;
  const fen = abs % 100;
  return `${sign}¥${yuan}.${fen < 10 ? '0' : ''}${fen}`;
}

function describe(event: TicketEvent, after: TicketState): { title: string; detail: string } {
  switch (event.type) {
    case 'AfterSalesApplied': {
      const { data } = event;
      const paysRefund = data.type === 'REFUND_ONLY' || data.type === 'RETURN_AND_REFUND';
      return {
        title: `${TYPE_NAMES[data.type]} applied for`,
        detail: sentences(
          `${data.ticketNo} on order ${data.orderId}: ${linesText(data.lines)}`,
          `reason ${data.reasonCode}${data.description === '' ? '' : ` — ${data.description}`}`,
          data.evidence.length === 0 ? null : plural(data.evidence.length, 'evidence image'),
          paysRefund ? `refund ${cashAndCoins(data.amounts.totalCash, data.amounts.coinsRefund)}` : null,
          data.exchangeAddress === null ? null : `replacement to ${addressText(data.exchangeAddress)}`,
        ),
      };
    }
    case 'OrderCancellationRequested':
      return {
        title: 'Order cancellation requested',
        detail: `The order service was asked to cancel order ${event.data.orderId}`,
      };
    case 'InterceptionRequested':
      return {
        title: 'Shipment interception requested',
        detail: `The warehouse was asked to stop the parcel: ${linesText(event.data.lines)}`,
      };
    case 'ShipmentIntercepted':
      return {
        title: 'Shipment intercepted',
        detail: withNote('The parcel was stopped before it left', event.data.note),
      };
    case 'InterceptionFailed':
      return {
        title: 'Shipment not intercepted',
        detail: withNote(
          event.data.reason === 'DEADLINE_PASSED'
            ? 'The warehouse did not answer in time; treated as not interceptable, the ticket goes to review'
            : `${INTERCEPTION_FAILURES[event.data.reason]}; the ticket goes to review`,
          event.data.note,
        ),
      };
    case 'InterceptionReportedLate':
      return {
        title: event.data.intercepted ? 'Shipment intercepted after all' : 'Shipment had left',
        detail: withNote(
          event.data.intercepted
            ? after.status === 'CLOSED'
              ? 'The warehouse stopped the parcel after the ticket had closed: the goods wait at the warehouse, and the customer may apply again'
              : 'The warehouse stopped the parcel after all: the goods stay at the warehouse'
            : `The warehouse reported late: ${INTERCEPTION_FAILURES[event.data.reason].toLowerCase()}`,
          event.data.note,
        ),
      };
    case 'TicketApproved': {
      const { automatic, returnAddress, note } = event.data;
      return {
        title: automatic === null ? 'Approved' : 'Approved automatically',
        detail: withNote(
          sentences(
            automatic === null ? 'Approved' : `Approved by the system: ${automaticReason(automatic, after)}`,
            returnAddress === null ? null : `return to ${addressText(returnAddress)}`,
          ),
          note,
        ),
      };
    }
    case 'TicketRejected':
      return { title: 'Ticket rejected', detail: `Rejected: ${event.data.reasonCode} — ${event.data.note}` };
    case 'ReturnShipmentSubmitted':
      return {
        title: 'Return shipped',
        detail: `Return shipped by ${event.data.carrier}, tracking ${event.data.trackingNo}`,
      };
    case 'ReturnStockInRequested': {
      const { carrier, trackingNo, returnAddress, lines } = event.data;
      return {
        title: 'Return stock-in requested',
        detail: `The warehouse expects ${carrier} ${trackingNo} at ${addressText(returnAddress)}: ${linesText(lines)}`,
      };
    }
    case 'ReturnStockedIn':
      return {
        title: event.data.matches ? 'Return inspected: as described' : 'Return inspected: does not match',
        detail: withNote(event.data.lines.map(inspectionText).join(' | '), event.data.note),
      };
    case 'ReturnStockedInLate':
      return {
        title: 'Return arrived after the ticket ended',
        detail: withNote(event.data.lines.map(inspectionText).join(' | '), event.data.note),
      };
    case 'RefundOfferProposed':
      return {
        title: 'Refund offer proposed',
        detail: withNote(
          `${formatMinor(event.data.amount)} of ${formatMinor(event.data.actualPaid)} paid`,
          event.data.note,
        ),
      };
    case 'RefundOfferAccepted':
      return { title: 'Refund offer accepted', detail: `Accepted ${formatMinor(event.data.amount)}` };
    case 'RefundOfferDeclined':
      return {
        title: 'Refund offer declined',
        detail: withNote(`Declined ${formatMinor(event.data.amount)}`, event.data.note),
      };
    case 'RefundAmountAdjusted':
      return {
        title: 'Refund amount changed',
        detail: withNote(`${formatMinor(event.data.from)} → ${formatMinor(event.data.to)}`, event.data.note),
      };
    case 'ShippingSubsidised':
      return {
        title: 'Shipping subsidised',
        detail: withNote(
          `${formatMinor(event.data.amount)} added, ${formatMinor(event.data.totalSubsidy)} in all`,
          event.data.note,
        ),
      };
    case 'CompensationCouponIssued':
      return {
        title: 'Compensation coupon issued',
        detail: withNote(
          `Coupon worth ${formatMinor(event.data.couponValue)} for customer ${event.data.customerId}`,
          event.data.note,
        ),
      };
    case 'ExchangeApprovedDespiteMismatch':
      return {
        title: 'Exchange to ship despite mismatch',
        detail: withNote('The replacement ships although the return did not match', event.data.note),
      };
    case 'ExchangeStockOutRequested':
      return {
        title: 'Replacement requested',
        detail: `The warehouse is to ship ${linesText(event.data.lines)} to ${addressText(event.data.deliveryAddress)}`,
      };
    case 'ExchangeShipped':
      return {
        title: 'Replacement shipped',
        detail: `Replacement shipped by ${event.data.carrier}, tracking ${event.data.trackingNo}`,
      };
    case 'ExchangeStockOutCancellationRequested':
      return {
        title: 'Replacement cancelled',
        detail: `The warehouse is not to ship ${linesText(event.data.lines)}: the platform ${
          event.data.ruling === 'FORCE_CLOSE' ? 'closed the ticket' : 'ruled a refund instead'
        }`,
      };
    case 'ExchangeShippedLate':
      return {
        title: 'Replacement shipped despite the cancellation',
        detail: `The replacement had already left, by ${event.data.carrier}, tracking ${event.data.trackingNo}; agents follow up with the customer`,
      };
    case 'GoodsReturnToCustomerRequested':
      return {
        title: 'Goods to go back',
        detail: `The warehouse is to send back to the customer: ${linesText(event.data.lines)}`,
      };
    case 'GoodsReturnedToCustomer':
      return {
        title: 'Goods on their way back',
        detail: `Goods shipped back to the customer by ${event.data.carrier}, tracking ${event.data.trackingNo}`,
      };
    case 'RefundRequested': {
      const { attempt, cash, coins, amounts, basis, note } = event.data;
      const extras = amounts.shippingFeeRefund > 0 || amounts.shippingSubsidy > 0;
      return {
        title: attempt === 1 ? 'Refund requested' : `Refund requested (attempt ${attempt})`,
        detail: withNote(
          sentences(
            `${cashAndCoins(cash, coins)}: ${BASES[basis]}`,
            extras
              ? [
                  `goods ${formatMinor(amounts.goodsCash)}`,
                  amounts.shippingFeeRefund > 0
                    ? `shipping fee ${formatMinor(amounts.shippingFeeRefund)}`
                    : null,
                  amounts.shippingSubsidy > 0
                    ? `shipping subsidy ${formatMinor(amounts.shippingSubsidy)}`
                    : null,
                ]
                  .filter((part) => part !== null)
                  .join(' + ')
              : null,
          ),
          note,
        ),
      };
    }
    case 'RefundPaid':
      return {
        title: 'Refund paid',
        detail: `${cashAndCoins(event.data.cash, event.data.coins)} paid (attempt ${event.data.attempt}, refund ${event.data.refundId})`,
      };
    case 'RefundApproved':
      return {
        title: 'Refund approved',
        detail: event.data.automatic
          ? `Attempt ${event.data.attempt} needed no finance review and is being paid (refund ${event.data.refundId})`
          : `Finance approved attempt ${event.data.attempt}; it is being paid (refund ${event.data.refundId})`,
      };
    case 'RefundFailed':
      return {
        title: 'Refund failed',
        detail: `Attempt ${event.data.attempt} failed: ${event.data.reason}`,
      };
    case 'RefundRejected':
      return {
        title: 'Refund rejected by finance',
        detail: `Attempt ${event.data.attempt} rejected: ${event.data.reason}`,
      };
    case 'OrderCancelled':
      return { title: 'Order cancelled', detail: `Order ${event.data.orderId} is closed` };
    case 'DeadlineExpired':
      return {
        title: 'Deadline passed',
        detail: `Deadline passed: ${event.data.state} → ${EXPIRY_OUTCOMES[event.data.onExpiry]}`,
      };
    case 'TicketEscalated':
      return { title: 'Escalated to the platform', detail: ESCALATIONS[event.data.reason] };
    case 'PlatformIntervened':
      return {
        title: 'Platform intervened',
        detail: `Ruling: ${rulingText(event.data.ruling, event.data.amount)} — ${event.data.note}`,
      };
    case 'TicketClosed':
      return {
        title: 'Ticket closed',
        detail: withNote(`Closed: ${CLOSE_REASONS[event.data.reason]}`, event.data.note),
      };
    case 'TicketSucceeded':
      return { title: 'Ticket succeeded', detail: successText(event.data.outcome, after) };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

const TYPE_NAMES: Record<AfterSalesType, string> = {
  CANCEL_ORDER: 'Order cancellation',
  REFUND_ONLY: 'Refund',
  RETURN_AND_REFUND: 'Return and refund',
  EXCHANGE: 'Exchange',
};

const BASES: Record<RefundBasis, string> = {
  APPROVED: 'approved by an agent',
  AUTO_APPROVED: 'approved by the system',
  SHIPMENT_INTERCEPTED: 'the parcel was intercepted',
  STOCK_IN_MATCHED: 'the return matched the application',
  OFFER_ACCEPTED: 'the customer accepted the offer',
  STOCK_IN_TIMEOUT: 'the return was not stocked in in time',
  PLATFORM_RULING: 'platform ruling',
  RETRY: 'new attempt after a failed or rejected one',
};

const EXPIRY_OUTCOMES: Record<ExpiryAction, string> = {
  AUTO_APPROVE: 'approved by the system',
  ESCALATE_TO_PLATFORM: 'escalated to a platform agent',
  CLOSE_RETURN_TIMEOUT: 'closed (return timeout)',
  CLOSE_STOCK_IN_TIMEOUT: 'closed (stock-in timeout)',
  AUTO_REFUND: 'refunded without inspection',
  CLOSE_NEGOTIATION_TIMEOUT: 'closed (negotiation timeout)',
  TREAT_AS_NOT_INTERCEPTABLE: 'treated as not interceptable',
};

const ESCALATIONS: Record<TicketEscalated['data']['reason'], string> = {
  REVIEW_DEADLINE_PASSED_WITHOUT_RETURN_ADDRESS:
    'The merchant did not review in time and has no default return address',
  EXCHANGE_SHIPMENT_OVERDUE: 'The replacement was not shipped in time',
};

const INTERCEPTION_FAILURES: Record<InterceptionFailureReason, string> = {
  ALREADY_SHIPPED: 'The parcel had already left',
  TASK_UNKNOWN: 'The warehouse does not know the parcel',
  WAREHOUSE_REFUSED: 'The warehouse refused to stop the parcel',
};

const CLOSE_REASONS: Record<CloseReason, string> = {
  REJECTED: 'rejected',
  CANCELLED_BY_CUSTOMER: 'cancelled by the customer',
  ORDER_ALREADY_PAID: 'the order was paid before it could be cancelled',
  RETURN_TIMEOUT: 'return timeout',
  STOCK_IN_TIMEOUT: 'stock-in timeout',
  NEGOTIATION_DECLINED: 'the customer declined the offer',
  NEGOTIATION_TIMEOUT: 'negotiation timeout',
  CLOSED_BY_AGENT: 'closed by an agent',
  CLOSED_BY_PLATFORM: 'closed by the platform',
};

const DISPOSITIONS: Record<UnitDisposition, string> = {
  RESTOCKABLE: 'restockable',
  DAMAGED_OR_NOT_AS_DESCRIBED: 'damaged or not as described',
  MISSING: 'missing',
};

function automaticReason(automatic: AutomaticApproval, after: TicketState): string {
  switch (automatic) {
    case 'REFUND_ONLY_SOON_AFTER_PAYMENT': {
      const minutes =
        after.status === 'NONE' ? null : after.policy.autoApproveRefundOnlyWithinMinutesOfPayment;
      return minutes === null
        ? 'refund asked for soon after payment'
        : `refund asked for within ${minutes} minutes of payment`;
    }
    case 'SHIPMENT_INTERCEPTED':
      return 'the parcel was intercepted';
    case 'REVIEW_DEADLINE_PASSED':
      return 'the merchant did not review in time';
    default: {
      const unreachable: never = automatic;
      return unreachable;
    }
  }
}

function rulingText(ruling: InterventionRuling, amount: Minor | null): string {
  switch (ruling) {
    case 'RECORD_ONLY':
      return 'finding recorded';
    case 'FORCE_CLOSE':
      return 'close the ticket';
    case 'FORCE_REFUND':
      return amount === null ? 'refund the current amount' : `refund ${formatMinor(amount)}`;
    default: {
      const unreachable: never = ruling;
      return unreachable;
    }
  }
}

function successText(outcome: LineOutcome, after: TicketState): string {
  const ticket = after.status === 'NONE' ? null : after;
  switch (outcome) {
    case 'ORDER_CANCELLED':
      return 'Order cancelled';
    case 'REFUNDED':
    case 'RETURNED': {
      const refund = ticket?.refund ?? null;
      const paid = refund === null ? '' : ` ${cashAndCoins(refund.cash, refund.coins)}`;
      return outcome === 'REFUNDED' ? `Refunded${paid}` : `Returned and refunded${paid}`;
    }
    case 'EXCHANGED': {
      const shipment = ticket?.exchangeShipment ?? null;
      return shipment === null
        ? 'Exchanged'
        : `Exchanged; replacement shipped by ${shipment.carrier}, tracking ${shipment.trackingNo}`;
    }
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

function inspectionText(line: InspectedLine): string {
  const counts = (Object.keys(DISPOSITIONS) as UnitDisposition[])
    .map((disposition) => ({
      disposition,
      count: line.dispositions.filter((d) => d === disposition).length,
    }))
    .filter(({ count }) => count > 0)
    .map(({ disposition, count }) => `${count} ${DISPOSITIONS[disposition]}`);
  const received = `line ${line.lineId}: ${line.quantityReceived} of ${line.expectedQuantity} received`;
  return counts.length === 0 ? received : `${received}; ${counts.join(', ')}`;
}

function linesText(lines: readonly (TicketLine | TaskLine)[]): string {
  return lines.map((line) => `${line.lineId} ${line.title} ×${line.quantity}`).join(', ');
}

function addressText(address: PostalAddress): string {
  return `${address.recipient}, ${address.phone}, ${address.address}`;
}

function cashAndCoins(cash: Minor, coins: Minor): string {
  return coins === 0 ? formatMinor(cash) : `${formatMinor(cash)} + ${formatMinor(coins)} in coins`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function withNote(text: string, note: string | null): string {
  return note === null ? text : `${text} — note: ${note}`;
}

function sentences(...parts: (string | null)[]): string {
  return parts.filter((part) => part !== null).join('; ');
}
