import { AfterSalesHarness } from './support/after-sales-harness';
import { FlowSteps, PAYMENT_REPORTED_AFTER } from './support/flow-steps';

jest.setTimeout(60_000);

describe('after-sales flows: cancel order and refund only', () => {
  const h = new AfterSalesHarness();
  const steps = new FlowSteps(h);
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  describe('cancel order', () => {
    it('cancels an unpaid order: CANCELLING, then SUCCEEDED when the order service closes it', async () => {
      const orderId = await h.order({ status: 'PENDING_PAYMENT' });
      const ticket = await steps.applyFor(orderId, 'CANCEL_ORDER', []);
      expect(ticket.status).toBe('CANCELLING');
      // Nothing was paid, so nothing is to go back; the lines still show what they cost.
      expect(ticket.amounts).toMatchObject({ goodsActualPaid: 0, coinsRefund: 0, totalCash: 0 });
      expect((ticket.lines as { actualPaid: number }[]).map((line) => line.actualPaid)).toEqual([
        25800, 3500,
      ]);
      expect(await h.publishedFor(ticket.ticketId, 2)).toEqual([
        'ticket-opened',
        'order-cancellation-requested',
      ]);

      await h.order({ orderId, status: 'CLOSED' });
      await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
      expect(await h.publishedFor(ticket.ticketId, 3)).toEqual([
        'ticket-opened',
        'order-cancellation-requested',
        'ticket-succeeded',
      ]);
      const timeline = await h.timeline(ticket.ticketId);
      expect(timeline.map((e) => [e.fromStatus, e.toStatus])).toContainEqual([null, 'PENDING_REVIEW']);
      expect(timeline[timeline.length - 1]).toMatchObject({ toStatus: 'SUCCEEDED' });
    });

    it('fails the cancellation when the order was paid meanwhile: CLOSED, order already paid', async () => {
      const orderId = await h.order({ status: 'PENDING_PAYMENT' });
      const ticket = await steps.applyFor(orderId, 'CANCEL_ORDER', []);
      await h.order({ orderId, status: 'AWAITING_SHIPMENT' });
      const closed = await h.waitForStatus(ticket.ticketId, 'CLOSED');
      expect(closed.closeReason).toBe('ORDER_ALREADY_PAID');
      const types = await h.publishedFor(ticket.ticketId, 3);
      expect(types[types.length - 1]).toBe('ticket-closed');
      expect(h.eventOf(ticket.ticketId, 'ticket-closed').data).toMatchObject({
        closeReason: 'ORDER_ALREADY_PAID',
        previousStatus: 'CANCELLING',
      });
      // The order service also answers with a rejection: a second report of the same outcome.
      const late = await h.publish(
        'order-cancellation-rejected',
        {
          orderId,
          ticketId: ticket.ticketId,
          ticketNo: ticket.ticketNo,
          reason: 'ORDER_ALREADY_PAID',
          orderStatus: 'AWAITING_SHIPMENT',
        },
        { role: 'system', id: 'order-service' },
      );
      await h.until(async () => await h.inboxHas(late.id), 'the late rejection to be handled');
      const metrics = await h.http().get('/metrics').expect(200);
      expect(metrics.text).not.toMatch(/dlq_messages_total\{[^}]*reason="handler-failed"/);
      expect((await h.ticket(ticket.ticketId)).closeReason).toBe('ORDER_ALREADY_PAID');
    });
  });

  describe('refund only before shipment', () => {
    it('intercepts the parcel, approves automatically and refunds the whole order with shipping', async () => {
      const orderId = await h.order({ status: 'AWAITING_SHIPMENT', couponDiscount: 1000 });
      const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [
        { lineId: 'L1', quantity: 2 },
        { lineId: 'L2', quantity: 1 },
      ]);
      expect(ticket.status).toBe('INTERCEPTING');
      await steps.intercept(ticket.ticketId, true);
      await h.waitForStatus(ticket.ticketId, 'AWAITING_REFUND');
      const refund = await steps.payRefund(ticket.ticketId);
      // 2 x 129.00 + 35.00 - 10.00 coupon + 10.00 shipping: the coupon is never paid out.
      expect(refund.cashAmount).toBe(25800 + 3500 - 1000 + 1000);
      expect(refund.breakdown.shippingFee).toBe(1000);
      await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
      await h.publishedFor(ticket.ticketId, 5);
      expect(h.publishedOn(ticket.ticketId, 'after-sales.events')).toEqual([
        'ticket-opened',
        'ticket-approved',
        'refund-requested',
        'ticket-succeeded',
      ]);
      expect(h.publishedOn(ticket.ticketId, 'warehouse.tasks')).toEqual(['shipment-interception-requested']);
      const timeline = await h.timeline(ticket.ticketId);
      expect(timeline.some((e) => e.fromStatus === 'INTERCEPTING' && e.toStatus === 'AWAITING_REFUND')).toBe(
        true,
      );
    });

    it('sends a parcel that already left to a human: PENDING_REVIEW', async () => {
      const orderId = await h.order({ status: 'AWAITING_SHIPMENT' });
      const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [
        { lineId: 'L1', quantity: 2 },
        { lineId: 'L2', quantity: 1 },
      ]);
      await steps.intercept(ticket.ticketId, false);
      const t = await h.waitForStatus(ticket.ticketId, 'PENDING_REVIEW');
      expect(t.interception).toBe('NOT_INTERCEPTABLE');
      const timeline = await h.timeline(ticket.ticketId);
      expect(timeline[timeline.length - 1]).toMatchObject({
        fromStatus: 'INTERCEPTING',
        toStatus: 'PENDING_REVIEW',
      });
    });
  });

  describe('refund only after shipment', () => {
    it('approve -> refund requested -> refund paid -> SUCCEEDED', async () => {
      const orderId = await h.order({ status: 'SHIPPED' });
      const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }]);
      expect(ticket.status).toBe('PENDING_REVIEW');
      const approved = await h.command(ticket.ticketId, 'approve', { note: 'Sorry about that' });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('AWAITING_REFUND');
      await steps.approveRefund(ticket.ticketId);
      await h.until(
        async () => ((await h.ticket(ticket.ticketId)).refund as { status: string }).status === 'APPROVED',
        'the finance approval to be recorded',
      );
      const refund = await steps.payRefund(ticket.ticketId);
      // The ticket named the refund order before the refund service answered.
      expect(approved.body.refund).toMatchObject({ status: 'REQUESTED', refundId: refund.refundId });
      expect(refund.cashAmount).toBe(12900);
      expect(refund.breakdown.shippingFee).toBe(0);
      const succeeded = await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
      // When the gateway paid, as the refund service reported it, not when after-sales heard of it.
      expect(succeeded.refund).toMatchObject({
        status: 'PAID',
        paidAt: new Date(h.clock.now().getTime() - PAYMENT_REPORTED_AFTER).toISOString(),
      });
      const types = await h.publishedFor(ticket.ticketId, 4);
      expect(types).toEqual(['ticket-opened', 'ticket-approved', 'refund-requested', 'ticket-succeeded']);
      const timeline = await h.timeline(ticket.ticketId);
      expect(timeline.map((e) => e.actor.role)).toEqual(
        expect.arrayContaining(['customer', 'merchant_agent']),
      );
      expect(timeline.find((e) => e.eventType === 'RefundApproved')).toMatchObject({
        actor: { role: 'finance', id: 'clerk-7' },
        fromStatus: 'AWAITING_REFUND',
        toStatus: 'AWAITING_REFUND',
        detail: `Finance approved attempt 1; it is being paid (refund ${refund.refundId})`,
      });
    });

    it('dead-letters a refund outcome for a refund order the ticket never asked for, with its error', async () => {
      const orderId = await h.order({ status: 'SHIPPED' });
      const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }]);
      expect((await h.command(ticket.ticketId, 'approve', {})).body.status).toBe('AWAITING_REFUND');
      const stranger = '0d5e7c1a-9b2f-4c3e-8a1d-2f3e4a5b6c7d';
      const paid = await steps.reportRefundPaid(ticket.ticketId, (asked) => ({
        ...asked,
        refundId: stranger,
      }));
      const dead = await h.deadLetterOf(paid.id);
      expect(dead['dlq_reason']).toBe('handler-failed');
      // A broken rule is not retried: the partition's next events do not wait behind it.
      expect(dead['dlq_attempts']).toBe('1');
      // The rule the handler broke, as thrown: an operator reads it off the dead-letter topic.
      expect(dead['dlq_error']).toBe(
        `VALIDATION (data.refundId): Refund ${stranger} was not requested by ticket ${ticket.ticketId}`,
      );
      expect((await h.ticket(ticket.ticketId)).status).toBe('AWAITING_REFUND');
      // The consumer goes on: the refund the ticket asked for is recorded.
      await steps.payRefund(ticket.ticketId);
      await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
    });

    it('dead-letters a payment of another amount than the refund asked for; the ticket waits for the right one', async () => {
      const orderId = await h.order({ status: 'SHIPPED' });
      const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }]);
      expect((await h.command(ticket.ticketId, 'approve', {})).body.status).toBe('AWAITING_REFUND');
      const requested = (await h.awaitEvent(ticket.ticketId, 'refund-requested')).data;
      // A cent short on the line, so the event itself adds up: only the ticket can tell.
      const short = await steps.reportRefundPaid(ticket.ticketId, (asked) => ({
        ...asked,
        cashAmount: asked.cashAmount - 1,
        breakdown: {
          ...asked.breakdown,
          lines: asked.breakdown.lines.map((line, index) =>
            index === 0 ? { ...line, cash: line.cash - 1 } : line,
          ),
        },
      }));
      const dead = await h.deadLetterOf(short.id);
      expect(dead['dlq_error']).toBe(
        `VALIDATION (cash): Refund attempt 1 asked for ${requested.cashAmount} in cash, not the ${requested.cashAmount - 1} reported paid`,
      );
      expect((await h.ticket(ticket.ticketId)).status).toBe('AWAITING_REFUND');
      await steps.payRefund(ticket.ticketId);
      await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
    });

    it('reject with a reason closes the ticket and frees the line for a new request', async () => {
      const orderId = await h.order({ status: 'SHIPPED' });
      const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L2', quantity: 1 }]);
      const missing = await h.command(ticket.ticketId, 'reject', { reasonCode: 'EVIDENCE_INSUFFICIENT' });
      expect(missing.status).toBe(400);
      expect(missing.body.message).toMatch(/note/);
      const rejected = await h.command(ticket.ticketId, 'reject', {
        reasonCode: 'EVIDENCE_INSUFFICIENT',
        note: 'The photo shows no defect',
      });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({ status: 'CLOSED', closeReason: 'REJECTED' });
      expect(await h.publishedFor(ticket.ticketId, 3)).toEqual([
        'ticket-opened',
        'ticket-rejected',
        'ticket-closed',
      ]);
      const timeline = await h.timeline(ticket.ticketId);
      expect(timeline.some((e) => e.detail.includes('The photo shows no defect'))).toBe(true);
      const again = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L2', quantity: 1 }]);
      expect(again.status).toBe('PENDING_REVIEW');
    });
  });
});
