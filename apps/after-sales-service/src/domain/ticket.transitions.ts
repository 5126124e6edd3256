import type { Role } from '@aftersales/kernel';
import {
  TICKET_STATUSES,
  type TicketStatus,
  WAITING_STATUSES,
  type WaitingStatus,
} from './after-sales.catalogues';
import { DEFAULT_MERCHANT_POLICY } from './policy';
import type { TicketCommandType } from './ticket.commands';
import type { ExpiryAction } from './ticket.events';
import type { Ticket } from './ticket.state';

/** 'NONE' is the empty stream: the only command it accepts creates the ticket. */
export type FromStatus = 'NONE' | TicketStatus;

/**
 * One allowed move. Several rows may share `from` and `command` when the outcome depends on the
 * command's data (e.g. inspection match or mismatch); `applies` narrows rows by what the ticket
 * already is (its type, a pending offer, a stalled refund). decide refuses any command without a
 * row for the current status, and any outcome whose status is not the `to` of an applicable row.
 */
export interface TransitionRow {
  from: FromStatus;
  command: TicketCommandType;
  to: TicketStatus;
  guard: string;
  applies?: (ticket: Ticket) => boolean;
}

const AGENTS: readonly Role[] = ['merchant_agent', 'platform_agent'];

/** Who may issue each command; ownership (own order, own merchant) is checked on top of the role. */
export const COMMAND_ACTORS: Record<TicketCommandType, readonly Role[]> = {
  ApplyForAfterSales: ['customer'],
  CancelTicket: ['customer'],
  ApproveTicket: AGENTS,
  RejectTicket: AGENTS,
  SubmitReturnShipment: ['customer'],
  RecordStockIn: ['warehouse', 'system'],
  ProposeRefundAmount: AGENTS,
  AcceptOffer: ['customer'],
  DeclineOffer: ['customer'],
  AdjustRefundAmount: AGENTS,
  SubsidiseShipping: AGENTS,
  IssueCompensationCoupon: AGENTS,
  ShipExchangeDespiteMismatch: AGENTS,
  CloseTicket: AGENTS,
  RecordInterceptionResult: ['warehouse', 'system'],
  RecordRefundPaid: ['system'],
  RecordRefundApproved: ['finance', 'system'],
  RecordRefundFailed: ['system'],
  RecordRefundRejected: ['finance', 'system'],
  RequestRefundAgain: AGENTS,
  RecordOrderClosed: ['system'],
  RecordOrderPaid: ['system'],
  RecordExchangeShipped: ['warehouse', 'system'],
  RecordGoodsReturnedToCustomer: ['warehouse', 'system'],
  ExpireDeadline: ['system'],
  Intervene: ['platform_agent'],
};

export const TICKET_COMMAND_TYPES = Object.keys(COMMAND_ACTORS) as TicketCommandType[];

const refundOnly = (t: Ticket): boolean => t.type === 'REFUND_ONLY';
const returnAndRefund = (t: Ticket): boolean => t.type === 'RETURN_AND_REFUND';
const exchange = (t: Ticket): boolean => t.type === 'EXCHANGE';
const returnsGoods = (t: Ticket): boolean => t.type === 'RETURN_AND_REFUND' || t.type === 'EXCHANGE';
/** Exchanges pay nothing unless the platform rules a refund, so agents' money powers skip them. */
const paysRefund = (t: Ticket): boolean => t.type === 'REFUND_ONLY' || t.type === 'RETURN_AND_REFUND';
const offerPending = (t: Ticket): boolean => t.offer?.status === 'PENDING';
/** The ticket asked the warehouse to stop the parcel, so the warehouse may still answer. */
const interceptionAsked = (t: Ticket): boolean => t.interception !== null;
/** The last refund attempt failed or finance rejected it: nothing is in flight, so the amount may change. */
export const refundStalled = (t: Ticket): boolean =>
  t.refund?.status === 'FAILED' || t.refund?.status === 'REJECTED';
const refundRejected = (t: Ticket): boolean => t.refund?.status === 'REJECTED';
const goodsSentBack = (t: Ticket): boolean => t.goodsReturnRequested;
/** The customer shipped the goods back and the ticket ended before the warehouse reported them. */
const stockInOutstanding = (t: Ticket): boolean => t.returnShipment !== null && t.inspection === null;
/**
 * The replacement was recorded (a repeated report changes nothing), or a ruling cancelled its
 * stock-out and the warehouse may still report that it had left.
 */
const replacementReportable = (t: Ticket): boolean =>
  t.exchangeStockOutCancelled || t.exchangeShipment !== null;

const STALE = 'stale deadline (set for another state or already replaced): ignored, no events';
const LATE_INTERCEPTION =
  'an interception answer after the deadline, or contradicting the first: where the parcel is, recorded; the same answer again changes nothing';

/**
 * Platform arbitration rows for a state where a ruling can force a refund or a close; `also` says
 * what else a ruling there undoes.
 */
function arbitration(from: TicketStatus, also = ''): TransitionRow[] {
  return [
    { from, command: 'Intervene', to: from, guard: 'RECORD_ONLY: the ruling is recorded on the timeline' },
    {
      from,
      command: 'Intervene',
      to: 'CLOSED',
      guard: `FORCE_CLOSE (CLOSED_BY_PLATFORM); goods held by the warehouse go back${also}`,
    },
    {
      from,
      command: 'Intervene',
      to: 'AWAITING_REFUND',
      guard: `FORCE_REFUND of the given amount (0..actual paid) or the current one${also}`,
    },
  ];
}

/** THE transition table. DOMAIN.md's flows, row by row; docs/after-sales-state-machine.md is generated from it. */
export const TRANSITIONS: readonly TransitionRow[] = [
  // Application
  {
    from: 'NONE',
    command: 'ApplyForAfterSales',
    to: 'CANCELLING',
    guard: 'CANCEL_ORDER of an unpaid order: the order side is asked to close it',
  },
  {
    from: 'NONE',
    command: 'ApplyForAfterSales',
    to: 'INTERCEPTING',
    guard: 'REFUND_ONLY before shipment: the warehouse is asked to stop the parcel',
  },
  {
    from: 'NONE',
    command: 'ApplyForAfterSales',
    to: 'AWAITING_REFUND',
    guard:
      'REFUND_ONLY after shipment within the policy minutes of payment: approved by the system, refund requested',
  },
  {
    from: 'NONE',
    command: 'ApplyForAfterSales',
    to: 'PENDING_REVIEW',
    guard: 'any other eligible application',
  },

  // PENDING_REVIEW
  {
    from: 'PENDING_REVIEW',
    command: 'CancelTicket',
    to: 'CLOSED',
    guard: 'the customer withdraws (CANCELLED_BY_CUSTOMER)',
  },
  {
    from: 'PENDING_REVIEW',
    command: 'ApproveTicket',
    to: 'AWAITING_REFUND',
    guard: 'REFUND_ONLY: refund requested',
    applies: refundOnly,
  },
  {
    from: 'PENDING_REVIEW',
    command: 'ApproveTicket',
    to: 'AWAITING_CUSTOMER_RETURN',
    guard: 'RETURN_AND_REFUND or EXCHANGE: a return address is required',
    applies: returnsGoods,
  },
  {
    from: 'PENDING_REVIEW',
    command: 'RejectTicket',
    to: 'CLOSED',
    guard: 'reason code from the catalogue and a note (REJECTED)',
  },
  {
    from: 'PENDING_REVIEW',
    command: 'AdjustRefundAmount',
    to: 'PENDING_REVIEW',
    guard: 'refund types; 0..actual paid, note',
    applies: paysRefund,
  },
  {
    from: 'PENDING_REVIEW',
    command: 'SubsidiseShipping',
    to: 'PENDING_REVIEW',
    guard: 'refund types; amount > 0, note',
    applies: paysRefund,
  },
  {
    from: 'PENDING_REVIEW',
    command: 'IssueCompensationCoupon',
    to: 'PENDING_REVIEW',
    guard: 'coupon value > 0, note',
  },
  {
    from: 'PENDING_REVIEW',
    command: 'ExpireDeadline',
    to: 'AWAITING_REFUND',
    guard: 'REFUND_ONLY: approved by the system, refund requested',
    applies: refundOnly,
  },
  {
    from: 'PENDING_REVIEW',
    command: 'ExpireDeadline',
    to: 'AWAITING_CUSTOMER_RETURN',
    guard: 'RETURN_AND_REFUND or EXCHANGE with a policy default return address: approved by the system',
    applies: returnsGoods,
  },
  {
    from: 'PENDING_REVIEW',
    command: 'ExpireDeadline',
    to: 'PENDING_REVIEW',
    guard: `no default return address: escalated to a platform agent; or ${STALE}`,
  },
  {
    from: 'PENDING_REVIEW',
    command: 'RecordInterceptionResult',
    to: 'AWAITING_REFUND',
    guard:
      'late report (after the interception deadline, or after "not interceptable"): intercepted after all, approved by the system',
    applies: interceptionAsked,
  },
  {
    from: 'PENDING_REVIEW',
    command: 'RecordInterceptionResult',
    to: 'PENDING_REVIEW',
    guard:
      'late report after the interception deadline: not interceptable, recorded; the same answer again changes nothing',
    applies: interceptionAsked,
  },
  ...arbitration('PENDING_REVIEW'),

  // INTERCEPTING
  {
    from: 'INTERCEPTING',
    command: 'RecordInterceptionResult',
    to: 'AWAITING_REFUND',
    guard: 'intercepted: approved by the system, refund requested',
  },
  {
    from: 'INTERCEPTING',
    command: 'RecordInterceptionResult',
    to: 'PENDING_REVIEW',
    guard: 'not interceptable (already left): a human reviews; the shipping fee is no longer refunded',
  },
  {
    from: 'INTERCEPTING',
    command: 'ExpireDeadline',
    to: 'PENDING_REVIEW',
    guard: 'treated as not interceptable: a human reviews',
  },
  { from: 'INTERCEPTING', command: 'ExpireDeadline', to: 'INTERCEPTING', guard: STALE },
  {
    from: 'INTERCEPTING',
    command: 'Intervene',
    to: 'INTERCEPTING',
    guard: 'RECORD_ONLY (the warehouse answer is awaited)',
  },

  // CANCELLING
  {
    from: 'CANCELLING',
    command: 'RecordOrderClosed',
    to: 'SUCCEEDED',
    guard: 'the order side closed the order (ORDER_CANCELLED)',
  },
  {
    from: 'CANCELLING',
    command: 'RecordOrderPaid',
    to: 'CLOSED',
    guard: 'the order was paid meanwhile (ORDER_ALREADY_PAID)',
  },
  { from: 'CANCELLING', command: 'ExpireDeadline', to: 'CANCELLING', guard: STALE },
  {
    from: 'CANCELLING',
    command: 'Intervene',
    to: 'CANCELLING',
    guard: 'RECORD_ONLY (the order side answer is awaited)',
  },

  // AWAITING_CUSTOMER_RETURN
  {
    from: 'AWAITING_CUSTOMER_RETURN',
    command: 'CancelTicket',
    to: 'CLOSED',
    guard: 'the customer withdraws (CANCELLED_BY_CUSTOMER)',
  },
  {
    from: 'AWAITING_CUSTOMER_RETURN',
    command: 'SubmitReturnShipment',
    to: 'AWAITING_STOCK_IN',
    guard: 'carrier and tracking number: a return stock-in task is requested',
  },
  { from: 'AWAITING_CUSTOMER_RETURN', command: 'ExpireDeadline', to: 'CLOSED', guard: 'RETURN_TIMEOUT' },
  {
    from: 'AWAITING_CUSTOMER_RETURN',
    command: 'ExpireDeadline',
    to: 'AWAITING_CUSTOMER_RETURN',
    guard: STALE,
  },
  {
    from: 'AWAITING_CUSTOMER_RETURN',
    command: 'AdjustRefundAmount',
    to: 'AWAITING_CUSTOMER_RETURN',
    guard: 'refund types; 0..actual paid, note',
    applies: paysRefund,
  },
  {
    from: 'AWAITING_CUSTOMER_RETURN',
    command: 'SubsidiseShipping',
    to: 'AWAITING_CUSTOMER_RETURN',
    guard: 'refund types; amount > 0, note',
    applies: paysRefund,
  },
  {
    from: 'AWAITING_CUSTOMER_RETURN',
    command: 'IssueCompensationCoupon',
    to: 'AWAITING_CUSTOMER_RETURN',
    guard: 'coupon value > 0, note',
  },
  ...arbitration('AWAITING_CUSTOMER_RETURN'),

  // AWAITING_STOCK_IN
  {
    from: 'AWAITING_STOCK_IN',
    command: 'RecordStockIn',
    to: 'AWAITING_REFUND',
    guard: 'RETURN_AND_REFUND and the inspection matches: refund requested',
    applies: returnAndRefund,
  },
  {
    from: 'AWAITING_STOCK_IN',
    command: 'RecordStockIn',
    to: 'AWAITING_EXCHANGE_SHIPMENT',
    guard: 'EXCHANGE and the inspection matches: exchange stock-out requested',
    applies: exchange,
  },
  {
    from: 'AWAITING_STOCK_IN',
    command: 'RecordStockIn',
    to: 'IN_NEGOTIATION',
    guard: 'mismatch: fewer units received, or any unit damaged / not as described / missing',
  },
  {
    from: 'AWAITING_STOCK_IN',
    command: 'ExpireDeadline',
    to: 'CLOSED',
    guard: 'policy CLOSE, or an exchange (STOCK_IN_TIMEOUT)',
  },
  {
    from: 'AWAITING_STOCK_IN',
    command: 'ExpireDeadline',
    to: 'AWAITING_REFUND',
    guard: 'RETURN_AND_REFUND with policy AUTO_REFUND: refund requested',
    applies: returnAndRefund,
  },
  { from: 'AWAITING_STOCK_IN', command: 'ExpireDeadline', to: 'AWAITING_STOCK_IN', guard: STALE },
  {
    from: 'AWAITING_STOCK_IN',
    command: 'AdjustRefundAmount',
    to: 'AWAITING_STOCK_IN',
    guard: 'refund types; 0..actual paid, note',
    applies: paysRefund,
  },
  {
    from: 'AWAITING_STOCK_IN',
    command: 'SubsidiseShipping',
    to: 'AWAITING_STOCK_IN',
    guard: 'refund types; amount > 0, note',
    applies: paysRefund,
  },
  {
    from: 'AWAITING_STOCK_IN',
    command: 'IssueCompensationCoupon',
    to: 'AWAITING_STOCK_IN',
    guard: 'coupon value > 0, note',
  },
  ...arbitration('AWAITING_STOCK_IN'),

  // IN_NEGOTIATION
  {
    from: 'IN_NEGOTIATION',
    command: 'ProposeRefundAmount',
    to: 'IN_NEGOTIATION',
    guard: 'RETURN_AND_REFUND; 0..actual paid, note; replaces any pending offer',
    applies: returnAndRefund,
  },
  {
    from: 'IN_NEGOTIATION',
    command: 'AcceptOffer',
    to: 'AWAITING_REFUND',
    guard: 'an offer is pending and its amount is the one accepted: refund of the agreed amount requested',
    applies: offerPending,
  },
  {
    from: 'IN_NEGOTIATION',
    command: 'DeclineOffer',
    to: 'CLOSED',
    guard: 'an offer is pending: goods are sent back (NEGOTIATION_DECLINED)',
    applies: offerPending,
  },
  {
    from: 'IN_NEGOTIATION',
    command: 'ShipExchangeDespiteMismatch',
    to: 'AWAITING_EXCHANGE_SHIPMENT',
    guard: 'EXCHANGE; note: exchange stock-out requested',
    applies: exchange,
  },
  {
    from: 'IN_NEGOTIATION',
    command: 'CloseTicket',
    to: 'CLOSED',
    guard: 'note; goods are sent back (CLOSED_BY_AGENT)',
  },
  {
    from: 'IN_NEGOTIATION',
    command: 'SubsidiseShipping',
    to: 'IN_NEGOTIATION',
    guard: 'refund types; amount > 0, note',
    applies: paysRefund,
  },
  {
    from: 'IN_NEGOTIATION',
    command: 'IssueCompensationCoupon',
    to: 'IN_NEGOTIATION',
    guard: 'coupon value > 0, note',
  },
  {
    from: 'IN_NEGOTIATION',
    command: 'ExpireDeadline',
    to: 'CLOSED',
    guard: 'NEGOTIATION_TIMEOUT; goods are sent back',
  },
  { from: 'IN_NEGOTIATION', command: 'ExpireDeadline', to: 'IN_NEGOTIATION', guard: STALE },
  ...arbitration('IN_NEGOTIATION'),

  // AWAITING_EXCHANGE_SHIPMENT
  {
    from: 'AWAITING_EXCHANGE_SHIPMENT',
    command: 'RecordExchangeShipped',
    to: 'SUCCEEDED',
    guard: 'carrier and tracking number of the replacement (EXCHANGED)',
  },
  {
    from: 'AWAITING_EXCHANGE_SHIPMENT',
    command: 'ExpireDeadline',
    to: 'AWAITING_EXCHANGE_SHIPMENT',
    guard: `escalated to a platform agent (recorded on the timeline); or ${STALE}`,
  },
  {
    from: 'AWAITING_EXCHANGE_SHIPMENT',
    command: 'IssueCompensationCoupon',
    to: 'AWAITING_EXCHANGE_SHIPMENT',
    guard: 'coupon value > 0, note',
  },
  ...arbitration('AWAITING_EXCHANGE_SHIPMENT', "; the replacement's stock-out is cancelled"),

  // AWAITING_REFUND
  {
    from: 'AWAITING_REFUND',
    command: 'RecordRefundPaid',
    to: 'SUCCEEDED',
    guard: 'the current attempt was paid (REFUNDED or RETURNED)',
  },
  {
    from: 'AWAITING_REFUND',
    command: 'RecordStockIn',
    to: 'AWAITING_REFUND',
    guard: 'refund requested without inspection (stock-in deadline): the late inspection is recorded',
    applies: stockInOutstanding,
  },
  {
    from: 'AWAITING_REFUND',
    command: 'RecordInterceptionResult',
    to: 'AWAITING_REFUND',
    guard: LATE_INTERCEPTION,
    applies: interceptionAsked,
  },
  {
    from: 'AWAITING_REFUND',
    command: 'RecordExchangeShipped',
    to: 'AWAITING_REFUND',
    guard: 'a ruling cancelled the stock-out, but the replacement had left: recorded for agents to follow up',
    applies: replacementReportable,
  },
  {
    from: 'AWAITING_REFUND',
    command: 'RecordRefundApproved',
    to: 'AWAITING_REFUND',
    guard: 'finance (or the refund policy) approved the current attempt as requested: it is being paid',
  },
  {
    from: 'AWAITING_REFUND',
    command: 'RecordRefundFailed',
    to: 'AWAITING_REFUND',
    guard: 'the current attempt failed at the gateway: recorded; an agent may request it again',
  },
  {
    from: 'AWAITING_REFUND',
    command: 'RecordRefundRejected',
    to: 'AWAITING_REFUND',
    guard: 'finance rejected the current attempt: recorded; an agent may adjust and request again, or close',
  },
  {
    from: 'AWAITING_REFUND',
    command: 'RequestRefundAgain',
    to: 'AWAITING_REFUND',
    guard: 'the last attempt failed or was rejected: a new attempt with a new idempotency key',
    applies: refundStalled,
  },
  {
    from: 'AWAITING_REFUND',
    command: 'AdjustRefundAmount',
    to: 'AWAITING_REFUND',
    guard: 'the last attempt failed or was rejected; 0..actual paid, note',
    applies: refundStalled,
  },
  {
    from: 'AWAITING_REFUND',
    command: 'SubsidiseShipping',
    to: 'AWAITING_REFUND',
    guard: 'the last attempt failed or was rejected; amount > 0, note',
    applies: refundStalled,
  },
  {
    from: 'AWAITING_REFUND',
    command: 'IssueCompensationCoupon',
    to: 'AWAITING_REFUND',
    guard: 'coupon value > 0, note',
  },
  {
    from: 'AWAITING_REFUND',
    command: 'CloseTicket',
    to: 'CLOSED',
    guard: 'finance rejected the last attempt; note; goods held are sent back (CLOSED_BY_AGENT)',
    applies: refundRejected,
  },
  { from: 'AWAITING_REFUND', command: 'ExpireDeadline', to: 'AWAITING_REFUND', guard: STALE },
  {
    from: 'AWAITING_REFUND',
    command: 'Intervene',
    to: 'AWAITING_REFUND',
    guard: 'RECORD_ONLY; or FORCE_REFUND when the last attempt failed or was rejected',
  },
  {
    from: 'AWAITING_REFUND',
    command: 'Intervene',
    to: 'CLOSED',
    guard: 'FORCE_CLOSE when the last attempt failed or was rejected (CLOSED_BY_PLATFORM)',
    applies: refundStalled,
  },

  // Terminal states: a late deadline changes nothing; a closed ticket whose goods went back
  // records the parcel, so the customer can be told where their goods are.
  { from: 'SUCCEEDED', command: 'ExpireDeadline', to: 'SUCCEEDED', guard: STALE },
  {
    from: 'SUCCEEDED',
    command: 'RecordStockIn',
    to: 'SUCCEEDED',
    guard: 'refunded without inspection (stock-in deadline): the late inspection is recorded',
    applies: stockInOutstanding,
  },
  {
    from: 'SUCCEEDED',
    command: 'RecordInterceptionResult',
    to: 'SUCCEEDED',
    guard: LATE_INTERCEPTION,
    applies: interceptionAsked,
  },
  {
    from: 'SUCCEEDED',
    command: 'RecordExchangeShipped',
    to: 'SUCCEEDED',
    guard:
      'the replacement shipped: the same report again changes nothing; or refunded by a ruling that cancelled the stock-out, but the replacement had left: recorded',
    applies: replacementReportable,
  },
  { from: 'CLOSED', command: 'ExpireDeadline', to: 'CLOSED', guard: STALE },
  {
    from: 'CLOSED',
    command: 'RecordInterceptionResult',
    to: 'CLOSED',
    guard: `${LATE_INTERCEPTION}; a parcel stopped for a closed ticket waits at the warehouse, and the customer may apply again`,
    applies: interceptionAsked,
  },
  {
    from: 'CLOSED',
    command: 'RecordExchangeShipped',
    to: 'CLOSED',
    guard: 'closed by a ruling that cancelled the stock-out, but the replacement had left: recorded',
    applies: replacementReportable,
  },
  {
    from: 'CLOSED',
    command: 'RecordStockIn',
    to: 'CLOSED',
    guard:
      'closed while the return was on its way: the inspection is recorded and what arrived goes back (ARRIVED_AFTER_CLOSE)',
    applies: stockInOutstanding,
  },
  {
    from: 'CLOSED',
    command: 'RecordGoodsReturnedToCustomer',
    to: 'CLOSED',
    guard: 'goods were sent back: carrier and tracking number of the parcel (recorded once)',
    applies: goodsSentBack,
  },
];

export function transitionsFrom(from: FromStatus, command: TicketCommandType): TransitionRow[] {
  return TRANSITIONS.filter((row) => row.from === from && row.command === command);
}

export function rowKey(row: Pick<TransitionRow, 'from' | 'command' | 'to'>): string {
  return `${row.from} --${row.command}--> ${row.to}`;
}

/**
 * The state diagram as Mermaid. Rows that keep the status (agent money powers, records, stale
 * deadlines) are left out to keep the picture readable; the generated table lists every row.
 */
export function toMermaid(): string {
  const lines = ['stateDiagram-v2'];
  for (const row of TRANSITIONS) {
    if (row.from === row.to) continue;
    lines.push(`    ${row.from === 'NONE' ? '[*]' : row.from} --> ${row.to}: ${row.command}`);
  }
  lines.push('    SUCCEEDED --> [*]', '    CLOSED --> [*]');
  return `${lines.join('\n')}\n`;
}

/** Every row as a Markdown table, in table order. */
export function toMarkdownTable(): string {
  const header = ['| from | command | to | guard / outcome |', '|---|---|---|---|'];
  const body = TRANSITIONS.map(
    (row) =>
      `| ${row.from === 'NONE' ? '(new)' : row.from} | ${row.command} | ${row.to} | ${row.guard.replace(/\|/g, '\\|')} |`,
  );
  return `${[...header, ...body].join('\n')}\n`;
}

export const ALL_FROM_STATUSES: readonly FromStatus[] = ['NONE', ...TICKET_STATUSES];

export const EXPIRY_ACTION_DESCRIPTIONS: Record<ExpiryAction, string> = {
  AUTO_APPROVE:
    'approved by the system (refund requested, or return approved to the policy default return address)',
  ESCALATE_TO_PLATFORM:
    'escalated to a platform agent, recorded on the timeline; the state is unchanged and no new deadline runs',
  CLOSE_RETURN_TIMEOUT: 'CLOSED (RETURN_TIMEOUT)',
  CLOSE_STOCK_IN_TIMEOUT: 'CLOSED (STOCK_IN_TIMEOUT)',
  AUTO_REFUND: 'refund requested without inspection (policy stockInTimeoutAction AUTO_REFUND, returns only)',
  CLOSE_NEGOTIATION_TIMEOUT: 'CLOSED (NEGOTIATION_TIMEOUT); goods held by the warehouse go back',
  TREAT_AS_NOT_INTERCEPTABLE: 'treated as not interceptable: PENDING_REVIEW for a human',
};

/** Which expiry actions a waiting state can have; expiryActionFor picks one per ticket type and policy. */
export const EXPIRY_ACTIONS_BY_STATUS: Record<WaitingStatus, readonly ExpiryAction[]> = {
  PENDING_REVIEW: ['AUTO_APPROVE', 'ESCALATE_TO_PLATFORM'],
  AWAITING_CUSTOMER_RETURN: ['CLOSE_RETURN_TIMEOUT'],
  AWAITING_STOCK_IN: ['CLOSE_STOCK_IN_TIMEOUT', 'AUTO_REFUND'],
  IN_NEGOTIATION: ['CLOSE_NEGOTIATION_TIMEOUT'],
  AWAITING_EXCHANGE_SHIPMENT: ['ESCALATE_TO_PLATFORM'],
  INTERCEPTING: ['TREAT_AS_NOT_INTERCEPTABLE'],
};

/** The deadline table with the default policy durations, as Markdown. */
export function toDeadlineTable(): string {
  const header = ['| state | default | on expiry |', '|---|---|---|'];
  const body = WAITING_STATUSES.map((status) => {
    const actions = EXPIRY_ACTIONS_BY_STATUS[status].map(
      (action) => `${action}: ${EXPIRY_ACTION_DESCRIPTIONS[action]}`,
    );
    return `| ${status} | ${formatMinutes(DEFAULT_MERCHANT_POLICY.deadlineMinutes[status])} | ${actions.join('<br>')} |`;
  });
  return `${[...header, ...body].join('\n')}\n`;
}

function formatMinutes(minutes: number): string {
  if (minutes % (24 * 60) === 0 && minutes >= 3 * 24 * 60) return `${minutes / (24 * 60)} days`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}
