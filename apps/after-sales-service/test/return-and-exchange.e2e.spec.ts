import { HOUR } from '@aftersales/kernel';
import { AfterSalesHarness, MERCHANT, RETURN_ADDRESS } from './support/after-sales-harness';
import { FlowSteps } from './support/flow-steps';
import { departures, responseSchema, type ApiDocument } from './support/openapi-conformance';

jest.setTimeout(60_000);

describe('after-sales flows: return & refund, exchange', () => {
  const h = new AfterSalesHarness();
  const steps = new FlowSteps(h);
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  async function inNegotiation() {
    const orderId = await h.order({ status: 'COMPLETED' });
    const ticket = await steps.applyFor(orderId, 'RETURN_AND_REFUND', [{ lineId: 'L1', quantity: 2 }]);
    await steps.approveReturn(ticket.ticketId);
    await steps.shipBack(ticket.ticketId);
    await steps.stockIn(ticket.ticketId, { damaged: 1 });
    await h.waitForStatus(ticket.ticketId, 'IN_NEGOTIATION');
    return ticket;
  }

  /** An exchange of the mug whose return matched: the warehouse is to ship the replacement. */
  async function awaitingReplacement() {
    const orderId = await h.order({ status: 'SHIPPED' });
    const ticket = await steps.applyFor(orderId, 'EXCHANGE', [{ lineId: 'L2', quantity: 1 }], {
      exchangeAddress: { recipient: 'Li Lei', phone: '138-0000-1111', address: '1 Century Ave, Pudong' },
    });
    await steps.approveReturn(ticket.ticketId);
    await steps.shipBack(ticket.ticketId);
    await steps.stockIn(ticket.ticketId);
    await h.waitForStatus(ticket.ticketId, 'AWAITING_EXCHANGE_SHIPMENT');
    return ticket;
  }

  it('return, inspection matches: refund of the actual paid, SUCCEEDED', async () => {
    const orderId = await h.order({ status: 'COMPLETED', coinsDeduction: 500 });
    const ticket = await steps.applyFor(orderId, 'RETURN_AND_REFUND', [{ lineId: 'L1', quantity: 2 }]);
    const noAddress = await h.command(ticket.ticketId, 'approve', {});
    expect(noAddress.status).toBe(400);
    expect(noAddress.body.message).toMatch(/returnAddress/);
    await steps.approveReturn(ticket.ticketId);
    expect((await h.ticket(ticket.ticketId)).status).toBe('AWAITING_CUSTOMER_RETURN');
    await steps.shipBack(ticket.ticketId);
    const task = h.eventOf(ticket.ticketId, 'return-stock-in-requested').data;
    expect(task).toMatchObject({
      carrier: 'SF Express',
      trackingNo: 'SF1234567890',
      returnAddress: RETURN_ADDRESS,
    });
    await steps.stockIn(ticket.ticketId);
    await h.waitForStatus(ticket.ticketId, 'AWAITING_REFUND');
    const refund = await steps.payRefund(ticket.ticketId);
    // Coins (5.00 over 293.00 of goods) are allocated by line amount: L1 carries 440 of them.
    expect(refund.coinsAmount).toBe(440);
    expect(refund.cashAmount).toBe(25800 - 440);
    await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
    await h.publishedFor(ticket.ticketId, 5);
    expect(h.publishedOn(ticket.ticketId, 'after-sales.events')).toEqual([
      'ticket-opened',
      'ticket-approved',
      'refund-requested',
      'ticket-succeeded',
    ]);
    expect(h.publishedOn(ticket.ticketId, 'warehouse.tasks')).toEqual(['return-stock-in-requested']);
    const timeline = await h.timeline(ticket.ticketId);
    expect(timeline.some((e) => e.detail.includes('SF1234567890'))).toBe(true);
    expect(timeline.map((e) => e.toStatus)).toEqual(
      expect.arrayContaining([
        'AWAITING_CUSTOMER_RETURN',
        'AWAITING_STOCK_IN',
        'AWAITING_REFUND',
        'SUCCEEDED',
      ]),
    );
  });

  it('return, inspection mismatch, customer accepts the offer: refund of the agreed amount', async () => {
    const ticket = await inNegotiation();
    const offer = await h.command(ticket.ticketId, 'offer', {
      amount: 20000,
      note: 'One kettle came back dented',
    });
    expect(offer.status).toBe(200);
    const tooMuch = await h.command(ticket.ticketId, 'offer', { amount: 999999, note: 'typo' });
    expect(tooMuch.status).toBe(422);
    const accepted = await h.command(ticket.ticketId, 'offer/accept', { amount: 20000 }, await h.customer());
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('AWAITING_REFUND');
    const refund = await steps.payRefund(ticket.ticketId);
    expect(refund.cashAmount).toBe(20000);
    await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
    const timeline = await h.timeline(ticket.ticketId);
    expect(
      timeline.some((e) => e.fromStatus === 'AWAITING_STOCK_IN' && e.toStatus === 'IN_NEGOTIATION'),
    ).toBe(true);
    expect(timeline.some((e) => e.detail.includes('One kettle came back dented'))).toBe(true);
  });

  it('return, inspection mismatch, customer declines: goods go back, CLOSED negotiation declined', async () => {
    const ticket = await inNegotiation();
    await h.command(ticket.ticketId, 'offer', { amount: 15000, note: 'Half, for the dent' });
    const declined = await h.command(
      ticket.ticketId,
      'offer/decline',
      { note: 'Not enough' },
      await h.customer(),
    );
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'CLOSED', closeReason: 'NEGOTIATION_DECLINED' });
    const types = await h.publishedFor(ticket.ticketId, 5);
    expect(types).toEqual(expect.arrayContaining(['return-to-customer-requested', 'ticket-closed']));
    expect(types).not.toContain('refund-requested');
    expect(h.eventOf(ticket.ticketId, 'return-to-customer-requested').data.lines).toEqual([
      expect.objectContaining({ lineId: 'L1', quantity: 2 }),
    ]);
    await steps.returnToCustomer(ticket.ticketId);
    await h.until(
      async () => (await h.ticket(ticket.ticketId)).goodsReturnShipment !== null,
      'the parcel back to the customer to be recorded',
    );
    expect(await h.ticket(ticket.ticketId)).toMatchObject({
      status: 'CLOSED',
      closeReason: 'NEGOTIATION_DECLINED',
      goodsReturnShipment: { carrier: 'SF Express', trackingNo: 'SF7777888899' },
    });
    const timeline = await h.timeline(ticket.ticketId);
    expect(timeline.slice(-3).map((e) => [e.eventType, e.fromStatus, e.toStatus, e.actor.role])).toEqual([
      ['GoodsReturnToCustomerRequested', 'IN_NEGOTIATION', 'IN_NEGOTIATION', 'customer'],
      ['TicketClosed', 'IN_NEGOTIATION', 'CLOSED', 'customer'],
      ['GoodsReturnedToCustomer', 'CLOSED', 'CLOSED', 'warehouse'],
    ]);
    expect(timeline.at(-1)?.detail).toBe(
      'Goods shipped back to the customer by SF Express, tracking SF7777888899',
    );
  });

  it('exchange, inspection matches: stock-out task, shipped -> SUCCEEDED', async () => {
    const orderId = await h.order({ status: 'SHIPPED' });
    const delivery = { recipient: 'Li Lei', phone: '138-0000-1111', address: '1 Century Ave, Pudong' };
    const ticket = await steps.applyFor(orderId, 'EXCHANGE', [{ lineId: 'L2', quantity: 1 }], {
      exchangeAddress: delivery,
    });
    await steps.approveReturn(ticket.ticketId);
    await steps.shipBack(ticket.ticketId);
    await steps.stockIn(ticket.ticketId);
    await h.waitForStatus(ticket.ticketId, 'AWAITING_EXCHANGE_SHIPMENT');
    await steps.shipExchange(ticket.ticketId);
    await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
    expect(h.eventOf(ticket.ticketId, 'exchange-stock-out-requested').data.deliveryAddress).toEqual(delivery);
    await h.publishedFor(ticket.ticketId, 5);
    expect(h.publishedOn(ticket.ticketId, 'after-sales.events')).toEqual([
      'ticket-opened',
      'ticket-approved',
      'ticket-succeeded',
    ]);
    expect(h.publishedOn(ticket.ticketId, 'warehouse.tasks')).toEqual([
      'return-stock-in-requested',
      'exchange-stock-out-requested',
    ]);
    const timeline = await h.timeline(ticket.ticketId);
    expect(timeline.some((e) => e.detail.includes('JD0099887766'))).toBe(true);
    const again = await h.apply({
      orderId,
      type: 'REFUND_ONLY',
      lines: [{ lineId: 'L2', quantity: 1 }],
      reasonCode: 'OTHER',
    });
    expect(again.status).toBe(422);
  });

  it('exchange: a parcel of another line is dead-lettered, and the exchange waits for the replacement', async () => {
    const ticket = await awaitingReplacement();
    const wrong = await steps.shipExchange(ticket.ticketId, [
      { lineId: 'L1', sku: 'SKU-L1', title: 'Another item', quantity: 1 },
    ]);
    const dead = await h.deadLetterOf(wrong.id);
    expect(dead['dlq_attempts']).toBe('1');
    expect(dead['dlq_error']).toBe('VALIDATION (lines[0].lineId): Line L1 is not in the exchange (L2 × 1)');
    expect((await h.ticket(ticket.ticketId)).status).toBe('AWAITING_EXCHANGE_SHIPMENT');
    await steps.shipExchange(ticket.ticketId);
    await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
    const shipped = (await h.timeline(ticket.ticketId)).filter((e) => e.eventType === 'ExchangeShipped');
    expect(shipped).toHaveLength(1);
  });

  it('exchange out of stock: a platform refund cancels the stock-out, and a replacement that had left is recorded', async () => {
    const ticket = await awaitingReplacement();
    const ruled = await steps.rule(ticket.ticketId, 'FORCE_REFUND', 'Merchant has no mugs left');
    expect(ruled.status).toBe(200);
    expect(ruled.body).toMatchObject({ status: 'AWAITING_REFUND', exchangeStockOutCancelled: true });
    const stockOut = h.eventOf(ticket.ticketId, 'exchange-stock-out-requested').data;
    const cancel = (await h.awaitEvent(ticket.ticketId, 'exchange-stock-out-cancellation-requested')).data;
    expect(cancel).toMatchObject({
      taskId: stockOut.taskId,
      reason: 'REFUNDED_BY_PLATFORM',
      lines: stockOut.lines,
    });

    // The warehouse had already handed the replacement to the carrier.
    await steps.shipExchange(ticket.ticketId);
    await h.until(
      async () => (await h.ticket(ticket.ticketId)).exchangeShipment !== null,
      'the late replacement to be recorded',
    );
    const refund = await steps.payRefund(ticket.ticketId);
    expect(refund.cashAmount).toBe(3500);
    const done = await h.waitForStatus(ticket.ticketId, 'SUCCEEDED');
    expect(done).toMatchObject({
      outcome: 'RETURNED',
      // When the warehouse says it left, not when after-sales heard of it.
      exchangeShipment: {
        trackingNo: 'JD0099887766',
        shippedAt: new Date(h.clock.now().getTime() - 2 * HOUR).toISOString(),
      },
    });
    await h.publishedFor(ticket.ticketId, 7);
    expect(h.publishedOn(ticket.ticketId, 'warehouse.tasks')).toEqual([
      'return-stock-in-requested',
      'exchange-stock-out-requested',
      'exchange-stock-out-cancellation-requested',
    ]);
    expect(h.publishedOn(ticket.ticketId, 'after-sales.events')).toEqual([
      'ticket-opened',
      'ticket-approved',
      'refund-requested',
      'ticket-succeeded',
    ]);
    const timeline = await h.timeline(ticket.ticketId);
    expect(
      timeline
        .filter((e) => e.eventType.startsWith('Exchange') || e.eventType === 'PlatformIntervened')
        .map((e) => [e.title, e.detail, e.actor.role]),
    ).toEqual([
      [
        'Replacement requested',
        'The warehouse is to ship L2 Mug ×1 to Li Lei, 138-0000-1111, 1 Century Ave, Pudong',
        'warehouse',
      ],
      ['Platform intervened', expect.stringContaining('Merchant has no mugs left'), 'platform_agent'],
      [
        'Replacement cancelled',
        'The warehouse is not to ship L2 Mug ×1: the platform ruled a refund instead',
        'platform_agent',
      ],
      [
        'Replacement shipped despite the cancellation',
        'The replacement had already left, by JD Logistics, tracking JD0099887766; agents follow up with the customer',
        'warehouse',
      ],
    ]);
  });

  it("return: a stock-in answering another ticket's task is dead-lettered, and the ticket names the task it waits on", async () => {
    const [mine, other] = await Promise.all(
      [0, 1].map(async () => {
        const orderId = await h.order({ status: 'COMPLETED' });
        const ticket = await steps.applyFor(orderId, 'RETURN_AND_REFUND', [{ lineId: 'L1', quantity: 2 }]);
        await steps.approveReturn(ticket.ticketId);
        await steps.shipBack(ticket.ticketId);
        return {
          ticketId: ticket.ticketId,
          task: h.eventOf(ticket.ticketId, 'return-stock-in-requested').data,
        };
      }),
    );
    expect(mine.task.taskId).not.toBe(other.task.taskId);
    expect((await h.ticket(mine.ticketId)).warehouseTask).toEqual({
      request: 'return-stock-in-requested',
      taskId: mine.task.taskId,
    });
    const mixedUp = await steps.stockIn(mine.ticketId, { taskId: other.task.taskId });
    const dead = await h.deadLetterOf(mixedUp.id);
    expect(dead['dlq_error']).toBe(
      `VALIDATION (data.taskId): Task ${other.task.taskId} is not the task ticket ${mine.ticketId} ` +
        `opened with return-stock-in-requested (${mine.task.taskId})`,
    );
    expect((await h.ticket(mine.ticketId)).status).toBe('AWAITING_STOCK_IN');
    await steps.stockIn(mine.ticketId);
    await h.waitForStatus(mine.ticketId, 'AWAITING_REFUND');
    expect((await h.ticket(mine.ticketId)).warehouseTask).toBeNull();
    expect((await h.ticket(other.ticketId)).status).toBe('AWAITING_STOCK_IN');
  });

  it('shows per-order line status', async () => {
    const orderId = await h.order({ status: 'SHIPPED' });
    await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }]);
    const res = await h
      .http()
      .get(`/orders/${orderId}/lines`)
      .set('Authorization', await h.customer())
      .expect(200);
    expect(res.body.lines).toEqual([
      expect.objectContaining({ lineId: 'L1', afterSales: { phase: 'IN_PROGRESS', label: 'REFUNDING' } }),
      expect.objectContaining({ lineId: 'L2', afterSales: null }),
    ]);
  });

  // Last, so that the tickets of every flow above are there: succeeded, closed, negotiated,
  // exchanged, with offers, inspections and refunds, and some still waiting on a warehouse task or a refund.
  it('answers as its OpenAPI document says: every field named, every required one there', async () => {
    const doc = (await h.http().get('/docs-json').expect(200)).body as ApiDocument;
    const platform = await h.bearer('platform_agent', 'p-1');
    const get = async (url: string, status = 200) =>
      (await h.http().get(url).set('Authorization', platform).expect(status)).body as unknown;
    const page = (await get('/tickets?limit=100')) as {
      items: { ticketId: string; orderId: string; status: string }[];
    };
    expect(new Set(page.items.map((t) => t.status))).toEqual(
      new Set(['SUCCEEDED', 'CLOSED', 'PENDING_REVIEW', 'AWAITING_STOCK_IN', 'AWAITING_REFUND']),
    );
    const problems = [
      ...departures(doc, responseSchema(doc, '/tickets', 'get', 200), page),
      ...departures(
        doc,
        responseSchema(doc, '/tickets/{ticketId}', 'get', 200),
        await get(`/tickets/${page.items[0].ticketId}`),
      ),
      ...departures(
        doc,
        responseSchema(doc, '/orders/{orderId}/lines', 'get', 200),
        await get(`/orders/${page.items[0].orderId}/lines`),
      ),
      ...departures(
        doc,
        responseSchema(doc, '/merchants/{merchantId}/policy', 'get', 200),
        await get(`/merchants/${MERCHANT}/policy`),
      ),
      ...departures(
        doc,
        responseSchema(doc, '/tickets/{ticketId}', 'get', 404),
        await get('/tickets/4f0c3a55-8a59-4c2e-9d61-0e7b9a1a2b3c', 404),
      ),
    ];
    for (const ticket of page.items) {
      problems.push(
        ...departures(
          doc,
          responseSchema(doc, '/tickets/{ticketId}/timeline', 'get', 200),
          await get(`/tickets/${ticket.ticketId}/timeline`),
        ),
      );
    }
    // A command's answer too: the one ticket still waiting for review, rejected.
    const waiting = page.items.find((t) => t.status === 'PENDING_REVIEW');
    const rejected = await h.command(waiting?.ticketId ?? '', 'reject', {
      reasonCode: 'OTHER',
      note: 'checking the document',
    });
    expect(rejected.status).toBe(200);
    problems.push(
      ...departures(doc, responseSchema(doc, '/tickets/{ticketId}/reject', 'post', 200), rejected.body),
    );
    expect(problems).toEqual([]);
  });
});
