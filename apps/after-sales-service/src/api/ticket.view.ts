import { ForbiddenError, type Actor } from '@aftersales/kernel';
import { availableActions, type Ticket, type TicketCommandType } from '../domain';
import { refundIdFor } from '../application/integration/refund-id';
import { warehouseTaskIdFor, type WarehouseTaskRequest } from '../application/integration/warehouse-task-id';

/** The HTTP route of each command a person can issue; commands from Kafka or timers have none. */
export const COMMAND_ROUTES: Partial<Record<TicketCommandType, string>> = {
  CancelTicket: 'cancel',
  ApproveTicket: 'approve',
  RejectTicket: 'reject',
  SubmitReturnShipment: 'return-shipment',
  ProposeRefundAmount: 'offer',
  AcceptOffer: 'offer/accept',
  DeclineOffer: 'offer/decline',
  AdjustRefundAmount: 'refund-amount',
  SubsidiseShipping: 'shipping-subsidy',
  IssueCompensationCoupon: 'compensation-coupon',
  ShipExchangeDespiteMismatch: 'ship-exchange',
  CloseTicket: 'close',
  RequestRefundAgain: 'refund-retry',
  Intervene: 'intervene',
};

export interface TicketAction {
  command: TicketCommandType;
  method: 'POST';
  path: string;
}

/** The warehouse task a ticket waits on, by the request that opened it. */
export interface WarehouseTaskView {
  request: WarehouseTaskRequest;
  taskId: string;
}

/** The ticket as a client shows it: state, money, the running deadline, and what the caller may do now. */
export type TicketView = Ticket & { warehouseTask: WarehouseTaskView | null; actions: TicketAction[] };

const AWAITED_TASKS: Partial<Record<Ticket['status'], WarehouseTaskRequest>> = {
  INTERCEPTING: 'shipment-interception-requested',
  AWAITING_STOCK_IN: 'return-stock-in-requested',
  AWAITING_EXCHANGE_SHIPMENT: 'exchange-stock-out-requested',
};

export function toTicketView(ticket: Ticket, actor: Actor): TicketView {
  const actions = availableActions(ticket, actor).flatMap((command) => {
    const route = COMMAND_ROUTES[command];
    return route ? [{ command, method: 'POST' as const, path: `/tickets/${ticket.ticketId}/${route}` }] : [];
  });
  // The refund order an attempt asks for is named by the attempt's key from the start (refundIdFor),
  // so an agent can look it up in the refund service while it is still being paid.
  const refund = ticket.refund && {
    ...ticket.refund,
    refundId: ticket.refund.refundId ?? refundIdFor(ticket.refund.idempotencyKey),
  };
  // Shown so that whoever chases a late warehouse, or reports for it by hand, knows the task to name.
  const request = AWAITED_TASKS[ticket.status];
  const warehouseTask = request ? { request, taskId: warehouseTaskIdFor(ticket.ticketId, request) } : null;
  return { ...ticket, refund, warehouseTask, actions };
}

/** Customers see their own tickets, merchant agents their merchant's; platform and finance see all. */
export function assertMayRead(
  actor: Actor,
  ticket: Pick<Ticket, 'customerId' | 'merchantId' | 'ticketId'>,
): void {
  if (actor.role === 'customer' && ticket.customerId !== actor.id) {
    throw new ForbiddenError(`ticket ${ticket.ticketId} belongs to another customer`, 'ticket.not-yours');
  }
  if (actor.role === 'merchant_agent' && ticket.merchantId !== actor.merchantId) {
    throw new ForbiddenError(`ticket ${ticket.ticketId} belongs to another merchant`, 'ticket.not-yours');
  }
  if (actor.role === 'warehouse') {
    throw new ForbiddenError(
      'warehouses receive tickets as tasks on Kafka, not over HTTP',
      'ticket.role-not-allowed',
    );
  }
}
