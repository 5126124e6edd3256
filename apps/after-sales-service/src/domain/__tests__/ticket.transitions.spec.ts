import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Actor, DAY, HOUR, IllegalStateError, MINUTE } from '@aftersales/kernel';
import { TICKET_STATUSES, WAITING_STATUSES } from '../after-sales.catalogues';
import { DEFAULT_MERCHANT_POLICY } from '../policy';
import type { InterventionRuling, TicketCommand, TicketCommandType } from '../ticket.commands';
import { decide, type DecideContext } from '../ticket.decider';
import type { TicketEvent } from '../ticket.events';
import { evolveAll, expiryActionFor, initialState, type TicketState } from '../ticket.state';
import {
  ALL_FROM_STATUSES,
  COMMAND_ACTORS,
  EXPIRY_ACTIONS_BY_STATUS,
  type FromStatus,
  rowKey,
  TICKET_COMMAND_TYPES,
  toDeadlineTable,
  toMarkdownTable,
  toMermaid,
  TRANSITIONS,
  transitionsFrom,
} from '../ticket.transitions';
import {
  anOrder,
  application,
  approveRefund,
  approveReturn,
  at,
  cmd,
  customer,
  finance,
  GIVEN_BY_STATUS,
  history,
  merchantAgent,
  platformAgent,
  propose,
  refundFailed,
  refundOnlyApplication,
  refundRejected,
  returnAddress,
  shipReturn,
  stateOf,
  stockInDamaged,
  stockInMatching,
  system,
  warehouse,
  wholeOrder,
  SHIPPED_AS_ASKED,
  paidAsAsked,
  goodsSentBack,
  type Step,
} from './ticket.fixtures';

interface Fixture {
  given: TicketEvent[];
  command: TicketCommand;
  context?: DecideContext;
}

const LATER = at(DAY);
const STALE_DEADLINE = { state: 'PENDING_REVIEW' as const, dueAt: '2020-01-01T00:00:00.000Z' };

/** The ExpireDeadline the poller would send for the deadline running at the end of `given`. */
function expiryOf(given: TicketEvent[]): TicketCommand {
  const deadline = stateOf(given).deadline;
  if (deadline === null) throw new Error('no deadline running');
  return cmd(
    'ExpireDeadline',
    { state: deadline.state, dueAt: deadline.dueAt },
    system,
    new Date(deadline.dueAt),
  );
}
const stale = (given: TicketEvent[]): Fixture => ({
  given,
  command: cmd('ExpireDeadline', STALE_DEADLINE, system, LATER),
});
const fixture = (given: TicketEvent[], command: TicketCommand): Fixture => ({ given, command });
const coupon = (given: TicketEvent[]): Fixture =>
  fixture(given, cmd('IssueCompensationCoupon', { couponValue: 500, note: 'sorry' }, merchantAgent, LATER));
const adjust = (given: TicketEvent[]): Fixture =>
  fixture(given, cmd('AdjustRefundAmount', { amount: 700, note: 'worn box' }, merchantAgent, LATER));
const subsidise = (given: TicketEvent[]): Fixture =>
  fixture(given, cmd('SubsidiseShipping', { amount: 1000, note: 'return postage' }, merchantAgent, LATER));
const intervene = (given: TicketEvent[], ruling: InterventionRuling): Fixture =>
  fixture(given, cmd('Intervene', { ruling, note: 'platform ruling', amount: null }, platformAgent, LATER));
const arbitration = (status: string, given: () => TicketEvent[]): Record<string, () => Fixture> => ({
  [`${status} --Intervene--> ${status}`]: () => intervene(given(), 'RECORD_ONLY'),
  [`${status} --Intervene--> CLOSED`]: () => intervene(given(), 'FORCE_CLOSE'),
  [`${status} --Intervene--> AWAITING_REFUND`]: () => intervene(given(), 'FORCE_REFUND'),
});

const pendingReturn = (): TicketEvent[] => history(application());
const pendingRefund = (): TicketEvent[] => history(refundOnlyApplication());
const intercepting = GIVEN_BY_STATUS.INTERCEPTING;
const interceptionTimedOut = (): TicketEvent[] => {
  const given = intercepting();
  return [...given, ...decide(expiryOf(given), stateOf(given))];
};
const awaitingReturn = GIVEN_BY_STATUS.AWAITING_CUSTOMER_RETURN;
const awaitingStockIn = GIVEN_BY_STATUS.AWAITING_STOCK_IN;
const negotiating = GIVEN_BY_STATUS.IN_NEGOTIATION;
const negotiatingWithOffer = (): TicketEvent[] =>
  history(application(), approveReturn(), shipReturn(), stockInDamaged(), propose(500));
const negotiatingExchange = (): TicketEvent[] =>
  history(application({ type: 'EXCHANGE' }), approveReturn(), shipReturn(), stockInDamaged());
const awaitingExchangeShipment = GIVEN_BY_STATUS.AWAITING_EXCHANGE_SHIPMENT;
const awaitingRefund = GIVEN_BY_STATUS.AWAITING_REFUND;
const refundFailedGiven = (): TicketEvent[] =>
  history(refundOnlyApplication(), approveRefund(), refundFailed());
const refundRejectedGiven = (): TicketEvent[] =>
  history(refundOnlyApplication(), approveRefund(), refundRejected());

/** The customer's parcel is on its way when the stock-in deadline passes: closed, or refunded unseen. */
const stockInTimedOut = (stockInTimeoutAction: 'CLOSE' | 'AUTO_REFUND'): TicketEvent[] => {
  const given = history(
    application({ policy: { ...DEFAULT_MERCHANT_POLICY, stockInTimeoutAction } }),
    approveReturn(),
    shipReturn(),
  );
  return [...given, ...decide(expiryOf(given), stateOf(given))];
};
const refundedUnseen = (): TicketEvent[] => {
  const given = stockInTimedOut('AUTO_REFUND');
  return [...given, ...decide(paidAsAsked(given, 'refund-1', at(15 * DAY)), stateOf(given))];
};
const lateStockIn = (given: TicketEvent[]): Fixture => fixture(given, stockInMatching(at(16 * DAY)).command);

/** The interception deadline sent the refund to review, and the ticket moved on before the warehouse answered. */
const afterInterceptionTimeout = (step: Step): TicketEvent[] => {
  const given = interceptionTimedOut();
  const { command, context } = step;
  return [...given, ...decide(command, stateOf(given), context)];
};
const interceptedLate = (given: TicketEvent[]): Fixture =>
  fixture(given, cmd('RecordInterceptionResult', { intercepted: true, note: null }, warehouse, at(DAY)));
const timedOutThenApproved = (): TicketEvent[] =>
  afterInterceptionTimeout({
    command: cmd('ApproveTicket', { returnAddress: null, note: null }, merchantAgent, at(HOUR)),
  });

/** A ruling ends an exchange waiting for its replacement: the stock-out is cancelled. */
const exchangeRuled = (ruling: 'FORCE_CLOSE' | 'FORCE_REFUND'): TicketEvent[] => {
  const given = awaitingExchangeShipment();
  return [...given, ...decide(intervene(given, ruling).command, stateOf(given))];
};
const exchangeRefundedByRuling = (): TicketEvent[] => {
  const given = exchangeRuled('FORCE_REFUND');
  return [...given, ...decide(paidAsAsked(given), stateOf(given))];
};
const replacementShippedLate = (given: TicketEvent[]): Fixture =>
  fixture(
    given,
    cmd(
      'RecordExchangeShipped',
      { lines: SHIPPED_AS_ASKED, carrier: 'YTO', trackingNo: 'YT778' },
      warehouse,
      LATER,
    ),
  );

/** One scenario per row of the transition table, reaching exactly that row's `to`. */
const ROW_FIXTURES: Record<string, () => Fixture> = {
  'NONE --ApplyForAfterSales--> CANCELLING': () => ({
    given: [],
    ...application({
      type: 'CANCEL_ORDER',
      order: anOrder({ state: 'PENDING_PAYMENT', paidAt: null, paymentNo: null }),
      lines: [],
    }),
  }),
  'NONE --ApplyForAfterSales--> INTERCEPTING': () => ({
    given: [],
    ...application({
      type: 'REFUND_ONLY',
      order: anOrder({ state: 'AWAITING_SHIPMENT' }),
      lines: wholeOrder(),
    }),
  }),
  'NONE --ApplyForAfterSales--> AWAITING_REFUND': () => ({
    given: [],
    ...application({
      type: 'REFUND_ONLY',
      order: anOrder({ paidAt: new Date(at(0).getTime() - 10 * MINUTE).toISOString() }),
    }),
  }),
  'NONE --ApplyForAfterSales--> PENDING_REVIEW': () => ({ given: [], ...application() }),

  'PENDING_REVIEW --CancelTicket--> CLOSED': () =>
    fixture(pendingReturn(), cmd('CancelTicket', { note: 'changed my mind' }, customer, LATER)),
  'PENDING_REVIEW --ApproveTicket--> AWAITING_REFUND': () =>
    fixture(pendingRefund(), approveRefund().command),
  'PENDING_REVIEW --ApproveTicket--> AWAITING_CUSTOMER_RETURN': () =>
    fixture(pendingReturn(), approveReturn().command),
  'PENDING_REVIEW --RejectTicket--> CLOSED': () =>
    fixture(
      pendingReturn(),
      cmd(
        'RejectTicket',
        { reasonCode: 'EVIDENCE_INSUFFICIENT', note: 'photo is blurry' },
        merchantAgent,
        LATER,
      ),
    ),
  'PENDING_REVIEW --AdjustRefundAmount--> PENDING_REVIEW': () => adjust(pendingReturn()),
  'PENDING_REVIEW --SubsidiseShipping--> PENDING_REVIEW': () => subsidise(pendingReturn()),
  'PENDING_REVIEW --IssueCompensationCoupon--> PENDING_REVIEW': () => coupon(pendingReturn()),
  'PENDING_REVIEW --ExpireDeadline--> AWAITING_REFUND': () => {
    const given = pendingRefund();
    return fixture(given, expiryOf(given));
  },
  'PENDING_REVIEW --ExpireDeadline--> AWAITING_CUSTOMER_RETURN': () => {
    const given = history(
      application({ policy: { ...DEFAULT_MERCHANT_POLICY, defaultReturnAddress: returnAddress } }),
    );
    return fixture(given, expiryOf(given));
  },
  'PENDING_REVIEW --ExpireDeadline--> PENDING_REVIEW': () => {
    const given = pendingReturn();
    return fixture(given, expiryOf(given));
  },
  'PENDING_REVIEW --RecordInterceptionResult--> AWAITING_REFUND': () =>
    fixture(
      interceptionTimedOut(),
      cmd('RecordInterceptionResult', { intercepted: true, note: null }, warehouse, LATER),
    ),
  'PENDING_REVIEW --RecordInterceptionResult--> PENDING_REVIEW': () =>
    fixture(
      interceptionTimedOut(),
      cmd(
        'RecordInterceptionResult',
        { intercepted: false, reason: 'ALREADY_SHIPPED', note: 'left at 10:20' },
        warehouse,
        LATER,
      ),
    ),
  ...arbitration('PENDING_REVIEW', pendingReturn),

  'INTERCEPTING --RecordInterceptionResult--> AWAITING_REFUND': () =>
    fixture(
      intercepting(),
      cmd('RecordInterceptionResult', { intercepted: true, note: null }, warehouse, at(10 * MINUTE)),
    ),
  'INTERCEPTING --RecordInterceptionResult--> PENDING_REVIEW': () =>
    fixture(
      intercepting(),
      cmd(
        'RecordInterceptionResult',
        { intercepted: false, reason: 'ALREADY_SHIPPED', note: null },
        warehouse,
        at(10 * MINUTE),
      ),
    ),
  'INTERCEPTING --ExpireDeadline--> PENDING_REVIEW': () => {
    const given = intercepting();
    return fixture(given, expiryOf(given));
  },
  'INTERCEPTING --ExpireDeadline--> INTERCEPTING': () => stale(intercepting()),
  'INTERCEPTING --Intervene--> INTERCEPTING': () => intervene(intercepting(), 'RECORD_ONLY'),

  'CANCELLING --RecordOrderClosed--> SUCCEEDED': () =>
    fixture(GIVEN_BY_STATUS.CANCELLING(), cmd('RecordOrderClosed', {}, system, at(MINUTE))),
  'CANCELLING --RecordOrderPaid--> CLOSED': () =>
    fixture(GIVEN_BY_STATUS.CANCELLING(), cmd('RecordOrderPaid', {}, system, at(MINUTE))),
  'CANCELLING --ExpireDeadline--> CANCELLING': () => stale(GIVEN_BY_STATUS.CANCELLING()),
  'CANCELLING --Intervene--> CANCELLING': () => intervene(GIVEN_BY_STATUS.CANCELLING(), 'RECORD_ONLY'),

  'AWAITING_CUSTOMER_RETURN --CancelTicket--> CLOSED': () =>
    fixture(awaitingReturn(), cmd('CancelTicket', { note: null }, customer, LATER)),
  'AWAITING_CUSTOMER_RETURN --SubmitReturnShipment--> AWAITING_STOCK_IN': () =>
    fixture(awaitingReturn(), shipReturn().command),
  'AWAITING_CUSTOMER_RETURN --ExpireDeadline--> CLOSED': () => {
    const given = awaitingReturn();
    return fixture(given, expiryOf(given));
  },
  'AWAITING_CUSTOMER_RETURN --ExpireDeadline--> AWAITING_CUSTOMER_RETURN': () => stale(awaitingReturn()),
  'AWAITING_CUSTOMER_RETURN --AdjustRefundAmount--> AWAITING_CUSTOMER_RETURN': () => adjust(awaitingReturn()),
  'AWAITING_CUSTOMER_RETURN --SubsidiseShipping--> AWAITING_CUSTOMER_RETURN': () =>
    subsidise(awaitingReturn()),
  'AWAITING_CUSTOMER_RETURN --IssueCompensationCoupon--> AWAITING_CUSTOMER_RETURN': () =>
    coupon(awaitingReturn()),
  ...arbitration('AWAITING_CUSTOMER_RETURN', awaitingReturn),

  'AWAITING_STOCK_IN --RecordStockIn--> AWAITING_REFUND': () =>
    fixture(awaitingStockIn(), stockInMatching().command),
  'AWAITING_STOCK_IN --RecordStockIn--> AWAITING_EXCHANGE_SHIPMENT': () =>
    fixture(
      history(application({ type: 'EXCHANGE' }), approveReturn(), shipReturn()),
      stockInMatching().command,
    ),
  'AWAITING_STOCK_IN --RecordStockIn--> IN_NEGOTIATION': () =>
    fixture(awaitingStockIn(), stockInDamaged().command),
  'AWAITING_STOCK_IN --ExpireDeadline--> CLOSED': () => {
    const given = awaitingStockIn();
    return fixture(given, expiryOf(given));
  },
  'AWAITING_STOCK_IN --ExpireDeadline--> AWAITING_REFUND': () => {
    const policy = { ...DEFAULT_MERCHANT_POLICY, stockInTimeoutAction: 'AUTO_REFUND' as const };
    const given = history(application({ policy }), approveReturn(), shipReturn());
    return fixture(given, expiryOf(given));
  },
  'AWAITING_STOCK_IN --ExpireDeadline--> AWAITING_STOCK_IN': () => stale(awaitingStockIn()),
  'AWAITING_STOCK_IN --AdjustRefundAmount--> AWAITING_STOCK_IN': () => adjust(awaitingStockIn()),
  'AWAITING_STOCK_IN --SubsidiseShipping--> AWAITING_STOCK_IN': () => subsidise(awaitingStockIn()),
  'AWAITING_STOCK_IN --IssueCompensationCoupon--> AWAITING_STOCK_IN': () => coupon(awaitingStockIn()),
  ...arbitration('AWAITING_STOCK_IN', awaitingStockIn),

  'IN_NEGOTIATION --ProposeRefundAmount--> IN_NEGOTIATION': () =>
    fixture(negotiating(), propose(500).command),
  'IN_NEGOTIATION --AcceptOffer--> AWAITING_REFUND': () =>
    fixture(negotiatingWithOffer(), cmd('AcceptOffer', { amount: 500 }, customer, LATER)),
  'IN_NEGOTIATION --DeclineOffer--> CLOSED': () =>
    fixture(negotiatingWithOffer(), cmd('DeclineOffer', { note: 'too low' }, customer, LATER)),
  'IN_NEGOTIATION --ShipExchangeDespiteMismatch--> AWAITING_EXCHANGE_SHIPMENT': () =>
    fixture(
      negotiatingExchange(),
      cmd('ShipExchangeDespiteMismatch', { note: 'minor scratch, goodwill' }, merchantAgent, LATER),
    ),
  'IN_NEGOTIATION --CloseTicket--> CLOSED': () =>
    fixture(negotiating(), cmd('CloseTicket', { note: 'used goods' }, merchantAgent, LATER)),
  'IN_NEGOTIATION --SubsidiseShipping--> IN_NEGOTIATION': () => subsidise(negotiating()),
  'IN_NEGOTIATION --IssueCompensationCoupon--> IN_NEGOTIATION': () => coupon(negotiating()),
  'IN_NEGOTIATION --ExpireDeadline--> CLOSED': () => {
    const given = negotiating();
    return fixture(given, expiryOf(given));
  },
  'IN_NEGOTIATION --ExpireDeadline--> IN_NEGOTIATION': () => stale(negotiating()),
  ...arbitration('IN_NEGOTIATION', negotiating),

  'AWAITING_EXCHANGE_SHIPMENT --RecordExchangeShipped--> SUCCEEDED': () =>
    fixture(
      awaitingExchangeShipment(),
      cmd(
        'RecordExchangeShipped',
        { lines: SHIPPED_AS_ASKED, carrier: 'YTO', trackingNo: 'YT777' },
        warehouse,
        LATER,
      ),
    ),
  'AWAITING_EXCHANGE_SHIPMENT --ExpireDeadline--> AWAITING_EXCHANGE_SHIPMENT': () => {
    const given = awaitingExchangeShipment();
    return fixture(given, expiryOf(given));
  },
  'AWAITING_EXCHANGE_SHIPMENT --IssueCompensationCoupon--> AWAITING_EXCHANGE_SHIPMENT': () =>
    coupon(awaitingExchangeShipment()),
  ...arbitration('AWAITING_EXCHANGE_SHIPMENT', awaitingExchangeShipment),

  'CLOSED --RecordGoodsReturnedToCustomer--> CLOSED': () =>
    fixture(
      goodsSentBack(),
      cmd(
        'RecordGoodsReturnedToCustomer',
        { lines: SHIPPED_AS_ASKED, carrier: 'SF', trackingNo: 'SF999' },
        warehouse,
        LATER,
      ),
    ),
  'AWAITING_REFUND --RecordInterceptionResult--> AWAITING_REFUND': () =>
    interceptedLate(timedOutThenApproved()),
  'SUCCEEDED --RecordInterceptionResult--> SUCCEEDED': () => {
    const approved = timedOutThenApproved();
    return interceptedLate([...approved, ...decide(paidAsAsked(approved), stateOf(approved))]);
  },
  'CLOSED --RecordInterceptionResult--> CLOSED': () =>
    interceptedLate(
      afterInterceptionTimeout({
        command: cmd('CancelTicket', { note: 'Bought elsewhere' }, customer, at(HOUR)),
      }),
    ),
  'AWAITING_REFUND --RecordExchangeShipped--> AWAITING_REFUND': () =>
    replacementShippedLate(exchangeRuled('FORCE_REFUND')),
  'SUCCEEDED --RecordExchangeShipped--> SUCCEEDED': () => replacementShippedLate(exchangeRefundedByRuling()),
  'CLOSED --RecordExchangeShipped--> CLOSED': () => replacementShippedLate(exchangeRuled('FORCE_CLOSE')),
  'AWAITING_REFUND --RecordStockIn--> AWAITING_REFUND': () => lateStockIn(stockInTimedOut('AUTO_REFUND')),
  'SUCCEEDED --RecordStockIn--> SUCCEEDED': () => lateStockIn(refundedUnseen()),
  'CLOSED --RecordStockIn--> CLOSED': () => lateStockIn(stockInTimedOut('CLOSE')),
  'AWAITING_REFUND --RecordRefundApproved--> AWAITING_REFUND': () => {
    const given = awaitingRefund();
    const { cash, coins } = stateOf(given).refund ?? { cash: 0, coins: 0 };
    return fixture(
      given,
      cmd(
        'RecordRefundApproved',
        { attempt: 1, refundId: 'refund-1', cash, coins, automatic: false },
        finance,
        LATER,
      ),
    );
  },
  'AWAITING_REFUND --RecordRefundPaid--> SUCCEEDED': () => {
    const given = awaitingRefund();
    return fixture(given, paidAsAsked(given, 'refund-1', LATER));
  },
  'AWAITING_REFUND --RecordRefundFailed--> AWAITING_REFUND': () =>
    fixture(awaitingRefund(), refundFailed().command),
  'AWAITING_REFUND --RecordRefundRejected--> AWAITING_REFUND': () =>
    fixture(awaitingRefund(), refundRejected().command),
  'AWAITING_REFUND --RequestRefundAgain--> AWAITING_REFUND': () =>
    fixture(
      refundFailedGiven(),
      cmd('RequestRefundAgain', { note: 'gateway is back' }, merchantAgent, LATER),
    ),
  'AWAITING_REFUND --AdjustRefundAmount--> AWAITING_REFUND': () => adjust(refundRejectedGiven()),
  'AWAITING_REFUND --SubsidiseShipping--> AWAITING_REFUND': () => subsidise(refundFailedGiven()),
  'AWAITING_REFUND --IssueCompensationCoupon--> AWAITING_REFUND': () => coupon(awaitingRefund()),
  'AWAITING_REFUND --CloseTicket--> CLOSED': () =>
    fixture(refundRejectedGiven(), cmd('CloseTicket', { note: 'finance refused' }, merchantAgent, LATER)),
  'AWAITING_REFUND --ExpireDeadline--> AWAITING_REFUND': () => stale(awaitingRefund()),
  'AWAITING_REFUND --Intervene--> AWAITING_REFUND': () => intervene(awaitingRefund(), 'RECORD_ONLY'),
  'AWAITING_REFUND --Intervene--> CLOSED': () => intervene(refundRejectedGiven(), 'FORCE_CLOSE'),

  'SUCCEEDED --ExpireDeadline--> SUCCEEDED': () => stale(GIVEN_BY_STATUS.SUCCEEDED()),
  'CLOSED --ExpireDeadline--> CLOSED': () => stale(GIVEN_BY_STATUS.CLOSED()),
};

function givenFor(status: FromStatus): TicketEvent[] {
  return status === 'NONE' ? [] : GIVEN_BY_STATUS[status]();
}

/** A well-formed command of each type from an actor allowed to issue it on the fixture tickets. */
function sampleCommand(type: TicketCommandType): { command: TicketCommand; context?: DecideContext } {
  const role = COMMAND_ACTORS[type][0];
  const actors: Record<string, Actor> = {
    customer,
    merchant_agent: merchantAgent,
    platform_agent: platformAgent,
    warehouse,
    finance,
    system,
  };
  const actor = actors[role];
  const now = LATER;
  switch (type) {
    case 'ApplyForAfterSales':
      return application();
    case 'CancelTicket':
      return { command: cmd(type, { note: null }, actor, now) };
    case 'ApproveTicket':
      return { command: cmd(type, { returnAddress, note: null }, actor, now) };
    case 'RejectTicket':
      return { command: cmd(type, { reasonCode: 'OTHER', note: 'no' }, actor, now) };
    case 'SubmitReturnShipment':
      return { command: cmd(type, { carrier: 'SF', trackingNo: 'SF1' }, actor, now) };
    case 'RecordExchangeShipped':
    case 'RecordGoodsReturnedToCustomer':
      return {
        command: cmd(type, { lines: SHIPPED_AS_ASKED, carrier: 'SF', trackingNo: 'SF1' }, actor, now),
      };
    case 'RecordStockIn':
      return stockInMatching(now);
    case 'ProposeRefundAmount':
    case 'AdjustRefundAmount':
    case 'SubsidiseShipping':
      return { command: cmd(type, { amount: 100, note: 'n' }, actor, now) };
    case 'AcceptOffer':
      return { command: cmd(type, { amount: 100 }, actor, now) };
    case 'DeclineOffer':
      return { command: cmd(type, { note: null }, actor, now) };
    case 'IssueCompensationCoupon':
      return { command: cmd(type, { couponValue: 100, note: 'n' }, actor, now) };
    case 'ShipExchangeDespiteMismatch':
    case 'CloseTicket':
    case 'RequestRefundAgain':
      return { command: cmd(type, { note: 'n' }, actor, now) };
    case 'RecordInterceptionResult':
      return { command: cmd(type, { intercepted: true, note: null }, actor, now) };
    case 'RecordRefundPaid':
      return { command: cmd(type, { attempt: 1, refundId: 'r', cash: 800, coins: 46 }, actor, now) };
    case 'RecordRefundApproved':
      return {
        command: cmd(type, { attempt: 1, refundId: 'r', cash: 800, coins: 46, automatic: false }, actor, now),
      };
    case 'RecordRefundFailed':
    case 'RecordRefundRejected':
      return { command: cmd(type, { attempt: 1, refundId: 'r', reason: 'x' }, actor, now) };
    case 'RecordOrderClosed':
    case 'RecordOrderPaid':
      return { command: cmd(type, {}, actor, now) };
    case 'ExpireDeadline':
      return { command: cmd(type, STALE_DEADLINE, actor, now) };
    case 'Intervene':
      return { command: cmd(type, { ruling: 'RECORD_ONLY', note: 'n', amount: null }, actor, now) };
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

describe('transition table', () => {
  it('has one row per (from, command, to)', () => {
    const keys = TRANSITIONS.map(rowKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has a scenario for every row and no scenario without a row', () => {
    expect(Object.keys(ROW_FIXTURES).sort()).toEqual(TRANSITIONS.map(rowKey).sort());
  });

  describe.each(TRANSITIONS.map((row) => ({ key: rowKey(row), row })))('$key', ({ key, row }) => {
    it(`is what decide does (${row.guard})`, () => {
      const { given, command, context } = ROW_FIXTURES[key]();
      const before: TicketState = evolveAll(given, initialState);
      expect(before.status).toBe(row.from);
      expect(command.type).toBe(row.command);
      const events = decide(command, before, context);
      expect(evolveAll(events, before).status).toBe(row.to);
    });
  });

  describe('every state x every command', () => {
    const pairs = ALL_FROM_STATUSES.flatMap((from) =>
      TICKET_COMMAND_TYPES.map((command) => ({ from, command })),
    );

    it.each(pairs)('$command in $from', ({ from, command }) => {
      const state = evolveAll(givenFor(from), initialState);
      const sample = sampleCommand(command);
      const attempt = (): unknown => decide(sample.command, state, sample.context);
      if (transitionsFrom(from, command).length === 0) {
        expect(attempt).toThrow(IllegalStateError);
        expect(attempt).toThrow(`${command} is not allowed in state ${from}`);
        expect(attempt).toThrow(
          expect.objectContaining({
            rule: 'ticket.command-not-allowed-in-state',
            details: { state: from, command },
          }),
        );
      } else {
        // Allowed in this state: it may still fail a guard or a field check, but never as an illegal state.
        try {
          attempt();
        } catch (error) {
          expect(error).not.toBeInstanceOf(IllegalStateError);
        }
      }
    });
  });

  it('reaches every status from the empty stream', () => {
    const reachable = new Set<string>(['NONE']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const row of TRANSITIONS) {
        if (reachable.has(row.from) && !reachable.has(row.to)) {
          reachable.add(row.to);
          grew = true;
        }
      }
    }
    expect([...reachable].sort()).toEqual(['NONE', ...TICKET_STATUSES].sort());
  });

  it('names only expiry actions a state can have', () => {
    const base = stateOf(pendingReturn());
    const variants = (['REFUND_ONLY', 'RETURN_AND_REFUND', 'EXCHANGE'] as const).flatMap((type) => [
      { ...base, type },
      {
        ...base,
        type,
        policy: {
          ...base.policy,
          stockInTimeoutAction: 'AUTO_REFUND' as const,
          defaultReturnAddress: returnAddress,
        },
      },
    ]);
    for (const ticket of variants) {
      for (const status of WAITING_STATUSES)
        expect(EXPIRY_ACTIONS_BY_STATUS[status]).toContain(expiryActionFor(ticket, status));
    }
  });
});

describe('docs/after-sales-state-machine.md', () => {
  const doc = readFileSync(join(__dirname, '../../../../../docs/after-sales-state-machine.md'), 'utf8');

  it('contains exactly the diagram generated from the transition table', () => {
    const blocks = [...doc.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toEqual([toMermaid()]);
  });

  it('contains the generated transition and deadline tables', () => {
    expect(doc).toContain(toMarkdownTable());
    expect(doc).toContain(toDeadlineTable());
  });

  it('shows the default deadlines of DOMAIN.md', () => {
    expect(toDeadlineTable()).toContain('| PENDING_REVIEW | 48 h |');
    expect(toDeadlineTable()).toContain('| INTERCEPTING | 30 min |');
    expect(toDeadlineTable()).toContain('| AWAITING_STOCK_IN | 14 days |');
  });
});
