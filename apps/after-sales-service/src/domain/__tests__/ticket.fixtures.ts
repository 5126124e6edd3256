import { type Actor, HOUR, SYSTEM_ACTOR } from '@aftersales/kernel';
import type { AfterSalesType, PostalAddress } from '../after-sales.catalogues';
import type { LineHistory } from '../eligibility';
import type { OrderSnapshot } from '../order-snapshot';
import { DEFAULT_MERCHANT_POLICY, type MerchantPolicy } from '../policy';
import type { RequestedLine } from '../refund-amount';
import type { TicketCommand, TicketCommandType } from '../ticket.commands';
import { decide, type DecideContext } from '../ticket.decider';
import type { TicketEvent } from '../ticket.events';
import { evolveAll, initialState, type Ticket, type TicketState } from '../ticket.state';

export const T0 = new Date('2026-11-25T10:00:00.000Z');
export const at = (offsetMs: number): Date => new Date(T0.getTime() + offsetMs);

export const customer: Actor = { role: 'customer', id: 'cust-1' };
export const otherCustomer: Actor = { role: 'customer', id: 'cust-2' };
export const merchantAgent: Actor = { role: 'merchant_agent', id: 'agent-1', merchantId: 'merchant-1' };
export const otherMerchantAgent: Actor = { role: 'merchant_agent', id: 'agent-9', merchantId: 'merchant-9' };
export const platformAgent: Actor = { role: 'platform_agent', id: 'arbiter-1' };
export const warehouse: Actor = { role: 'warehouse', id: 'wms-1' };
export const finance: Actor = { role: 'finance', id: 'fin-1' };
export const system: Actor = SYSTEM_ACTOR;

export const returnAddress: PostalAddress = {
  recipient: 'Returns desk',
  phone: '010-5555',
  address: '1 Depot Road, Hangzhou',
};
export const homeAddress: PostalAddress = {
  recipient: 'Li Lei',
  phone: '138-0000-0000',
  address: '9 Garden Lane, Shanghai',
};

/**
 * Three lines, goods 65.00, coupon 10.00, coins 3.00, shipping 8.00. Allocated by line amount
 * (20.00 / 30.00 / 15.00): coupon 3.08 / 4.61 / 2.31, coins 0.92 / 1.39 / 0.69, so actual paid
 * 16.00 / 24.00 / 12.00.
 */
export function anOrder(overrides: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    orderId: 'order-1',
    merchantId: 'merchant-1',
    customerId: 'cust-1',
    state: 'SHIPPED',
    paidAt: '2026-11-20T10:00:00.000Z',
    completedAt: null,
    paymentNo: 'PAY-1',
    lines: [
      { lineId: 'L1', sku: 'SKU-A', title: 'Tea cup', category: 'home', unitPrice: 1000, quantity: 2 },
      { lineId: 'L2', sku: 'SKU-B', title: 'Kettle', category: 'appliance', unitPrice: 3000, quantity: 1 },
      { lineId: 'L3', sku: 'SKU-C', title: 'Tea leaves', category: 'food', unitPrice: 500, quantity: 3 },
    ],
    couponDiscount: 1000,
    promotionDiscount: 0,
    coinsDeduction: 300,
    shippingFee: 800,
    platformSubsidy: 0,
    ...overrides,
  };
}

export function cmd<T extends TicketCommandType>(
  type: T,
  data: Extract<TicketCommand, { type: T }>['data'],
  actor: Actor,
  now: Date = T0,
): Extract<TicketCommand, { type: T }> {
  return { type, data, metadata: { actor, now } } as Extract<TicketCommand, { type: T }>;
}

export interface ApplicationOptions {
  type?: AfterSalesType;
  lines?: RequestedLine[];
  order?: OrderSnapshot;
  policy?: MerchantPolicy;
  lineHistory?: LineHistory[];
  now?: Date;
  actor?: Actor;
}

export function application(options: ApplicationOptions = {}): {
  command: TicketCommand;
  context: DecideContext;
} {
  const type = options.type ?? 'RETURN_AND_REFUND';
  return {
    command: cmd(
      'ApplyForAfterSales',
      {
        type,
        lines: options.lines ?? [{ lineId: 'L1', quantity: 1 }],
        reasonCode: 'QUALITY_PROBLEM',
        description: 'The handle came off',
        evidence: ['https://img.example.com/cup.jpg'],
        exchangeAddress: type === 'EXCHANGE' ? homeAddress : null,
      },
      options.actor ?? customer,
      options.now ?? T0,
    ),
    context: {
      application: {
        ticketId: 'ticket-1',
        ticketNo: 'AS202611250000001',
        order: options.order ?? anOrder(),
        lineHistory: options.lineHistory ?? [],
        policy: options.policy ?? DEFAULT_MERCHANT_POLICY,
      },
    },
  };
}

export interface Step {
  command: TicketCommand;
  context?: DecideContext;
}

/** Runs commands through decide and evolve: the "given" of a specification. */
export function history(...steps: Step[]): TicketEvent[] {
  const events: TicketEvent[] = [];
  let state: TicketState = initialState;
  for (const step of steps) {
    const produced = decide(step.command, state, step.context);
    events.push(...produced);
    state = evolveAll(produced, state);
  }
  return events;
}

export function stateOf(events: readonly TicketEvent[]): Ticket {
  const state = evolveAll(events);
  if (state.status === 'NONE') throw new Error('no ticket in these events');
  return state;
}

/** The refund service's report that the ticket's current refund attempt was paid, as asked. */
export function refundPaidOf(ticket: Ticket, refundId = 'refund-1', now = at(2 * HOUR)): TicketCommand {
  if (ticket.refund === null) throw new Error(`ticket ${ticket.ticketNo} asked for no refund`);
  const { attempt, cash, coins } = ticket.refund;
  return cmd('RecordRefundPaid', { attempt, refundId, cash, coins }, system, now);
}

/** refundPaidOf the ticket these events make. */
export const paidAsAsked = (given: readonly TicketEvent[], refundId?: string, now?: Date): TicketCommand =>
  refundPaidOf(stateOf(given), refundId, now);

export function typesOf(events: readonly TicketEvent[]): string[] {
  return events.map((event) => event.type);
}

// Steps, in the order a ticket lives them. Times move forward so deadlines are meaningful.
export const approveReturn = (now = at(HOUR)): Step => ({
  command: cmd('ApproveTicket', { returnAddress, note: null }, merchantAgent, now),
});
export const approveRefund = (now = at(HOUR)): Step => ({
  command: cmd('ApproveTicket', { returnAddress: null, note: 'ok' }, merchantAgent, now),
});
export const shipReturn = (now = at(2 * HOUR)): Step => ({
  command: cmd('SubmitReturnShipment', { carrier: 'SF', trackingNo: 'SF123' }, customer, now),
});
export const stockInMatching = (now = at(3 * HOUR)): Step => ({
  command: cmd(
    'RecordStockIn',
    { lines: [{ lineId: 'L1', quantityReceived: 1, dispositions: ['RESTOCKABLE'] }], note: null },
    warehouse,
    now,
  ),
});
/** The replacement parcel as the stock-out task of the default exchange asked for it. */
export const SHIPPED_AS_ASKED = [{ lineId: 'L1', quantity: 1 }];
export const stockInDamaged = (now = at(3 * HOUR)): Step => ({
  command: cmd(
    'RecordStockIn',
    {
      lines: [{ lineId: 'L1', quantityReceived: 1, dispositions: ['DAMAGED_OR_NOT_AS_DESCRIBED'] }],
      note: 'scratched',
    },
    warehouse,
    now,
  ),
});
export const propose = (amount: number, now = at(4 * HOUR)): Step => ({
  command: cmd('ProposeRefundAmount', { amount, note: 'scratched cup' }, merchantAgent, now),
});
export const refundFailed = (attempt = 1, now = at(5 * HOUR)): Step => ({
  command: cmd(
    'RecordRefundFailed',
    { attempt, refundId: `refund-${attempt}`, reason: 'gateway timeout' },
    system,
    now,
  ),
});
export const refundRejected = (attempt = 1, now = at(5 * HOUR)): Step => ({
  command: cmd(
    'RecordRefundRejected',
    { attempt, refundId: `refund-${attempt}`, reason: 'suspected fraud' },
    finance,
    now,
  ),
});

/** An agent closes a return whose damaged cup the warehouse holds: it is to go back to the customer. */
export const goodsSentBack = (): TicketEvent[] =>
  history(application(), approveReturn(), shipReturn(), stockInDamaged(), {
    command: cmd('CloseTicket', { note: 'used goods' }, merchantAgent, at(4 * HOUR)),
  });

/** A refund-only application after shipment, paid long before (no auto-approval). */
export const refundOnlyApplication = (options: ApplicationOptions = {}): Step =>
  application({ type: 'REFUND_ONLY', ...options });

/** One representative ticket history per status, for table-driven tests. */
export const GIVEN_BY_STATUS = {
  PENDING_REVIEW: () => history(application()),
  INTERCEPTING: () =>
    history(
      application({
        type: 'REFUND_ONLY',
        order: anOrder({ state: 'AWAITING_SHIPMENT' }),
        lines: wholeOrder(),
      }),
    ),
  CANCELLING: () =>
    history(
      application({
        type: 'CANCEL_ORDER',
        order: anOrder({ state: 'PENDING_PAYMENT', paidAt: null, paymentNo: null }),
        lines: [],
      }),
    ),
  AWAITING_CUSTOMER_RETURN: () => history(application(), approveReturn()),
  AWAITING_STOCK_IN: () => history(application(), approveReturn(), shipReturn()),
  IN_NEGOTIATION: () => history(application(), approveReturn(), shipReturn(), stockInDamaged()),
  AWAITING_EXCHANGE_SHIPMENT: () =>
    history(application({ type: 'EXCHANGE' }), approveReturn(), shipReturn(), stockInMatching()),
  AWAITING_REFUND: () => history(refundOnlyApplication(), approveRefund()),
  SUCCEEDED: () => {
    const awaiting = history(refundOnlyApplication(), approveRefund());
    return [...awaiting, ...decide(paidAsAsked(awaiting), evolveAll(awaiting))];
  },
  CLOSED: () => history(application(), { command: cmd('CancelTicket', { note: null }, customer, at(HOUR)) }),
} as const;

export function wholeOrder(order: OrderSnapshot = anOrder()): RequestedLine[] {
  return order.lines.map((line) => ({ lineId: line.lineId, quantity: line.quantity }));
}
