import { DAY, HOUR, MINUTE, SYSTEM_ACTOR } from '@aftersales/kernel';
import { DEFAULT_MERCHANT_POLICY } from '../policy';
import type { LineHistory } from '../eligibility';
import type { TicketCommand } from '../ticket.commands';
import { availableActions, decide, type DecideContext } from '../ticket.decider';
import type { TicketEvent } from '../ticket.events';
import { evolveAll, initialState } from '../ticket.state';
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
  homeAddress,
  merchantAgent,
  otherCustomer,
  otherMerchantAgent,
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
  T0,
  typesOf,
  warehouse,
  wholeOrder,
  SHIPPED_AS_ASKED,
  paidAsAsked,
  goodsSentBack,
} from './ticket.fixtures';

function when(given: readonly TicketEvent[], command: TicketCommand, context?: DecideContext): TicketEvent[] {
  return decide(command, evolveAll(given, initialState), context);
}

function expire(given: readonly TicketEvent[], now?: Date): TicketCommand {
  const deadline = stateOf(given).deadline;
  if (deadline === null) throw new Error('no deadline running');
  return cmd(
    'ExpireDeadline',
    { state: deadline.state, dueAt: deadline.dueAt },
    system,
    now ?? new Date(deadline.dueAt),
  );
}

const LATER = at(DAY);
const iso = (date: Date): string => date.toISOString();

describe('ticket decider', () => {
  describe('no ticket yet (ApplyForAfterSales)', () => {
    it('opens a return for review with the lines priced pro rata and a 48 h review deadline', () => {
      const { command, context } = application();
      const events = when([], command, context);
      expect(typesOf(events)).toEqual(['AfterSalesApplied']);
      expect(events[0]).toMatchObject({
        data: {
          ticketId: 'ticket-1',
          ticketNo: 'AS202611250000001',
          type: 'RETURN_AND_REFUND',
          orderId: 'order-1',
          merchantId: 'merchant-1',
          customerId: 'cust-1',
          wholeOrder: false,
          lines: [
            {
              lineId: 'L1',
              sku: 'SKU-A',
              quantity: 1,
              lineQuantity: 2,
              unitPrice: 1000,
              actualPaid: 800,
              coins: 46,
            },
          ],
          amounts: {
            goodsActualPaid: 800,
            goodsCoins: 46,
            shippingFeeRefund: 0,
            totalCash: 800,
            coinsRefund: 46,
          },
          policy: DEFAULT_MERCHANT_POLICY,
        },
        metadata: { actor: customer, occurredAt: iso(T0) },
      });
      expect(stateOf(events)).toMatchObject({
        status: 'PENDING_REVIEW',
        deadline: { state: 'PENDING_REVIEW', dueAt: iso(at(48 * HOUR)), onExpiry: 'ESCALATE_TO_PLATFORM' },
      });
    });

    it('refunds the shipping fee with the ticket that completes an unshipped order refunded line by line', () => {
      const order = anOrder({ state: 'AWAITING_SHIPMENT' });
      const policy = { ...DEFAULT_MERCHANT_POLICY, preShipmentRefund: 'ANY_ITEMS' as const };
      const refunded = (lineId: string, quantity: number): LineHistory => ({
        lineId,
        activeTicketId: null,
        succeededOutcomes: ['REFUNDED'],
        refundedQuantity: quantity,
      });
      const last = application({
        type: 'REFUND_ONLY',
        order,
        policy,
        lines: [{ lineId: 'L3', quantity: 3 }],
        lineHistory: [refunded('L1', 2), refunded('L2', 1)],
      });
      expect(stateOf(when([], last.command, last.context))).toMatchObject({
        wholeOrder: true,
        amounts: { goodsActualPaid: 1200, shippingFeeRefund: 800, totalCash: 2000 },
      });

      const notYet = application({
        type: 'REFUND_ONLY',
        order,
        policy,
        lines: [{ lineId: 'L3', quantity: 3 }],
        lineHistory: [refunded('L1', 2)],
      });
      expect(stateOf(when([], notYet.command, notYet.context))).toMatchObject({
        wholeOrder: false,
        amounts: { shippingFeeRefund: 0, totalCash: 1200 },
      });
    });

    it('asks the warehouse to intercept a whole-order refund before shipment, shipping fee included', () => {
      const order = anOrder({ state: 'AWAITING_SHIPMENT' });
      const { command, context } = application({ type: 'REFUND_ONLY', order, lines: wholeOrder(order) });
      const events = when([], command, context);
      expect(typesOf(events)).toEqual(['AfterSalesApplied', 'InterceptionRequested']);
      expect(events[1].data).toEqual({
        orderId: 'order-1',
        ticketNo: 'AS202611250000001',
        lines: [
          { lineId: 'L1', sku: 'SKU-A', title: 'Tea cup', quantity: 2 },
          { lineId: 'L2', sku: 'SKU-B', title: 'Kettle', quantity: 1 },
          { lineId: 'L3', sku: 'SKU-C', title: 'Tea leaves', quantity: 3 },
        ],
      });
      expect(stateOf(events)).toMatchObject({
        status: 'INTERCEPTING',
        amounts: { goodsActualPaid: 5200, shippingFeeRefund: 800, totalCash: 6000, coinsRefund: 300 },
        deadline: {
          state: 'INTERCEPTING',
          dueAt: iso(at(30 * MINUTE)),
          onExpiry: 'TREAT_AS_NOT_INTERCEPTABLE',
        },
      });
    });

    it('approves a refund-only within 30 minutes of payment automatically and requests the refund', () => {
      const paidAt = iso(new Date(T0.getTime() - 30 * MINUTE));
      const { command, context } = application({ type: 'REFUND_ONLY', order: anOrder({ paidAt }) });
      const events = when([], command, context);
      expect(typesOf(events)).toEqual(['AfterSalesApplied', 'TicketApproved', 'RefundRequested']);
      expect(events[1]).toMatchObject({
        data: { automatic: 'REFUND_ONLY_SOON_AFTER_PAYMENT' },
        metadata: { actor: SYSTEM_ACTOR },
      });
      expect(events[2].data).toMatchObject({
        attempt: 1,
        idempotencyKey: 'ticket-1:refund:1',
        paymentNo: 'PAY-1',
        cash: 800,
        coins: 46,
        basis: 'AUTO_APPROVED',
      });
      expect(events[2].data).not.toHaveProperty('financeReviewRequired');
      expect(stateOf(events)).toMatchObject({ status: 'AWAITING_REFUND', deadline: null });
    });

    it('leaves a refund-only 31 minutes after payment, or with auto-approval off, for review', () => {
      const paidAt = iso(new Date(T0.getTime() - 31 * MINUTE));
      const late = application({ type: 'REFUND_ONLY', order: anOrder({ paidAt }) });
      expect(typesOf(when([], late.command, late.context))).toEqual(['AfterSalesApplied']);
      const off = application({
        type: 'REFUND_ONLY',
        order: anOrder({ paidAt: iso(T0) }),
        policy: { ...DEFAULT_MERCHANT_POLICY, autoApproveRefundOnlyWithinMinutesOfPayment: null },
      });
      expect(typesOf(when([], off.command, off.context))).toEqual(['AfterSalesApplied']);
    });

    it('asks the order side to cancel an unpaid order, whole order implied', () => {
      const events = GIVEN_BY_STATUS.CANCELLING();
      expect(typesOf(events)).toEqual(['AfterSalesApplied', 'OrderCancellationRequested']);
      expect(stateOf(events)).toMatchObject({ status: 'CANCELLING', wholeOrder: true, deadline: null });
      expect(stateOf(events).lines.map((line) => [line.lineId, line.quantity])).toEqual([
        ['L1', 2],
        ['L2', 1],
        ['L3', 3],
      ]);
    });

    it('requires a delivery address for an exchange', () => {
      const { command, context } = application({ type: 'EXCHANGE' });
      const withoutAddress = {
        ...command,
        data: { ...command.data, exchangeAddress: null },
      } as TicketCommand;
      expect(() => when([], withoutAddress, context)).toThrow(
        expect.objectContaining({ code: 'VALIDATION', rule: 'exchangeAddress' }),
      );
      expect(stateOf(when([], command, context)).exchangeAddress).toEqual(homeAddress);
    });

    it('checks reason code and evidence, naming the field', () => {
      const { command, context } = application();
      if (command.type !== 'ApplyForAfterSales') throw new Error('fixture');
      const badReason = {
        ...command,
        data: { ...command.data, reasonCode: 'BORED' },
      } as unknown as TicketCommand;
      expect(() => when([], badReason, context)).toThrow(expect.objectContaining({ rule: 'reasonCode' }));
      const badEvidence = { ...command, data: { ...command.data, evidence: ['ftp://x'] } };
      expect(() => when([], badEvidence, context)).toThrow(expect.objectContaining({ rule: 'evidence[0]' }));
    });

    it('refuses a line that already has an active ticket with 409', () => {
      const { command, context } = application({
        lineHistory: [
          { lineId: 'L1', activeTicketId: 'ticket-0', succeededOutcomes: [], refundedQuantity: 0 },
        ],
      });
      expect(() => when([], command, context)).toThrow(
        expect.objectContaining({ code: 'CONFLICT', rule: 'eligibility.line-has-active-ticket' }),
      );
    });

    it('needs the application facts in the context', () => {
      expect(() => when([], application().command)).toThrow(
        expect.objectContaining({ rule: 'context.application' }),
      );
    });

    it('is for customers only, and only once per ticket', () => {
      const byAgent = application({ actor: merchantAgent });
      expect(() => when([], byAgent.command, byAgent.context)).toThrow(
        expect.objectContaining({ code: 'FORBIDDEN', rule: 'ticket.role-not-allowed' }),
      );
      const again = application();
      expect(() => when(history(application()), again.command, again.context)).toThrow(
        expect.objectContaining({
          code: 'ILLEGAL_STATE',
          message: 'ApplyForAfterSales is not allowed in state PENDING_REVIEW',
        }),
      );
    });
  });

  describe('PENDING_REVIEW', () => {
    const pendingReturn = (): TicketEvent[] => history(application());
    const pendingRefund = (): TicketEvent[] => history(refundOnlyApplication());

    it('approves a return with a return address and starts the 7-day return deadline', () => {
      const given = pendingReturn();
      const events = when(given, approveReturn(at(HOUR)).command);
      expect(events).toEqual([
        {
          type: 'TicketApproved',
          data: { automatic: null, returnAddress, note: null },
          metadata: { actor: merchantAgent, occurredAt: iso(at(HOUR)) },
        },
      ]);
      expect(stateOf([...given, ...events])).toMatchObject({
        status: 'AWAITING_CUSTOMER_RETURN',
        returnAddress,
        deadline: {
          state: 'AWAITING_CUSTOMER_RETURN',
          dueAt: iso(at(HOUR + 7 * DAY)),
          onExpiry: 'CLOSE_RETURN_TIMEOUT',
        },
      });
    });

    it('requires a return address to approve a return', () => {
      expect(() =>
        when(pendingReturn(), cmd('ApproveTicket', { returnAddress: null, note: null }, merchantAgent)),
      ).toThrow(expect.objectContaining({ code: 'VALIDATION', rule: 'returnAddress' }));
    });

    it('approves a refund-only by requesting the refund', () => {
      const events = when(pendingRefund(), approveRefund().command);
      expect(typesOf(events)).toEqual(['TicketApproved', 'RefundRequested']);
      expect(events[1].data).toMatchObject({
        attempt: 1,
        cash: 800,
        coins: 46,
        basis: 'APPROVED',
        note: 'ok',
      });
    });

    it('lets a platform agent approve with the same powers', () => {
      const command = cmd('ApproveTicket', { returnAddress, note: null }, platformAgent);
      expect(typesOf(when(pendingReturn(), command))).toEqual(['TicketApproved']);
    });

    it('rejects with a catalogue reason and a note, closing the ticket', () => {
      const events = when(
        pendingReturn(),
        cmd(
          'RejectTicket',
          { reasonCode: 'USED_OR_DAMAGED_BY_CUSTOMER', note: 'Visible wear' },
          merchantAgent,
        ),
      );
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['TicketRejected', { reasonCode: 'USED_OR_DAMAGED_BY_CUSTOMER', note: 'Visible wear' }],
        ['TicketClosed', { reason: 'REJECTED', note: 'Visible wear' }],
      ]);
      expect(stateOf([...pendingReturn(), ...events])).toMatchObject({
        status: 'CLOSED',
        closeReason: 'REJECTED',
        deadline: null,
      });
    });

    it('refuses a rejection without note or with an unknown reason', () => {
      expect(() =>
        when(pendingReturn(), cmd('RejectTicket', { reasonCode: 'OTHER', note: '  ' }, merchantAgent)),
      ).toThrow(expect.objectContaining({ rule: 'note' }));
      const unknown = cmd(
        'RejectTicket',
        { reasonCode: 'LAZY', note: 'x' } as unknown as { reasonCode: 'OTHER'; note: string },
        merchantAgent,
      );
      expect(() => when(pendingReturn(), unknown)).toThrow(expect.objectContaining({ rule: 'reasonCode' }));
    });

    it("refuses another merchant's agent and another customer", () => {
      expect(() =>
        when(pendingReturn(), cmd('ApproveTicket', { returnAddress, note: null }, otherMerchantAgent)),
      ).toThrow(expect.objectContaining({ code: 'FORBIDDEN', rule: 'ticket.not-yours' }));
      expect(() => when(pendingReturn(), cmd('CancelTicket', { note: null }, otherCustomer))).toThrow(
        expect.objectContaining({ code: 'FORBIDDEN', rule: 'ticket.not-yours' }),
      );
      expect(() =>
        when(pendingReturn(), cmd('ApproveTicket', { returnAddress, note: null }, customer)),
      ).toThrow(expect.objectContaining({ code: 'FORBIDDEN', rule: 'ticket.role-not-allowed' }));
    });

    it('lets the customer withdraw', () => {
      expect(when(pendingReturn(), cmd('CancelTicket', { note: 'found a fix' }, customer))).toEqual([
        {
          type: 'TicketClosed',
          data: { reason: 'CANCELLED_BY_CUSTOMER', note: 'found a fix' },
          metadata: { actor: customer, occurredAt: iso(T0) },
        },
      ]);
    });

    it('adjusts the refund amount within actual paid, and the refund follows it to the cent', () => {
      const given = pendingRefund();
      expect(() => when(given, cmd('AdjustRefundAmount', { amount: 801, note: 'x' }, merchantAgent))).toThrow(
        expect.objectContaining({ code: 'RULE_VIOLATION', rule: 'refund.amount-exceeds-actual-paid' }),
      );
      const adjusted = when(
        given,
        cmd('AdjustRefundAmount', { amount: 700, note: 'box missing' }, merchantAgent),
      );
      expect(adjusted[0].data).toEqual({ from: 800, to: 700, note: 'box missing' });
      const subsidised = history(refundOnlyApplication(), {
        command: cmd('SubsidiseShipping', { amount: 600, note: 'postage' }, merchantAgent),
      });
      expect(subsidised[1].data).toEqual({ amount: 600, totalSubsidy: 600, note: 'postage' });
      const refund = when([...given, ...adjusted], approveRefund().command)[1];
      // 700 of 800 kept: coins 46 * 700 / 800 = 40.25 -> 40
      expect(refund.data).toMatchObject({ cash: 700, coins: 40 });
    });

    it('adds shipping subsidies up and records every agent action with its note', () => {
      const events = history(
        application(),
        { command: cmd('SubsidiseShipping', { amount: 600, note: 'postage' }, merchantAgent) },
        { command: cmd('SubsidiseShipping', { amount: 400, note: 'more postage' }, platformAgent) },
        { command: cmd('IssueCompensationCoupon', { couponValue: 1000, note: 'sorry' }, merchantAgent) },
      );
      const ticket = stateOf(events);
      expect(ticket.amounts).toMatchObject({
        shippingSubsidy: 1000,
        compensationCouponValue: 1000,
        totalCash: 1800,
      });
      expect(
        ticket.agentActions.map((action) => [action.kind, action.amount, action.note, action.by.role]),
      ).toEqual([
        ['SHIPPING_SUBSIDISED', 600, 'postage', 'merchant_agent'],
        ['SHIPPING_SUBSIDISED', 400, 'more postage', 'platform_agent'],
        ['COMPENSATION_COUPON_ISSUED', 1000, 'sorry', 'merchant_agent'],
      ]);
    });

    it("caps the ticket's subsidies together at the policy's shippingSubsidyMax, none when it is null", () => {
      const subsidy = (amount: number) =>
        cmd('SubsidiseShipping', { amount, note: 'postage' }, merchantAgent);
      const given = history(application(), { command: subsidy(2500) });
      expect(typesOf(when(given, subsidy(500)))).toEqual(['ShippingSubsidised']);
      expect(() => when(given, subsidy(501))).toThrow(
        expect.objectContaining({
          code: 'RULE_VIOLATION',
          rule: 'refund.shipping-subsidy-exceeds-policy',
          message:
            "A shipping subsidy of 501 would bring the ticket's subsidies to 3001, beyond the merchant policy's 3000",
        }),
      );
      const uncapped = history(
        application({ policy: { ...DEFAULT_MERCHANT_POLICY, shippingSubsidyMax: null } }),
      );
      expect(typesOf(when(uncapped, subsidy(1_000_000)))).toEqual(['ShippingSubsidised']);
    });

    it('refuses a zero subsidy, a note-less coupon, and money changes on an exchange', () => {
      expect(() =>
        when(pendingReturn(), cmd('SubsidiseShipping', { amount: 0, note: 'x' }, merchantAgent)),
      ).toThrow(expect.objectContaining({ rule: 'amount' }));
      expect(() =>
        when(pendingReturn(), cmd('IssueCompensationCoupon', { couponValue: 100, note: '' }, merchantAgent)),
      ).toThrow(expect.objectContaining({ rule: 'note' }));
      expect(() =>
        when(
          history(application({ type: 'EXCHANGE' })),
          cmd('AdjustRefundAmount', { amount: 1, note: 'x' }, merchantAgent),
        ),
      ).toThrow(expect.objectContaining({ code: 'RULE_VIOLATION', rule: 'ticket.guard-not-met' }));
    });

    it('approves a refund-only by the system when the review deadline passes', () => {
      const given = pendingRefund();
      const events = when(given, expire(given));
      expect(typesOf(events)).toEqual(['DeadlineExpired', 'TicketApproved', 'RefundRequested']);
      expect(events[0].data).toEqual({
        state: 'PENDING_REVIEW',
        dueAt: iso(at(48 * HOUR)),
        onExpiry: 'AUTO_APPROVE',
      });
      expect(events.every((event) => event.metadata.actor === SYSTEM_ACTOR)).toBe(true);
      expect(events[1].data).toMatchObject({ automatic: 'REVIEW_DEADLINE_PASSED' });
    });

    it('approves a return to the default address on timeout, or escalates when the policy has none', () => {
      const withAddress = history(
        application({ policy: { ...DEFAULT_MERCHANT_POLICY, defaultReturnAddress: returnAddress } }),
      );
      const approved = when(withAddress, expire(withAddress));
      expect(approved[1].data).toEqual({ automatic: 'REVIEW_DEADLINE_PASSED', returnAddress, note: null });

      const given = pendingReturn();
      const escalated = when(given, expire(given));
      expect(escalated.map((event) => [event.type, event.data])).toEqual([
        [
          'DeadlineExpired',
          { state: 'PENDING_REVIEW', dueAt: iso(at(48 * HOUR)), onExpiry: 'ESCALATE_TO_PLATFORM' },
        ],
        ['TicketEscalated', { reason: 'REVIEW_DEADLINE_PASSED_WITHOUT_RETURN_ADDRESS' }],
      ]);
      const after = [...given, ...escalated];
      expect(stateOf(after)).toMatchObject({
        status: 'PENDING_REVIEW',
        deadline: null,
        escalations: [{ reason: 'REVIEW_DEADLINE_PASSED_WITHOUT_RETURN_ADDRESS' }],
      });
      expect(when(after, expire(given, LATER))).toEqual([]);
    });

    it('refuses a deadline that is not due yet and ignores one set for another state', () => {
      const given = pendingReturn();
      expect(() => when(given, expire(given, at(47 * HOUR)))).toThrow(
        expect.objectContaining({ rule: 'deadline.not-yet-due' }),
      );
      expect(
        when(
          given,
          cmd('ExpireDeadline', { state: 'INTERCEPTING', dueAt: iso(at(48 * HOUR)) }, system, LATER),
        ),
      ).toEqual([]);
      expect(
        when(
          given,
          cmd('ExpireDeadline', { state: 'PENDING_REVIEW', dueAt: iso(at(47 * HOUR)) }, system, LATER),
        ),
      ).toEqual([]);
    });
  });

  describe('INTERCEPTING', () => {
    const intercepting = GIVEN_BY_STATUS.INTERCEPTING;

    it('approves and refunds the whole order with shipping once the parcel is stopped', () => {
      const events = when(
        intercepting(),
        cmd('RecordInterceptionResult', { intercepted: true, note: null }, warehouse, at(5 * MINUTE)),
      );
      expect(typesOf(events)).toEqual(['ShipmentIntercepted', 'TicketApproved', 'RefundRequested']);
      expect(events[0].metadata.actor).toEqual(warehouse);
      expect(events[1]).toMatchObject({
        data: { automatic: 'SHIPMENT_INTERCEPTED' },
        metadata: { actor: SYSTEM_ACTOR },
      });
      expect(events[2].data).toMatchObject({ cash: 6000, coins: 300, basis: 'SHIPMENT_INTERCEPTED' });
    });

    it('hands a parcel that already left to a human, without the shipping fee', () => {
      const given = intercepting();
      const events = when(
        given,
        cmd(
          'RecordInterceptionResult',
          { intercepted: false, reason: 'ALREADY_SHIPPED', note: 'left at 10:02' },
          warehouse,
          at(5 * MINUTE),
        ),
      );
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['InterceptionFailed', { reason: 'ALREADY_SHIPPED', note: 'left at 10:02' }],
      ]);
      expect(stateOf([...given, ...events])).toMatchObject({
        status: 'PENDING_REVIEW',
        interception: 'NOT_INTERCEPTABLE',
        amounts: { shippingFeeRefund: 0, totalCash: 5200 },
        deadline: { state: 'PENDING_REVIEW', dueAt: iso(at(5 * MINUTE + 48 * HOUR)) },
      });
    });

    it.each(['TASK_UNKNOWN', 'WAREHOUSE_REFUSED'] as const)(
      'keeps why the warehouse could not stop the parcel (%s)',
      (reason) => {
        const given = intercepting();
        const events = when(
          given,
          cmd(
            'RecordInterceptionResult',
            { intercepted: false, reason, note: null },
            warehouse,
            at(5 * MINUTE),
          ),
        );
        expect(events.map((event) => [event.type, event.data])).toEqual([
          ['InterceptionFailed', { reason, note: null }],
        ]);
        expect(stateOf([...given, ...events])).toMatchObject({
          status: 'PENDING_REVIEW',
          interception: 'NOT_INTERCEPTABLE',
        });
      },
    );

    it('refuses an interception failure without a known reason, naming the field', () => {
      const failure = { intercepted: false, reason: 'LOST', note: null } as unknown as {
        intercepted: false;
        reason: 'ALREADY_SHIPPED';
        note: null;
      };
      expect(() => when(intercepting(), cmd('RecordInterceptionResult', failure, warehouse))).toThrow(
        expect.objectContaining({
          rule: 'reason',
          message: 'reason must be one of ALREADY_SHIPPED, TASK_UNKNOWN, WAREHOUSE_REFUSED',
        }),
      );
    });

    it('treats a timeout as not interceptable, and still honours a late interception', () => {
      const given = intercepting();
      const timedOut = when(given, expire(given));
      expect(typesOf(timedOut)).toEqual(['DeadlineExpired', 'InterceptionFailed']);
      expect(timedOut[1].data).toEqual({ reason: 'DEADLINE_PASSED', note: null });
      const after = [...given, ...timedOut];
      expect(stateOf(after)).toMatchObject({
        status: 'PENDING_REVIEW',
        interception: 'TIMED_OUT',
        amounts: { totalCash: 5200 },
      });

      const late = when(
        after,
        cmd('RecordInterceptionResult', { intercepted: true, note: null }, warehouse, at(HOUR)),
      );
      expect(typesOf(late)).toEqual(['ShipmentIntercepted', 'TicketApproved', 'RefundRequested']);
      expect(late[2].data).toMatchObject({ cash: 6000 });
    });

    it('takes the same late answer again as a no-op, and still approves a parcel stopped after all', () => {
      const given = intercepting();
      const left = cmd(
        'RecordInterceptionResult',
        { intercepted: false, reason: 'ALREADY_SHIPPED', note: null },
        warehouse,
        at(HOUR),
      );
      const after = history(
        application({
          type: 'REFUND_ONLY',
          order: anOrder({ state: 'AWAITING_SHIPMENT' }),
          lines: wholeOrder(),
        }),
        { command: expire(given) },
        { command: left },
      );
      expect(stateOf(after)).toMatchObject({ status: 'PENDING_REVIEW', interception: 'NOT_INTERCEPTABLE' });
      expect(when(after, left)).toEqual([]);
      // The warehouse got the parcel back from the carrier: the refund before shipment goes ahead.
      const recalled = when(
        after,
        cmd('RecordInterceptionResult', { intercepted: true, note: 'recalled' }, warehouse, at(2 * HOUR)),
      );
      expect(typesOf(recalled)).toEqual(['ShipmentIntercepted', 'TicketApproved', 'RefundRequested']);
      expect(recalled[2].data).toMatchObject({ cash: 6000 });
    });

    it('records where the parcel is when the warehouse answers after the ticket moved on, once', () => {
      const given = intercepting();
      const timedOut = [...given, ...when(given, expire(given))];
      const report = (intercepted: boolean, hours: number) =>
        cmd(
          'RecordInterceptionResult',
          intercepted
            ? { intercepted: true, note: 'held at the dock' }
            : { intercepted: false, reason: 'ALREADY_SHIPPED', note: 'held at the dock' },
          warehouse,
          at(hours * HOUR),
        );

      const cancelled = [
        ...timedOut,
        ...when(timedOut, cmd('CancelTicket', { note: null }, customer, at(HOUR))),
      ];
      const late = when(cancelled, report(true, 2));
      expect(late.map((event) => [event.type, event.data])).toEqual([
        ['InterceptionReportedLate', { intercepted: true, note: 'held at the dock' }],
      ]);
      const recorded = [...cancelled, ...late];
      // The closed ticket keeps its money as it closed: nothing is refunded for it.
      expect(stateOf(recorded)).toMatchObject({
        status: 'CLOSED',
        interception: 'INTERCEPTED',
        amounts: { totalCash: 5200 },
      });
      expect(when(recorded, report(true, 3))).toEqual([]);

      const approved = [
        ...timedOut,
        ...when(timedOut, cmd('ApproveTicket', { returnAddress: null, note: null }, merchantAgent, at(HOUR))),
      ];
      const left = when(approved, report(false, 2));
      expect(typesOf(left)).toEqual(['InterceptionReportedLate']);
      const leftRecorded = [...approved, ...left];
      expect(stateOf(leftRecorded)).toMatchObject({
        status: 'AWAITING_REFUND',
        interception: 'NOT_INTERCEPTABLE',
      });
      // The warehouse got the parcel back after all: that contradicts its first answer, so it is recorded too.
      const recalled = when(leftRecorded, report(true, 3));
      expect(typesOf(recalled)).toEqual(['InterceptionReportedLate']);
      expect(stateOf([...leftRecorded, ...recalled]).interception).toBe('INTERCEPTED');
    });

    it('takes a repeated interception report after an in-time one as a no-op once the refund is under way', () => {
      const given = intercepting();
      const stopped = [
        ...given,
        ...when(given, cmd('RecordInterceptionResult', { intercepted: true, note: null }, warehouse)),
      ];
      expect(stateOf(stopped).status).toBe('AWAITING_REFUND');
      expect(
        when(
          stopped,
          cmd('RecordInterceptionResult', { intercepted: true, note: null }, warehouse, at(HOUR)),
        ),
      ).toEqual([]);
    });

    it('allows the platform only to record while the warehouse answers', () => {
      expect(() =>
        when(
          intercepting(),
          cmd('Intervene', { ruling: 'FORCE_CLOSE', note: 'x', amount: null }, platformAgent),
        ),
      ).toThrow(
        expect.objectContaining({
          code: 'RULE_VIOLATION',
          rule: 'ticket.transition-not-allowed',
          details: { from: 'INTERCEPTING', command: 'Intervene', to: 'CLOSED' },
        }),
      );
    });
  });

  describe('CANCELLING', () => {
    it('succeeds when the order side closed the order', () => {
      const events = when(GIVEN_BY_STATUS.CANCELLING(), cmd('RecordOrderClosed', {}, system));
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['OrderCancelled', { orderId: 'order-1' }],
        ['TicketSucceeded', { outcome: 'ORDER_CANCELLED' }],
      ]);
    });

    it('closes when the order was paid meanwhile', () => {
      const events = when(GIVEN_BY_STATUS.CANCELLING(), cmd('RecordOrderPaid', {}, system));
      expect(events).toEqual([
        expect.objectContaining({
          type: 'TicketClosed',
          data: { reason: 'ORDER_ALREADY_PAID', note: expect.stringContaining('refund') },
        }),
      ]);
    });
  });

  describe('AWAITING_CUSTOMER_RETURN', () => {
    const awaiting = GIVEN_BY_STATUS.AWAITING_CUSTOMER_RETURN;

    it('requests a return stock-in task when the customer ships, and starts the 14-day stock-in deadline', () => {
      const given = awaiting();
      const events = when(given, shipReturn(at(2 * HOUR)).command);
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['ReturnShipmentSubmitted', { carrier: 'SF', trackingNo: 'SF123' }],
        [
          'ReturnStockInRequested',
          {
            orderId: 'order-1',
            ticketNo: 'AS202611250000001',
            lines: [{ lineId: 'L1', sku: 'SKU-A', title: 'Tea cup', quantity: 1 }],
            returnAddress,
            carrier: 'SF',
            trackingNo: 'SF123',
          },
        ],
      ]);
      expect(stateOf([...given, ...events])).toMatchObject({
        status: 'AWAITING_STOCK_IN',
        returnShipment: { carrier: 'SF', trackingNo: 'SF123', submittedAt: iso(at(2 * HOUR)) },
        deadline: {
          state: 'AWAITING_STOCK_IN',
          dueAt: iso(at(2 * HOUR + 14 * DAY)),
          onExpiry: 'CLOSE_STOCK_IN_TIMEOUT',
        },
      });
    });

    it('needs a tracking number', () => {
      expect(() =>
        when(awaiting(), cmd('SubmitReturnShipment', { carrier: 'SF', trackingNo: '' }, customer)),
      ).toThrow(expect.objectContaining({ rule: 'trackingNo' }));
    });

    it('closes on return timeout', () => {
      const given = awaiting();
      expect(
        when(given, expire(given)).map((event) => [event.type, event.data, event.metadata.actor]),
      ).toEqual([
        [
          'DeadlineExpired',
          {
            state: 'AWAITING_CUSTOMER_RETURN',
            dueAt: iso(at(HOUR + 7 * DAY)),
            onExpiry: 'CLOSE_RETURN_TIMEOUT',
          },
          SYSTEM_ACTOR,
        ],
        ['TicketClosed', { reason: 'RETURN_TIMEOUT', note: null }, SYSTEM_ACTOR],
      ]);
    });

    it('lets the platform refund without the goods', () => {
      const events = when(
        awaiting(),
        cmd('Intervene', { ruling: 'FORCE_REFUND', note: 'carrier lost it', amount: 600 }, platformAgent),
      );
      expect(typesOf(events)).toEqual(['PlatformIntervened', 'RefundRequested']);
      expect(events[1].data).toMatchObject({ cash: 600, basis: 'PLATFORM_RULING', note: 'carrier lost it' });
    });
  });

  describe('AWAITING_STOCK_IN', () => {
    const awaiting = GIVEN_BY_STATUS.AWAITING_STOCK_IN;

    it('requests the refund when everything arrived restockable', () => {
      const events = when(awaiting(), stockInMatching().command);
      expect(typesOf(events)).toEqual(['ReturnStockedIn', 'RefundRequested']);
      expect(events[0].data).toEqual({
        lines: [{ lineId: 'L1', expectedQuantity: 1, quantityReceived: 1, dispositions: ['RESTOCKABLE'] }],
        matches: true,
        note: null,
        // The warehouse gave no time of its own: the time it was recorded stands in.
        stockedAt: iso(at(3 * HOUR)),
      });
      expect(events[1].data).toMatchObject({ cash: 800, coins: 46, basis: 'STOCK_IN_MATCHED' });
    });

    it('negotiates when a unit is damaged, with a 7-day negotiation deadline', () => {
      const given = awaiting();
      const events = when(given, stockInDamaged(at(3 * HOUR)).command);
      expect(typesOf(events)).toEqual(['ReturnStockedIn']);
      expect(events[0].data).toMatchObject({ matches: false, note: 'scratched' });
      expect(stateOf([...given, ...events])).toMatchObject({
        status: 'IN_NEGOTIATION',
        deadline: { state: 'IN_NEGOTIATION', dueAt: iso(at(3 * HOUR + 7 * DAY)) },
      });
    });

    it('negotiates when fewer units arrived', () => {
      const given = history(
        application({ lines: [{ lineId: 'L1', quantity: 2 }] }),
        approveReturn(),
        shipReturn(),
      );
      const report = cmd(
        'RecordStockIn',
        {
          lines: [{ lineId: 'L1', quantityReceived: 1, dispositions: ['RESTOCKABLE', 'MISSING'] }],
          note: null,
        },
        warehouse,
      );
      expect(when(given, report)[0].data).toMatchObject({ matches: false });
    });

    it('refuses a report that does not account for every unit', () => {
      const given = history(
        application({ lines: [{ lineId: 'L1', quantity: 2 }] }),
        approveReturn(),
        shipReturn(),
      );
      const report = (
        lines: { lineId: string; quantityReceived: number; dispositions: ('RESTOCKABLE' | 'MISSING')[] }[],
      ): TicketCommand => cmd('RecordStockIn', { lines, note: null }, warehouse);
      expect(() => when(given, report([]))).toThrow(expect.objectContaining({ rule: 'lines' }));
      expect(() =>
        when(
          given,
          report([{ lineId: 'L2', quantityReceived: 1, dispositions: ['RESTOCKABLE', 'MISSING'] }]),
        ),
      ).toThrow(expect.objectContaining({ rule: 'lines' }));
      expect(() =>
        when(given, report([{ lineId: 'L1', quantityReceived: 2, dispositions: ['RESTOCKABLE'] }])),
      ).toThrow(expect.objectContaining({ rule: 'lines[0].dispositions' }));
      expect(() =>
        when(
          given,
          report([{ lineId: 'L1', quantityReceived: 2, dispositions: ['RESTOCKABLE', 'MISSING'] }]),
        ),
      ).toThrow(expect.objectContaining({ rule: 'lines[0].dispositions' }));
      expect(() =>
        when(
          given,
          report([{ lineId: 'L1', quantityReceived: 3, dispositions: ['RESTOCKABLE', 'RESTOCKABLE'] }]),
        ),
      ).toThrow(expect.objectContaining({ rule: 'lines[0].quantityReceived' }));
    });

    it('requests the replacement for a matching exchange', () => {
      const given = history(application({ type: 'EXCHANGE' }), approveReturn(), shipReturn());
      const events = when(given, stockInMatching().command);
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['ReturnStockedIn', expect.objectContaining({ matches: true })],
        [
          'ExchangeStockOutRequested',
          {
            orderId: 'order-1',
            ticketNo: 'AS202611250000001',
            lines: [{ lineId: 'L1', sku: 'SKU-A', title: 'Tea cup', quantity: 1 }],
            deliveryAddress: homeAddress,
          },
        ],
      ]);
      expect(stateOf([...given, ...events]).deadline).toMatchObject({
        state: 'AWAITING_EXCHANGE_SHIPMENT',
        onExpiry: 'ESCALATE_TO_PLATFORM',
      });
    });

    it('closes on stock-in timeout by default, or refunds when the policy says so (returns only)', () => {
      const given = awaiting();
      expect(when(given, expire(given)).map((event) => event.data)).toEqual([
        expect.objectContaining({ onExpiry: 'CLOSE_STOCK_IN_TIMEOUT' }),
        { reason: 'STOCK_IN_TIMEOUT', note: null },
      ]);
      const policy = { ...DEFAULT_MERCHANT_POLICY, stockInTimeoutAction: 'AUTO_REFUND' as const };
      const autoRefund = history(application({ policy }), approveReturn(), shipReturn());
      const refunded = when(autoRefund, expire(autoRefund));
      expect(typesOf(refunded)).toEqual(['DeadlineExpired', 'RefundRequested']);
      expect(refunded[1].data).toMatchObject({ cash: 800, basis: 'STOCK_IN_TIMEOUT' });
      const exchange = history(application({ type: 'EXCHANGE', policy }), approveReturn(), shipReturn());
      expect(typesOf(when(exchange, expire(exchange)))).toEqual(['DeadlineExpired', 'TicketClosed']);
    });
  });

  describe('IN_NEGOTIATION', () => {
    const negotiating = GIVEN_BY_STATUS.IN_NEGOTIATION;
    const withOffer = (): TicketEvent[] =>
      history(application(), approveReturn(), shipReturn(), stockInDamaged(), propose(500));

    it('records an offer within actual paid without restarting the deadline', () => {
      const given = negotiating();
      const events = when(given, propose(500, at(4 * HOUR)).command);
      expect(events[0].data).toEqual({ amount: 500, actualPaid: 800, note: 'scratched cup' });
      expect(stateOf([...given, ...events])).toMatchObject({
        offer: { amount: 500, status: 'PENDING', proposedBy: merchantAgent },
        deadline: stateOf(given).deadline,
      });
      expect(() => when(given, propose(801).command)).toThrow(
        expect.objectContaining({ rule: 'refund.amount-exceeds-actual-paid' }),
      );
    });

    it('refunds the agreed amount when the customer accepts, coins scaled to match', () => {
      const given = withOffer();
      const events = when(given, cmd('AcceptOffer', { amount: 500 }, customer, LATER));
      expect(typesOf(events)).toEqual(['RefundOfferAccepted', 'RefundRequested']);
      // 500 of 800: coins 46 * 500 / 800 = 28.75 -> 28
      expect(events[1].data).toMatchObject({
        cash: 500,
        coins: 28,
        basis: 'OFFER_ACCEPTED',
        amounts: { agreedGoodsAmount: 500, goodsActualPaid: 800 },
      });
    });

    it('refuses acceptance of an offer that has since changed, or when there is none', () => {
      const replaced = history(
        application(),
        approveReturn(),
        shipReturn(),
        stockInDamaged(),
        propose(500),
        propose(400),
      );
      expect(() => when(replaced, cmd('AcceptOffer', { amount: 500 }, customer))).toThrow(
        expect.objectContaining({ code: 'CONFLICT', rule: 'negotiation.offer-changed' }),
      );
      expect(() => when(negotiating(), cmd('AcceptOffer', { amount: 500 }, customer))).toThrow(
        expect.objectContaining({ code: 'RULE_VIOLATION', rule: 'ticket.guard-not-met' }),
      );
    });

    it('sends the goods back and closes when the customer declines', () => {
      const events = when(withOffer(), cmd('DeclineOffer', { note: 'too low' }, customer));
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['RefundOfferDeclined', { amount: 500, note: 'too low' }],
        [
          'GoodsReturnToCustomerRequested',
          {
            orderId: 'order-1',
            ticketNo: 'AS202611250000001',
            lines: [{ lineId: 'L1', sku: 'SKU-A', title: 'Tea cup', quantity: 1 }],
          },
        ],
        ['TicketClosed', { reason: 'NEGOTIATION_DECLINED', note: 'too low' }],
      ]);
    });

    it('sends the goods back on negotiation timeout and on an agent close', () => {
      const given = negotiating();
      expect(typesOf(when(given, expire(given)))).toEqual([
        'DeadlineExpired',
        'GoodsReturnToCustomerRequested',
        'TicketClosed',
      ]);
      const closed = when(given, cmd('CloseTicket', { note: 'used goods' }, merchantAgent));
      expect(closed.map((event) => event.type)).toEqual(['GoodsReturnToCustomerRequested', 'TicketClosed']);
      expect(closed[1].data).toEqual({ reason: 'CLOSED_BY_AGENT', note: 'used goods' });
    });

    it('has no goods to send back when nothing arrived', () => {
      const given = history(application(), approveReturn(), shipReturn(), {
        command: cmd(
          'RecordStockIn',
          { lines: [{ lineId: 'L1', quantityReceived: 0, dispositions: ['MISSING'] }], note: 'empty box' },
          warehouse,
        ),
      });
      expect(typesOf(when(given, cmd('CloseTicket', { note: 'nothing came' }, merchantAgent)))).toEqual([
        'TicketClosed',
      ]);
    });

    it('lets the agent ship an exchange despite the mismatch; offers are for returns only', () => {
      const exchange = history(
        application({ type: 'EXCHANGE' }),
        approveReturn(),
        shipReturn(),
        stockInDamaged(),
      );
      const events = when(exchange, cmd('ShipExchangeDespiteMismatch', { note: 'goodwill' }, merchantAgent));
      expect(typesOf(events)).toEqual(['ExchangeApprovedDespiteMismatch', 'ExchangeStockOutRequested']);
      expect(() => when(exchange, propose(100).command)).toThrow(
        expect.objectContaining({ rule: 'ticket.guard-not-met' }),
      );
    });
  });

  describe('AWAITING_EXCHANGE_SHIPMENT', () => {
    const awaiting = GIVEN_BY_STATUS.AWAITING_EXCHANGE_SHIPMENT;

    it('succeeds when the replacement ships, at the time the warehouse says it left', () => {
      const given = awaiting();
      const events = when(
        given,
        cmd(
          'RecordExchangeShipped',
          {
            lines: SHIPPED_AS_ASKED,
            carrier: 'YTO',
            trackingNo: 'YT777',
            shippedAt: '2026-11-25T17:30:00+08:00',
          },
          warehouse,
          at(HOUR),
        ),
      );
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['ExchangeShipped', { carrier: 'YTO', trackingNo: 'YT777', shippedAt: '2026-11-25T09:30:00.000Z' }],
        ['TicketSucceeded', { outcome: 'EXCHANGED' }],
      ]);
      expect(stateOf([...given, ...events]).exchangeShipment).toEqual({
        carrier: 'YTO',
        trackingNo: 'YT777',
        shippedAt: '2026-11-25T09:30:00.000Z',
      });
    });

    it('refuses a shipping time that is not an instant, naming the field', () => {
      expect(() =>
        when(
          awaiting(),
          cmd(
            'RecordExchangeShipped',
            { lines: SHIPPED_AS_ASKED, carrier: 'YTO', trackingNo: 'YT777', shippedAt: 'yesterday' },
            warehouse,
          ),
        ),
      ).toThrow(
        expect.objectContaining({ rule: 'shippedAt', message: 'shippedAt must be an ISO-8601 instant' }),
      );
    });

    it.each([
      [
        'another line',
        [{ lineId: 'L2', quantity: 1 }],
        'lines[0].lineId',
        'Line L2 is not in the exchange (L1 × 1)',
      ],
      [
        'fewer units',
        [{ lineId: 'L1', quantity: 0 }],
        'lines[0].quantity',
        'The exchange ships 1 of line L1, not 0',
      ],
      [
        'more units',
        [{ lineId: 'L1', quantity: 2 }],
        'lines[0].quantity',
        'The exchange ships 1 of line L1, not 2',
      ],
      ['no line', [], 'lines', 'Ship every line of the exchange exactly once (L1 × 1)'],
      [
        'a line twice',
        [
          { lineId: 'L1', quantity: 1 },
          { lineId: 'L1', quantity: 1 },
        ],
        'lines',
        'Ship every line of the exchange exactly once (L1 × 1)',
      ],
    ])(
      'refuses a parcel with %s: it is not the replacement the task asked for',
      (_, lines, rule, message) => {
        expect(() =>
          when(
            awaiting(),
            cmd('RecordExchangeShipped', { lines, carrier: 'YTO', trackingNo: 'YT777' }, warehouse),
          ),
        ).toThrow(expect.objectContaining({ code: 'VALIDATION', rule, message }));
      },
    );

    it('escalates to the platform on timeout, staying put without a new deadline', () => {
      const given = awaiting();
      const events = when(given, expire(given));
      expect(events.map((event) => event.type)).toEqual(['DeadlineExpired', 'TicketEscalated']);
      expect(stateOf([...given, ...events])).toMatchObject({
        status: 'AWAITING_EXCHANGE_SHIPMENT',
        deadline: null,
      });
    });

    it('lets the platform turn the exchange into a refund; the line then counts as returned', () => {
      const ruled = [
        ...awaiting(),
        ...when(
          awaiting(),
          cmd('Intervene', { ruling: 'FORCE_REFUND', note: 'out of stock', amount: null }, platformAgent),
        ),
      ];
      expect(stateOf(ruled)).toMatchObject({ status: 'AWAITING_REFUND', refund: { cash: 800 } });
      const paid = when(ruled, paidAsAsked(ruled));
      expect(paid[1].data).toEqual({ outcome: 'RETURNED' });
    });

    it('sends held goods back on a platform close', () => {
      const events = when(
        awaiting(),
        cmd('Intervene', { ruling: 'FORCE_CLOSE', note: 'fraud', amount: null }, platformAgent),
      );
      expect(typesOf(events)).toEqual([
        'PlatformIntervened',
        'ExchangeStockOutCancellationRequested',
        'GoodsReturnToCustomerRequested',
        'TicketClosed',
      ]);
      expect(events[1].data).toEqual({
        orderId: 'order-1',
        ticketNo: 'AS202611250000001',
        lines: [{ lineId: 'L1', sku: 'SKU-A', title: 'Tea cup', quantity: 1 }],
        ruling: 'FORCE_CLOSE',
      });
      expect(events[3].data).toEqual({ reason: 'CLOSED_BY_PLATFORM', note: 'fraud' });
    });

    it('cancels the stock-out on a ruled refund, and records a replacement that had left anyway', () => {
      const given = awaiting();
      const ruling = when(
        given,
        cmd('Intervene', { ruling: 'FORCE_REFUND', note: 'out of stock', amount: null }, platformAgent),
      );
      expect(typesOf(ruling)).toEqual([
        'PlatformIntervened',
        'ExchangeStockOutCancellationRequested',
        'RefundRequested',
      ]);
      const ruled = [...given, ...ruling];
      expect(stateOf(ruled)).toMatchObject({ status: 'AWAITING_REFUND', exchangeStockOutCancelled: true });

      const shipped = (trackingNo: string) =>
        cmd('RecordExchangeShipped', { lines: SHIPPED_AS_ASKED, carrier: 'YTO', trackingNo }, warehouse);
      const late = when(ruled, shipped('YT777'));
      expect(late.map((event) => [event.type, event.data])).toEqual([
        ['ExchangeShippedLate', { carrier: 'YTO', trackingNo: 'YT777', shippedAt: iso(T0) }],
      ]);
      const recorded = [...ruled, ...late];
      expect(stateOf(recorded)).toMatchObject({
        status: 'AWAITING_REFUND',
        exchangeShipment: { carrier: 'YTO', trackingNo: 'YT777' },
      });
      // The refund the platform ruled goes on; the same report again changes nothing, another parcel is refused.
      expect(when(recorded, shipped('YT777'))).toEqual([]);
      expect(() => when(recorded, shipped('YT999'))).toThrow(
        expect.objectContaining({
          rule: 'ticket.replacement-already-shipped',
          message: 'Ticket AS202611250000001 already shipped the replacement with YTO YT777',
        }),
      );
      expect(typesOf(when(recorded, paidAsAsked(recorded)))).toEqual(['RefundPaid', 'TicketSucceeded']);
    });

    it('takes the same replacement report again as a no-op once shipped, and refuses a second parcel', () => {
      const given = awaiting();
      const shipped = (trackingNo: string) =>
        cmd('RecordExchangeShipped', { lines: SHIPPED_AS_ASKED, carrier: 'YTO', trackingNo }, warehouse);
      const succeeded = [...given, ...when(given, shipped('YT777'))];
      expect(stateOf(succeeded).status).toBe('SUCCEEDED');
      expect(when(succeeded, shipped('YT777'))).toEqual([]);
      expect(() => when(succeeded, shipped('YT778'))).toThrow(
        expect.objectContaining({ rule: 'ticket.replacement-already-shipped' }),
      );
    });

    it('refuses a replacement for an exchange that closed before asking for one', () => {
      const closed = GIVEN_BY_STATUS.CLOSED();
      expect(() =>
        when(
          closed,
          cmd(
            'RecordExchangeShipped',
            { lines: SHIPPED_AS_ASKED, carrier: 'YTO', trackingNo: 'YT777' },
            warehouse,
          ),
        ),
      ).toThrow(expect.objectContaining({ rule: 'ticket.guard-not-met' }));
    });
  });

  describe('AWAITING_REFUND', () => {
    const awaiting = GIVEN_BY_STATUS.AWAITING_REFUND;

    const approval = (change: Partial<{ cash: number; coins: number; automatic: boolean }> = {}) =>
      cmd(
        'RecordRefundApproved',
        { attempt: 1, refundId: 'refund-1', cash: 800, coins: 46, automatic: false, ...change },
        finance,
      );

    it("records finance's approval of the attempt as requested, then is paid as before", () => {
      const given = awaiting();
      const events = when(given, approval());
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['RefundApproved', { attempt: 1, refundId: 'refund-1', automatic: false }],
      ]);
      const approved = [...given, ...events];
      expect(stateOf(approved)).toMatchObject({ status: 'AWAITING_REFUND', refund: { status: 'APPROVED' } });
      expect(when(approved, approval())).toEqual([]);
      expect(typesOf(when(approved, paidAsAsked(approved)))).toEqual(['RefundPaid', 'TicketSucceeded']);
    });

    it('refuses an approval of other amounts, and one of an attempt finance rejected', () => {
      expect(() => when(awaiting(), approval({ cash: 8000 }))).toThrow(
        expect.objectContaining({
          rule: 'cash',
          message: 'Refund attempt 1 asked for 800 in cash, not the 8000 reported approved',
        }),
      );
      const rejected = history(refundOnlyApplication(), approveRefund(), refundRejected());
      expect(() => when(rejected, approval())).toThrow(
        expect.objectContaining({
          rule: 'refund.not-awaiting-approval',
          message: 'Refund attempt 1 is REJECTED and no longer waits for approval',
        }),
      );
    });

    it('succeeds when the current attempt is paid, keeping when the gateway paid', () => {
      const given = awaiting();
      const events = when(given, paidAsAsked(given));
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['RefundPaid', { attempt: 1, refundId: 'refund-1', cash: 800, coins: 46, paidAt: iso(at(2 * HOUR)) }],
        ['TicketSucceeded', { outcome: 'REFUNDED' }],
      ]);
      expect(stateOf(given).refund?.paidAt).toBeNull();
      const settled = cmd(
        'RecordRefundPaid',
        { attempt: 1, refundId: 'refund-1', cash: 800, coins: 46, paidAt: '2026-11-25T11:59:00Z' },
        system,
        at(5 * HOUR),
      );
      expect(stateOf([...given, ...when(given, settled)]).refund).toMatchObject({
        status: 'PAID',
        paidAt: '2026-11-25T11:59:00.000Z',
      });
      const returned = history(application(), approveReturn(), shipReturn(), stockInMatching());
      expect(when(returned, paidAsAsked(returned, 'r'))[1].data).toEqual({
        outcome: 'RETURNED',
      });
    });

    it.each([
      [
        'less cash',
        { cash: 799 },
        'cash',
        'Refund attempt 1 asked for 800 in cash, not the 799 reported paid',
      ],
      [
        'more coins',
        { coins: 47 },
        'coins',
        'Refund attempt 1 asked for 46 in coins, not the 47 reported paid',
      ],
    ])('refuses a payment of %s than the attempt asked for, staying put', (_, paid, rule, message) => {
      const given = awaiting();
      const asked = paidAsAsked(given) as Extract<TicketCommand, { type: 'RecordRefundPaid' }>;
      expect(() => when(given, { ...asked, data: { ...asked.data, ...paid } })).toThrow(
        expect.objectContaining({ code: 'VALIDATION', rule, message }),
      );
    });

    it('refuses reports about another attempt', () => {
      expect(() =>
        when(
          awaiting(),
          cmd('RecordRefundPaid', { attempt: 2, refundId: 'r', cash: 800, coins: 46 }, system),
        ),
      ).toThrow(expect.objectContaining({ rule: 'refund.attempt-mismatch' }));
    });

    it('records a failure, ignores its redelivery, and lets an agent request again with a new key', () => {
      const given = awaiting();
      const failed = when(given, refundFailed().command);
      expect(failed.map((event) => [event.type, event.data])).toEqual([
        ['RefundFailed', { attempt: 1, refundId: 'refund-1', reason: 'gateway timeout' }],
      ]);
      const after = [...given, ...failed];
      expect(stateOf(after)).toMatchObject({
        status: 'AWAITING_REFUND',
        refund: { status: 'FAILED', problem: 'gateway timeout' },
      });
      expect(when(after, refundFailed().command)).toEqual([]);
      const again = when(after, cmd('RequestRefundAgain', { note: 'retry' }, merchantAgent));
      expect(again[0].data).toMatchObject({
        attempt: 2,
        idempotencyKey: 'ticket-1:refund:2',
        basis: 'RETRY',
        cash: 800,
      });
    });

    it('refuses to request again while an attempt is in flight', () => {
      expect(() => when(awaiting(), cmd('RequestRefundAgain', { note: 'retry' }, merchantAgent))).toThrow(
        expect.objectContaining({ rule: 'ticket.guard-not-met' }),
      );
      expect(() =>
        when(
          awaiting(),
          cmd('Intervene', { ruling: 'FORCE_REFUND', note: 'x', amount: null }, platformAgent),
        ),
      ).toThrow(expect.objectContaining({ rule: 'intervention.refund-in-flight' }));
    });

    it('still succeeds when a failed attempt is paid after all', () => {
      const given = history(refundOnlyApplication(), approveRefund(), refundFailed());
      expect(typesOf(when(given, paidAsAsked(given)))).toEqual(['RefundPaid', 'TicketSucceeded']);
    });

    it('after a finance rejection: no payment, amount may change and be requested again, or the agent closes', () => {
      const given = history(refundOnlyApplication(), approveRefund(), refundRejected());
      expect(stateOf(given).refund).toMatchObject({ status: 'REJECTED', problem: 'suspected fraud' });
      expect(() => when(given, paidAsAsked(given, 'r'))).toThrow(
        expect.objectContaining({ rule: 'refund.attempt-rejected' }),
      );
      const adjusted = history(
        refundOnlyApplication(),
        approveRefund(),
        refundRejected(),
        { command: cmd('AdjustRefundAmount', { amount: 300, note: 'partial' }, merchantAgent) },
        { command: cmd('RequestRefundAgain', { note: 'reduced' }, merchantAgent) },
      );
      expect(adjusted[adjusted.length - 1].data).toMatchObject({ attempt: 2, cash: 300 });
      expect(typesOf(when(given, cmd('CloseTicket', { note: 'finance says no' }, merchantAgent)))).toEqual([
        'TicketClosed',
      ]);
      expect(() =>
        when(
          history(refundOnlyApplication(), approveRefund(), refundFailed()),
          cmd('CloseTicket', { note: 'x' }, merchantAgent),
        ),
      ).toThrow(expect.objectContaining({ rule: 'ticket.guard-not-met' }));
    });

    it('accepts a finance rejection from finance staff, not from customers', () => {
      expect(() =>
        when(awaiting(), cmd('RecordRefundRejected', { attempt: 1, refundId: 'r', reason: 'x' }, customer)),
      ).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
      expect(
        typesOf(
          when(awaiting(), cmd('RecordRefundRejected', { attempt: 1, refundId: 'r', reason: 'x' }, finance)),
        ),
      ).toEqual(['RefundRejected']);
    });
  });

  describe('SUCCEEDED and CLOSED', () => {
    it.each(['SUCCEEDED', 'CLOSED'] as const)(
      '%s ignores a late deadline and refuses everything else',
      (status) => {
        const given = GIVEN_BY_STATUS[status]();
        expect(
          when(
            given,
            cmd('ExpireDeadline', { state: 'PENDING_REVIEW', dueAt: iso(at(48 * HOUR)) }, system, LATER),
          ),
        ).toEqual([]);
        expect(() =>
          when(given, cmd('IssueCompensationCoupon', { couponValue: 100, note: 'x' }, merchantAgent)),
        ).toThrow(
          expect.objectContaining({
            code: 'ILLEGAL_STATE',
            message: `IssueCompensationCoupon is not allowed in state ${status}`,
          }),
        );
      },
    );
  });

  describe('a return that arrives after the stock-in deadline', () => {
    const timedOut = (stockInTimeoutAction: 'CLOSE' | 'AUTO_REFUND') => {
      const given = history(
        application({ policy: { ...DEFAULT_MERCHANT_POLICY, stockInTimeoutAction } }),
        approveReturn(),
        shipReturn(),
      );
      return [...given, ...when(given, expire(given))];
    };
    const arrived = (dispositions: ('RESTOCKABLE' | 'MISSING')[]) =>
      cmd(
        'RecordStockIn',
        {
          lines: [
            {
              lineId: 'L1',
              quantityReceived: dispositions.filter((d) => d !== 'MISSING').length,
              dispositions,
            },
          ],
          note: 'came in on day 15',
        },
        warehouse,
        at(15 * DAY),
      );

    it('is recorded on the closed ticket and sent back to the customer, who got nothing', () => {
      const closed = timedOut('CLOSE');
      expect(stateOf(closed)).toMatchObject({ status: 'CLOSED', closeReason: 'STOCK_IN_TIMEOUT' });
      const events = when(closed, arrived(['RESTOCKABLE']));
      expect(events.map((event) => [event.type, event.data])).toEqual([
        [
          'ReturnStockedInLate',
          {
            lines: [
              { lineId: 'L1', expectedQuantity: 1, quantityReceived: 1, dispositions: ['RESTOCKABLE'] },
            ],
            matches: true,
            note: 'came in on day 15',
            stockedAt: iso(at(15 * DAY)),
          },
        ],
        [
          'GoodsReturnToCustomerRequested',
          {
            orderId: 'order-1',
            ticketNo: 'AS202611250000001',
            lines: [{ lineId: 'L1', sku: 'SKU-A', title: 'Tea cup', quantity: 1 }],
          },
        ],
      ]);
      const after = stateOf([...closed, ...events]);
      expect(after).toMatchObject({
        status: 'CLOSED',
        goodsReturnRequested: true,
        inspection: { matches: true },
      });
      expect(() => when([...closed, ...events], arrived(['RESTOCKABLE']))).toThrow(
        expect.objectContaining({ rule: 'ticket.guard-not-met' }),
      );
    });

    it('sends nothing back when nothing arrived', () => {
      expect(typesOf(when(timedOut('CLOSE'), arrived(['MISSING'])))).toEqual(['ReturnStockedInLate']);
    });

    it('is recorded, and kept by the merchant, when the deadline refunded the customer unseen', () => {
      const refunding = timedOut('AUTO_REFUND');
      expect(stateOf(refunding).status).toBe('AWAITING_REFUND');
      expect(typesOf(when(refunding, arrived(['RESTOCKABLE'])))).toEqual(['ReturnStockedInLate']);
      const refunded = [...refunding, ...when(refunding, paidAsAsked(refunding))];
      const events = when(refunded, arrived(['RESTOCKABLE']));
      expect(typesOf(events)).toEqual(['ReturnStockedInLate']);
      expect(stateOf([...refunded, ...events])).toMatchObject({ status: 'SUCCEEDED', outcome: 'RETURNED' });
    });

    it('is refused on a ticket that never asked the customer to ship', () => {
      expect(() => when(GIVEN_BY_STATUS.CLOSED(), arrived(['RESTOCKABLE']))).toThrow(
        expect.objectContaining({ rule: 'ticket.guard-not-met' }),
      );
    });
  });

  describe('CLOSED with the goods sent back', () => {
    const returned = (lines = SHIPPED_AS_ASKED, trackingNo = 'SF999') =>
      cmd('RecordGoodsReturnedToCustomer', { lines, carrier: 'SF', trackingNo }, warehouse, LATER);

    it('records the parcel that took them back, staying CLOSED', () => {
      const given = goodsSentBack();
      const events = when(given, returned());
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['GoodsReturnedToCustomer', { carrier: 'SF', trackingNo: 'SF999', shippedAt: iso(LATER) }],
      ]);
      expect(stateOf([...given, ...events])).toMatchObject({
        status: 'CLOSED',
        closeReason: 'CLOSED_BY_AGENT',
        goodsReturnShipment: { carrier: 'SF', trackingNo: 'SF999', shippedAt: iso(LATER) },
      });
    });

    it('takes the same parcel reported again as done, and refuses a second parcel', () => {
      const given = goodsSentBack();
      const recorded = [...given, ...when(given, returned())];
      expect(when(recorded, returned())).toEqual([]);
      expect(() => when(recorded, returned(SHIPPED_AS_ASKED, 'SF000'))).toThrow(
        expect.objectContaining({
          rule: 'ticket.goods-already-returned',
          message: 'Ticket AS202611250000001 already sent the goods back with SF SF999',
        }),
      );
    });

    it('sends back what arrived: a unit that never reached the warehouse is not in the parcel', () => {
      const given = history(
        application({ lines: [{ lineId: 'L1', quantity: 2 }] }),
        approveReturn(),
        shipReturn(),
        {
          command: cmd(
            'RecordStockIn',
            {
              lines: [{ lineId: 'L1', quantityReceived: 1, dispositions: ['RESTOCKABLE', 'MISSING'] }],
              note: null,
            },
            warehouse,
            at(3 * HOUR),
          ),
        },
        { command: cmd('CloseTicket', { note: 'one unit lost' }, merchantAgent, at(4 * HOUR)) },
      );
      expect(() => when(given, returned([{ lineId: 'L1', quantity: 2 }]))).toThrow(
        expect.objectContaining({
          code: 'VALIDATION',
          rule: 'lines[0].quantity',
          message: 'The return to the customer ships 1 of line L1, not 2',
        }),
      );
      expect(() => when(given, returned([{ lineId: 'L2', quantity: 1 }]))).toThrow(
        expect.objectContaining({
          rule: 'lines[0].lineId',
          message: 'Line L2 is not in the return to the customer (L1 × 1)',
        }),
      );
      expect(typesOf(when(given, returned([{ lineId: 'L1', quantity: 1 }])))).toEqual([
        'GoodsReturnedToCustomer',
      ]);
    });

    it('refuses a parcel for a closed ticket that sent nothing back', () => {
      expect(() => when(GIVEN_BY_STATUS.CLOSED(), returned())).toThrow(
        expect.objectContaining({ rule: 'ticket.guard-not-met' }),
      );
    });
  });

  describe('availableActions', () => {
    it('offers each actor the buttons that would work now', () => {
      const pending = evolveAll(history(application()));
      expect(availableActions(pending, customer)).toEqual(['CancelTicket']);
      expect(availableActions(pending, otherCustomer)).toEqual([]);
      expect(availableActions(pending, merchantAgent)).toEqual([
        'ApproveTicket',
        'RejectTicket',
        'AdjustRefundAmount',
        'SubsidiseShipping',
        'IssueCompensationCoupon',
      ]);
      expect(availableActions(pending, otherMerchantAgent)).toEqual([]);
      expect(availableActions(pending, platformAgent)).toContain('Intervene');
      expect(availableActions(pending, system)).toEqual(['ExpireDeadline']);
      expect(availableActions(pending, warehouse)).toEqual([]);
    });

    it('shows accept and decline only while an offer is pending', () => {
      const negotiating = history(application(), approveReturn(), shipReturn(), stockInDamaged());
      expect(availableActions(evolveAll(negotiating), customer)).toEqual([]);
      const offered = [...negotiating, ...when(negotiating, propose(500).command)];
      expect(availableActions(evolveAll(offered), customer)).toEqual(['AcceptOffer', 'DeclineOffer']);
    });

    it('offers a new ticket to customers only', () => {
      expect(availableActions(initialState, customer)).toEqual(['ApplyForAfterSales']);
      expect(availableActions(initialState, merchantAgent)).toEqual([]);
    });
  });
});
