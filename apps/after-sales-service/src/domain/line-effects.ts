import type { AfterSalesType, LineOutcome } from './after-sales.catalogues';
import type { OrderSnapshot } from './order-snapshot';
import type { TicketEvent } from './ticket.events';
import type { Ticket, TicketState } from './ticket.state';

/**
 * What an event does to the order lines it covers, for the line-lock projection (one active
 * ticket per line, enforced by a unique index) and for the order side (only a succeeded ticket
 * changes the order).
 */
export type LineEffect =
  | { kind: 'LOCKED'; ticketId: string; lineId: string; quantity: number }
  | { kind: 'RELEASED'; ticketId: string; lineId: string }
  | {
      kind: 'SUCCEEDED';
      ticketId: string;
      lineId: string;
      quantity: number;
      lineQuantity: number;
      outcome: LineOutcome;
      /** The line's whole quantity went back for money: input to "every line refunded -> order CLOSED". */
      fullyRefunded: boolean;
    };

/** The line effects of `event`, given the ticket state right after it was applied. */
export function lineEffectsOf(event: TicketEvent, after: TicketState): LineEffect[] {
  if (after.status === 'NONE') return [];
  switch (event.type) {
    case 'AfterSalesApplied':
      return event.data.lines.map((line) => ({
        kind: 'LOCKED',
        ticketId: event.data.ticketId,
        lineId: line.lineId,
        quantity: line.quantity,
      }));
    case 'TicketClosed':
      return after.lines.map((line) => ({ kind: 'RELEASED', ticketId: after.ticketId, lineId: line.lineId }));
    case 'TicketSucceeded':
      return after.lines.map((line) => ({
        kind: 'SUCCEEDED',
        ticketId: after.ticketId,
        lineId: line.lineId,
        quantity: line.quantity,
        lineQuantity: line.lineQuantity,
        outcome: event.data.outcome,
        fullyRefunded: isRefundOutcome(event.data.outcome) && line.quantity === line.lineQuantity,
      }));
    default:
      return [];
  }
}

export function isRefundOutcome(outcome: LineOutcome): boolean {
  return outcome === 'REFUNDED' || outcome === 'RETURNED';
}

/**
 * True when refunds and returns that succeeded cover every unit of every line: the order then
 * becomes CLOSED (DOMAIN.md, How tickets affect orders).
 */
export function isOrderFullyRefunded(order: OrderSnapshot, succeeded: readonly SucceededLine[]): boolean {
  return order.lines.every((line) => refundedUnits(succeeded, line.lineId) >= line.quantity);
}

/** How a succeeded ticket ended for one of its lines, and for how many units. */
export interface SucceededLine {
  lineId: string;
  quantity: number;
  outcome: LineOutcome;
}

/** Units of the line that succeeded refunds and returns gave back. */
export function refundedUnits(succeeded: readonly SucceededLine[], lineId: string): number {
  return succeeded
    .filter((entry) => entry.lineId === lineId && isRefundOutcome(entry.outcome))
    .reduce((units, entry) => units + entry.quantity, 0);
}

export type ItemAfterSalesStatus =
  | { phase: 'IN_PROGRESS'; label: 'CANCELLING' | 'REFUNDING' | 'RETURNING' | 'EXCHANGING' }
  | { phase: 'DONE'; label: 'CANCELLED' | 'REFUNDED' | 'RETURNED' | 'EXCHANGED' }
  | { phase: 'CLOSED'; label: 'CLOSED' };

const IN_PROGRESS_LABEL: Record<AfterSalesType, 'CANCELLING' | 'REFUNDING' | 'RETURNING' | 'EXCHANGING'> = {
  CANCEL_ORDER: 'CANCELLING',
  REFUND_ONLY: 'REFUNDING',
  RETURN_AND_REFUND: 'RETURNING',
  EXCHANGE: 'EXCHANGING',
};

const DONE_LABEL: Record<LineOutcome, 'CANCELLED' | 'REFUNDED' | 'RETURNED' | 'EXCHANGED'> = {
  ORDER_CANCELLED: 'CANCELLED',
  REFUNDED: 'REFUNDED',
  RETURNED: 'RETURNED',
  EXCHANGED: 'EXCHANGED',
};

export const ITEM_AFTER_SALES_PHASES = [
  'IN_PROGRESS',
  'DONE',
  'CLOSED',
] as const satisfies readonly ItemAfterSalesStatus['phase'][];

/** Every badge label, for the API document. */
export const ITEM_AFTER_SALES_LABELS: readonly ItemAfterSalesStatus['label'][] = [
  ...Object.values(IN_PROGRESS_LABEL),
  ...Object.values(DONE_LABEL),
  'CLOSED',
];

/** The after-sales badge an order item shows for this ticket. */
export function itemAfterSalesStatus(ticket: Ticket): ItemAfterSalesStatus {
  switch (ticket.status) {
    case 'SUCCEEDED':
      return { phase: 'DONE', label: DONE_LABEL[ticket.outcome] };
    case 'CLOSED':
      return { phase: 'CLOSED', label: 'CLOSED' };
    default:
      return { phase: 'IN_PROGRESS', label: IN_PROGRESS_LABEL[ticket.type] };
  }
}
