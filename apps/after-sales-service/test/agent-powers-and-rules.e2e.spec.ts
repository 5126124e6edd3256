import { DAY, MINUTE } from '@aftersales/kernel';
import type { EventDataMap } from '@aftersales/contracts';
import { AfterSalesHarness, MERCHANT } from './support/after-sales-harness';
import { FlowSteps } from './support/flow-steps';

jest.setTimeout(60_000);

describe('after-sales: automatic approval, eligibility rules, agent powers, refund failure, arbitration', () => {
  const h = new AfterSalesHarness();
  const steps = new FlowSteps(h);
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('approves a refund-only request made within 30 minutes of payment by itself', async () => {
    const paidAt = new Date(h.clock.now().getTime() - 10 * MINUTE).toISOString();
    const orderId = await h.order({ status: 'SHIPPED', paidAt });
    const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L2', quantity: 1 }]);
    expect(ticket.status).toBe('AWAITING_REFUND');
    expect((ticket.approval as { automatic: string }).automatic).toBe('REFUND_ONLY_SOON_AFTER_PAYMENT');
  });

  it('refuses after the after-sales window and a partial refund before shipment, naming the rule', async () => {
    const completedAt = new Date(h.clock.now().getTime() - 8 * DAY).toISOString();
    const late = await h.order({ status: 'COMPLETED', completedAt });
    const tooLate = await h.apply({
      orderId: late,
      type: 'RETURN_AND_REFUND',
      lines: [{ lineId: 'L1', quantity: 1 }],
      reasonCode: 'DAMAGED',
    });
    expect(tooLate.status).toBe(422);
    expect(tooLate.body.rule).toBe('eligibility.window-passed');

    const unshipped = await h.order({ status: 'AWAITING_SHIPMENT' });
    const partial = await h.apply({
      orderId: unshipped,
      type: 'REFUND_ONLY',
      lines: [{ lineId: 'L1', quantity: 1 }],
      reasonCode: 'OTHER',
    });
    expect(partial.status).toBe(422);
    expect(partial.body.message).toMatch(/whole order/i);

    const cancelPaid = await h.apply({
      orderId: unshipped,
      type: 'CANCEL_ORDER',
      lines: [],
      reasonCode: 'OTHER',
    });
    expect(cancelPaid.status).toBe(422);
    expect(cancelPaid.body.rule).toBe('eligibility.type-not-allowed-in-order-state');
  });

  it('refunds the shipping fee with the last of several tickets that refund an unshipped order line by line', async () => {
    const url = `/merchants/${MERCHANT}/policy`;
    const agent = await h.agent();
    await h.http().put(url).set('Authorization', agent).send({ preShipmentRefund: 'ANY_ITEMS' }).expect(200);
    try {
      const orderId = await h.order({ status: 'AWAITING_SHIPMENT' });
      const refundLines = async (lines: { lineId: string; quantity: number }[]) => {
        const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', lines);
        expect(ticket.status).toBe('INTERCEPTING');
        await steps.intercept(ticket.ticketId, true);
        await h.waitForStatus(ticket.ticketId, 'AWAITING_REFUND');
        const refund = await steps.payRefund(ticket.ticketId);
        await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
        return { ticket: await h.ticket(ticket.ticketId), refund };
      };

      const first = await refundLines([{ lineId: 'L1', quantity: 2 }]);
      expect(first.ticket.wholeOrder).toBe(false);
      expect(first.refund.cashAmount).toBe(25800);
      expect(first.refund.breakdown.shippingFee).toBe(0);

      const last = await refundLines([{ lineId: 'L2', quantity: 1 }]);
      expect(last.ticket.wholeOrder).toBe(true);
      expect(last.refund.cashAmount).toBe(3500 + 1000);
      expect(last.refund.breakdown.shippingFee).toBe(1000);
      const timeline = await h.timeline(last.ticket.ticketId as string);
      expect(timeline.find((e) => e.eventType === 'RefundRequested')?.detail).toBe(
        '¥45.00: the parcel was intercepted; goods ¥35.00 + shipping fee ¥10.00',
      );
    } finally {
      await h
        .http()
        .put(url)
        .set('Authorization', agent)
        .send({ preShipmentRefund: 'FULL_ORDER_ONLY' })
        .expect(200);
    }
  });

  it('lets an agent lower the refund, subsidise shipping and issue a coupon, each on the timeline and in the refund', async () => {
    const orderId = await h.order({ status: 'SHIPPED' });
    const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 2 }]);
    const noNote = await h.command(ticket.ticketId, 'refund-amount', { amount: 20000 });
    expect(noNote.status).toBe(400);
    expect(
      (await h.command(ticket.ticketId, 'refund-amount', { amount: 20000, note: 'One kettle works' })).status,
    ).toBe(200);
    expect(
      (await h.command(ticket.ticketId, 'shipping-subsidy', { amount: 800, note: 'Courier cost' })).status,
    ).toBe(200);
    const typo = await h.command(ticket.ticketId, 'shipping-subsidy', {
      amount: 80000,
      note: 'Courier cost',
    });
    expect(typo.status).toBe(422);
    expect(typo.body).toMatchObject({
      rule: 'refund.shipping-subsidy-exceeds-policy',
      message:
        "A shipping subsidy of 80000 would bring the ticket's subsidies to 80800, beyond the merchant policy's 3000",
    });
    expect(
      (await h.command(ticket.ticketId, 'compensation-coupon', { couponValue: 1000, note: 'Sorry' })).status,
    ).toBe(200);
    await h.command(ticket.ticketId, 'approve', { note: 'ok' });
    const refund = await steps.payRefund(ticket.ticketId);
    expect(refund.cashAmount).toBe(20000 + 800);
    expect(refund.breakdown).toMatchObject({ adjustment: 20000 - 25800, shippingSubsidy: 800 });
    const coupon = h.eventOf(ticket.ticketId, 'compensation-coupon-issued').data;
    expect(coupon).toMatchObject({ amount: 1000, customerId: 'c-200', note: 'Sorry' });
    const timeline = await h.timeline(ticket.ticketId);
    for (const note of ['One kettle works', 'Courier cost', 'Sorry']) {
      expect(timeline.some((e) => e.detail.includes(note))).toBe(true);
    }
  });

  it('records a failed refund and lets an agent ask again with a new idempotency key', async () => {
    const orderId = await h.order({ status: 'SHIPPED' });
    const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L2', quantity: 1 }]);
    await h.command(ticket.ticketId, 'approve', {});
    const first = (await h.awaitEvent(ticket.ticketId, 'refund-requested')).data;
    await h.publish(
      'refund-failed',
      {
        refundId: first.refundId,
        ticketId: ticket.ticketId,
        ticketNo: first.ticketNo,
        orderId,
        merchantId: first.merchantId,
        attempt: 3,
        retryable: false,
        reason: 'Original payment account closed',
      } as EventDataMap['refund-failed'],
      { role: 'system', id: 'refund-service' },
    );
    await h.until(
      async () => ((await h.ticket(ticket.ticketId)).refund as { status: string }).status === 'FAILED',
      'the failure',
    );
    const retried = await h.command(ticket.ticketId, 'refund-retry', { note: 'Customer gave a new account' });
    expect(retried.status).toBe(200);
    await h.until(
      async () =>
        h.published.filter((e) => e.type === 'refund-requested' && e.subjectId === ticket.ticketId).length ===
        2,
      'a second refund request',
    );
    const [a, b] = h.published.filter(
      (e) => e.type === 'refund-requested' && e.subjectId === ticket.ticketId,
    );
    const keys = [a, b].map((e) => (e.data as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toEqual([`${ticket.ticketId}:refund:1`, `${ticket.ticketId}:refund:2`]);
  });

  it('lets a platform agent close a ticket by arbitration; merchant agents may not intervene', async () => {
    const orderId = await h.order({ status: 'SHIPPED' });
    const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }]);
    const merchant = await h.command(ticket.ticketId, 'intervene', { ruling: 'FORCE_CLOSE', note: 'no' });
    expect(merchant.status).toBe(403);
    const platform = await steps.rule(ticket.ticketId, 'FORCE_CLOSE', 'Duplicate of a settled complaint');
    expect(platform.status).toBe(200);
    expect(platform.body).toMatchObject({ status: 'CLOSED', closeReason: 'CLOSED_BY_PLATFORM' });
    const timeline = await h.timeline(ticket.ticketId);
    expect(timeline[timeline.length - 1].actor).toEqual({ role: 'platform_agent', id: 'p-9' });
  });
});
