import { DAY, HOUR, MINUTE } from '@aftersales/kernel';
import {
  decide,
  DEFAULT_MERCHANT_POLICY,
  evolve,
  initialState,
  type MerchantPolicy,
  type Ticket,
  type TicketCommandType,
  type TicketState,
} from '../../domain';
import {
  anOrder,
  application,
  approveRefund,
  approveReturn,
  at,
  cmd,
  customer,
  finance,
  merchantAgent,
  platformAgent,
  propose,
  refundFailed,
  refundOnlyApplication,
  refundRejected,
  returnAddress,
  shipReturn,
  type Step,
  stockInDamaged,
  stockInMatching,
  system,
  T0,
  warehouse,
  wholeOrder,
  SHIPPED_AS_ASKED,
  refundPaidOf,
} from '../../domain/__tests__/ticket.fixtures';
import type { RecordedTicketChange } from './outbound';
import { refundIdFor } from './refund-id';

/**
 * Every ticket flow of DOMAIN.md driven through the real decider, one recorded batch per command:
 * the input the outbox mapping and the timeline get in production.
 */

export const TICKET_ID = 'ticket-1';

/** A step may depend on the ticket so far, e.g. a deadline fires at the due time it holds. */
export type FlowStep = Step | ((ticket: Ticket) => Step);

export interface RecordedBatch {
  command: TicketCommandType;
  changes: RecordedTicketChange[];
}

export function runFlow(steps: readonly FlowStep[]): RecordedBatch[] {
  let state: TicketState = initialState;
  return steps.map((step) => {
    const { command, context } = typeof step === 'function' ? step(requireTicket(state)) : step;
    const changes = decide(command, state, context).map((event) => {
      const before = state;
      state = evolve(state, event);
      return { event, before, after: state };
    });
    return { command: command.type, changes };
  });
}

function requireTicket(state: TicketState): Ticket {
  if (state.status === 'NONE') throw new Error('the flow has no ticket yet');
  return state;
}

/** The ticket's running deadline fires at its due time. */
export const expire = (ticket: Ticket): Step => {
  if (ticket.deadline === null) throw new Error(`no deadline runs in ${ticket.status}`);
  const { state, dueAt } = ticket.deadline;
  return { command: cmd('ExpireDeadline', { state, dueAt }, system, new Date(dueAt)) };
};

/** The refund service reports the current attempt paid, as asked, under the refund order id it was given. */
export const refundPaid =
  (now: Date): FlowStep =>
  (ticket) => ({
    command: refundPaidOf(ticket, ticket.refund ? refundIdFor(ticket.refund.idempotencyKey) : undefined, now),
  });

/** Finance approves the current attempt as it was requested. */
export const refundApproved =
  (now: Date): FlowStep =>
  (ticket) => {
    if (ticket.refund === null) throw new Error(`ticket ${ticket.ticketNo} requested no refund`);
    const { attempt, idempotencyKey, cash, coins } = ticket.refund;
    return {
      command: cmd(
        'RecordRefundApproved',
        { attempt, refundId: refundIdFor(idempotencyKey), cash, coins, automatic: false },
        finance,
        now,
      ),
    };
  };

const policy = (change: Partial<MerchantPolicy>): MerchantPolicy => ({
  ...DEFAULT_MERCHANT_POLICY,
  ...change,
});

const unpaidOrder = anOrder({ state: 'PENDING_PAYMENT', paidAt: null, paymentNo: null });
const cancelOrder: Step = application({ type: 'CANCEL_ORDER', order: unpaidOrder, lines: [] });
const refundBeforeShipment: Step = application({
  type: 'REFUND_ONLY',
  order: anOrder({ state: 'AWAITING_SHIPMENT' }),
  lines: wholeOrder(),
});
const exchange: Step = application({ type: 'EXCHANGE' });
const intercepted = (intercepted: boolean, note: string | null = null, now = at(10 * MINUTE)): Step => ({
  command: cmd(
    'RecordInterceptionResult',
    intercepted ? { intercepted: true, note } : { intercepted: false, reason: 'ALREADY_SHIPPED', note },
    warehouse,
    now,
  ),
});
const exchangeShipped = (now: Date): Step => ({
  command: cmd(
    'RecordExchangeShipped',
    { lines: SHIPPED_AS_ASKED, carrier: 'SF Express', trackingNo: 'SF5555666677' },
    warehouse,
    now,
  ),
});

const awaitingReplacement: Step[] = [exchange, approveReturn(), shipReturn(), stockInMatching()];
const ruling = (ruling: 'FORCE_CLOSE' | 'FORCE_REFUND', note: string, now: Date): Step => ({
  command: cmd('Intervene', { ruling, note, amount: null }, platformAgent, now),
});

export const FLOWS = {
  'cancel order, order closed': [
    cancelOrder,
    { command: cmd('RecordOrderClosed', {}, system, at(5 * MINUTE)) },
  ],
  'cancel order, already paid': [
    cancelOrder,
    { command: cmd('RecordOrderPaid', {}, system, at(5 * MINUTE)) },
  ],
  'refund before shipment, intercepted': [refundBeforeShipment, intercepted(true), refundPaid(at(HOUR))],
  'refund before shipment, not interceptable': [
    refundBeforeShipment,
    intercepted(false, 'Parcel handed to the carrier at 10:02'),
    approveRefund(at(HOUR)),
    refundPaid(at(2 * HOUR)),
  ],
  'refund before shipment, interception deadline': [refundBeforeShipment, expire],
  'refund before shipment, interception deadline, cancelled, then intercepted': [
    refundBeforeShipment,
    expire,
    { command: cmd('CancelTicket', { note: 'Bought elsewhere' }, customer, at(HOUR)) },
    intercepted(true, 'Held at the dock', at(2 * HOUR)),
  ],
  'refund after shipment, approved': [
    refundOnlyApplication(),
    approveRefund(),
    refundApproved(at(90 * MINUTE)),
    refundPaid(at(2 * HOUR)),
  ],
  'refund after shipment, rejected': [
    refundOnlyApplication(),
    {
      command: cmd(
        'RejectTicket',
        { reasonCode: 'USED_OR_DAMAGED_BY_CUSTOMER', note: 'The cup shows signs of use' },
        merchantAgent,
        at(HOUR),
      ),
    },
  ],
  'refund after shipment, approved automatically': [
    refundOnlyApplication({ order: anOrder({ paidAt: new Date(T0.getTime() - 10 * MINUTE).toISOString() }) }),
    refundPaid(at(HOUR)),
  ],
  'return, matches': [
    application(),
    approveReturn(),
    shipReturn(),
    stockInMatching(),
    refundPaid(at(4 * HOUR)),
  ],
  'return, mismatch, offer accepted': [
    application(),
    approveReturn(),
    shipReturn(),
    stockInDamaged(),
    propose(600),
    { command: cmd('AcceptOffer', { amount: 600 }, customer, at(5 * HOUR)) },
    refundPaid(at(6 * HOUR)),
  ],
  'return, mismatch, offer declined': [
    application(),
    approveReturn(),
    shipReturn(),
    stockInDamaged(),
    propose(600),
    { command: cmd('DeclineOffer', { note: 'Too little' }, customer, at(5 * HOUR)) },
    {
      command: cmd(
        'RecordGoodsReturnedToCustomer',
        { lines: [{ lineId: 'L1', quantity: 1 }], carrier: 'SF Express', trackingNo: 'SF7777888899' },
        warehouse,
        at(DAY),
      ),
    },
  ],
  'exchange, matches': [
    exchange,
    approveReturn(),
    shipReturn(),
    stockInMatching(),
    exchangeShipped(at(4 * HOUR)),
  ],
  'exchange, mismatch, shipped anyway': [
    exchange,
    approveReturn(),
    shipReturn(),
    stockInDamaged(),
    {
      command: cmd(
        'ShipExchangeDespiteMismatch',
        { note: 'Scratch is cosmetic' },
        merchantAgent,
        at(4 * HOUR),
      ),
    },
    exchangeShipped(at(5 * HOUR)),
  ],
  'deadline: review, refund approved by the system': [refundOnlyApplication(), expire],
  'deadline: review, return escalated without a default address': [application(), expire],
  'deadline: review, return approved to the default address': [
    application({ policy: policy({ defaultReturnAddress: returnAddress }) }),
    expire,
  ],
  'deadline: customer return': [application(), approveReturn(), expire],
  'deadline: stock-in, closed': [application(), approveReturn(), shipReturn(), expire],
  'deadline: stock-in, refunded automatically': [
    application({ policy: policy({ stockInTimeoutAction: 'AUTO_REFUND' }) }),
    approveReturn(),
    shipReturn(),
    expire,
  ],
  'deadline: stock-in, closed, then the return arrives': [
    application(),
    approveReturn(),
    shipReturn(),
    expire,
    stockInDamaged(at(15 * DAY)),
  ],
  'deadline: stock-in, refunded automatically, then the return arrives': [
    application({ policy: policy({ stockInTimeoutAction: 'AUTO_REFUND' }) }),
    approveReturn(),
    shipReturn(),
    expire,
    refundPaid(at(15 * DAY)),
    stockInMatching(at(16 * DAY)),
  ],
  'deadline: negotiation': [application(), approveReturn(), shipReturn(), stockInDamaged(), expire],
  'deadline: exchange shipment escalated': [
    exchange,
    approveReturn(),
    shipReturn(),
    stockInMatching(),
    expire,
  ],
  'refund failed, requested again': [
    refundOnlyApplication(),
    approveRefund(),
    refundFailed(1),
    { command: cmd('RequestRefundAgain', { note: 'Gateway is back' }, merchantAgent, at(6 * HOUR)) },
    refundPaid(at(7 * HOUR)),
  ],
  'refund rejected, adjusted and requested again': [
    refundOnlyApplication(),
    approveRefund(),
    refundRejected(1),
    {
      command: cmd(
        'AdjustRefundAmount',
        { amount: 500, note: 'Finance capped it' },
        merchantAgent,
        at(6 * HOUR),
      ),
    },
    {
      command: cmd('SubsidiseShipping', { amount: 300, note: 'Return postage' }, merchantAgent, at(6 * HOUR)),
    },
    { command: cmd('RequestRefundAgain', { note: 'Lower amount' }, merchantAgent, at(7 * HOUR)) },
    refundPaid(at(8 * HOUR)),
  ],
  'compensation coupon': [
    refundOnlyApplication(),
    {
      command: cmd(
        'IssueCompensationCoupon',
        { couponValue: 1000, note: 'Sorry for the wait' },
        merchantAgent,
        at(HOUR),
      ),
    },
  ],
  'customer cancels': [application(), { command: cmd('CancelTicket', { note: null }, customer, at(HOUR)) }],
  'platform records a finding, then closes': [
    application(),
    approveReturn(),
    shipReturn(),
    stockInDamaged(),
    {
      command: cmd(
        'Intervene',
        { ruling: 'RECORD_ONLY', note: 'Photos reviewed', amount: null },
        platformAgent,
        at(4 * HOUR),
      ),
    },
    {
      command: cmd(
        'Intervene',
        { ruling: 'FORCE_CLOSE', note: 'Damage caused by the customer', amount: null },
        platformAgent,
        at(5 * HOUR),
      ),
    },
  ],
  'platform forces a refund': [
    refundOnlyApplication(),
    {
      command: cmd(
        'Intervene',
        { ruling: 'FORCE_REFUND', note: 'Merchant unresponsive', amount: 700 },
        platformAgent,
        at(HOUR),
      ),
    },
    refundPaid(at(2 * HOUR)),
  ],
  'platform refunds an exchange out of stock; the replacement had left': [
    ...awaitingReplacement,
    ruling('FORCE_REFUND', 'Merchant out of stock', at(2 * DAY)),
    exchangeShipped(at(2 * DAY + HOUR)),
    refundPaid(at(2 * DAY + 2 * HOUR)),
  ],
  'platform closes an exchange awaiting its replacement': [
    ...awaitingReplacement,
    ruling('FORCE_CLOSE', 'Counterfeit return', at(2 * DAY)),
  ],
} satisfies Record<string, readonly FlowStep[]>;

export type FlowName = keyof typeof FLOWS;

export const FLOW_NAMES = Object.keys(FLOWS) as FlowName[];
