import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Pool } from 'pg';
import type { EventStore } from '@aftersales/event-store';
import { DAY, HOUR, MINUTE } from '@aftersales/kernel';
import { PG_POOL } from '@aftersales/messaging';
import { dumpReadModels, rebuildReadModels } from '../src/application/rebuild-read-models';
import { TICKET_EVENT_STORE } from '../src/application/ticket-command.handler';
import { AfterSalesHarness, MERCHANT, RETURN_ADDRESS } from './support/after-sales-harness';
import { FlowSteps } from './support/flow-steps';

jest.setTimeout(60_000);

/** The service schema's index definitions, sorted. */
async function indexesOf(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ indexdef: string }>(
    `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`,
  );
  return rows.map((r) => r.indexdef);
}

describe('after-sales: deadlines, customer cancel, duplicates and races', () => {
  const h = new AfterSalesHarness();
  const steps = new FlowSteps(h);
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  describe('every deadline', () => {
    it('PENDING_REVIEW for 48 h: the system approves a refund the merchant did not answer', async () => {
      const orderId = await h.order({ status: 'SHIPPED' });
      const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }]);
      expect(ticket.deadline).toMatchObject({ state: 'PENDING_REVIEW', onExpiry: 'AUTO_APPROVE' });
      h.clock.advance(47 * HOUR);
      expect(await h.fireDeadlines()).toBe(0);
      h.clock.advance(HOUR);
      expect(await h.fireDeadlines()).toBe(1);
      const t = await h.waitForStatus(ticket.ticketId, 'AWAITING_REFUND');
      expect((t.approval as { automatic: string }).automatic).toBe('REVIEW_DEADLINE_PASSED');
      expect(await h.fireDeadlines()).toBe(0); // fired once
      expect(await h.publishedFor(ticket.ticketId, 3)).toEqual([
        'ticket-opened',
        'ticket-approved',
        'refund-requested',
      ]);
      const timeline = await h.timeline(ticket.ticketId);
      expect(
        timeline.find((e) => e.fromStatus === 'PENDING_REVIEW' && e.toStatus === 'AWAITING_REFUND')?.actor
          .role,
      ).toBe('system');
    });

    it('AWAITING_CUSTOMER_RETURN for 7 days: CLOSED, return timeout', async () => {
      const orderId = await h.order({ status: 'SHIPPED' });
      const ticket = await steps.applyFor(orderId, 'RETURN_AND_REFUND', [{ lineId: 'L1', quantity: 1 }]);
      await steps.approveReturn(ticket.ticketId);
      h.clock.advance(7 * DAY);
      expect(await h.fireDeadlines()).toBe(1);
      const t = await h.waitForStatus(ticket.ticketId, 'CLOSED');
      expect(t.closeReason).toBe('RETURN_TIMEOUT');
    });

    it('AWAITING_STOCK_IN for 14 days: CLOSED, stock-in timeout', async () => {
      const orderId = await h.order({ status: 'SHIPPED' });
      const ticket = await steps.applyFor(orderId, 'RETURN_AND_REFUND', [{ lineId: 'L1', quantity: 1 }]);
      await steps.approveReturn(ticket.ticketId);
      await steps.shipBack(ticket.ticketId);
      h.clock.advance(14 * DAY);
      expect(await h.fireDeadlines()).toBe(1);
      expect((await h.waitForStatus(ticket.ticketId, 'CLOSED')).closeReason).toBe('STOCK_IN_TIMEOUT');
      // The parcel turns up the day after: the goods go back to the customer, who got no refund.
      h.clock.advance(DAY);
      await steps.stockIn(ticket.ticketId);
      const sendBack = await h.awaitEvent(ticket.ticketId, 'return-to-customer-requested');
      expect(sendBack.data).toMatchObject({
        reason: 'ARRIVED_AFTER_CLOSE',
        lines: [{ lineId: 'L1', quantity: 1 }],
      });
      expect(await h.ticket(ticket.ticketId)).toMatchObject({
        status: 'CLOSED',
        goodsReturnRequested: true,
        inspection: { matches: true },
      });
      const timeline = await h.timeline(ticket.ticketId);
      expect(timeline.slice(-2).map((e) => [e.eventType, e.fromStatus, e.toStatus])).toEqual([
        ['ReturnStockedInLate', 'CLOSED', 'CLOSED'],
        ['GoodsReturnToCustomerRequested', 'CLOSED', 'CLOSED'],
      ]);
    });

    it('IN_NEGOTIATION for 7 days: CLOSED, negotiation timeout, goods returned', async () => {
      const orderId = await h.order({ status: 'SHIPPED' });
      const ticket = await steps.applyFor(orderId, 'RETURN_AND_REFUND', [{ lineId: 'L1', quantity: 2 }]);
      await steps.approveReturn(ticket.ticketId);
      await steps.shipBack(ticket.ticketId);
      await steps.stockIn(ticket.ticketId, { damaged: 1 });
      await h.waitForStatus(ticket.ticketId, 'IN_NEGOTIATION');
      h.clock.advance(7 * DAY);
      expect(await h.fireDeadlines()).toBe(1);
      expect((await h.waitForStatus(ticket.ticketId, 'CLOSED')).closeReason).toBe('NEGOTIATION_TIMEOUT');
      expect(await h.publishedFor(ticket.ticketId, 5)).toEqual(
        expect.arrayContaining(['return-to-customer-requested', 'ticket-closed']),
      );
    });

    it('AWAITING_EXCHANGE_SHIPMENT for 3 days: escalated to the platform, state unchanged, on the timeline', async () => {
      const orderId = await h.order({ status: 'SHIPPED' });
      const ticket = await steps.applyFor(orderId, 'EXCHANGE', [{ lineId: 'L2', quantity: 1 }], {
        exchangeAddress: RETURN_ADDRESS,
      });
      await steps.approveReturn(ticket.ticketId);
      await steps.shipBack(ticket.ticketId);
      await steps.stockIn(ticket.ticketId);
      await h.waitForStatus(ticket.ticketId, 'AWAITING_EXCHANGE_SHIPMENT');
      h.clock.advance(3 * DAY);
      expect(await h.fireDeadlines()).toBe(1);
      const t = await h.ticket(ticket.ticketId);
      expect(t.status).toBe('AWAITING_EXCHANGE_SHIPMENT');
      expect((t.escalations as unknown[]).length).toBe(1);
      const timeline = await h.timeline(ticket.ticketId);
      expect(timeline[timeline.length - 1].eventType).toBe('TicketEscalated');
      expect(await h.fireDeadlines()).toBe(0);
    });

    it('INTERCEPTING for 30 min: treated as not interceptable, PENDING_REVIEW', async () => {
      const orderId = await h.order({ status: 'AWAITING_SHIPMENT' });
      const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [
        { lineId: 'L1', quantity: 2 },
        { lineId: 'L2', quantity: 1 },
      ]);
      h.clock.advance(30 * MINUTE);
      expect(await h.fireDeadlines()).toBe(1);
      expect((await h.waitForStatus(ticket.ticketId, 'PENDING_REVIEW')).interception).toBe('TIMED_OUT');
    });

    it('INTERCEPTING: an answer after the deadline and after the ticket closed is recorded, and the customer may apply again', async () => {
      const orderId = await h.order({ status: 'AWAITING_SHIPMENT' });
      const whole = [
        { lineId: 'L1', quantity: 2 },
        { lineId: 'L2', quantity: 1 },
      ];
      const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', whole);
      h.clock.advance(30 * MINUTE);
      expect(await h.fireDeadlines()).toBe(1);
      await h.waitForStatus(ticket.ticketId, 'PENDING_REVIEW');
      const cancelled = await h.command(ticket.ticketId, 'cancel', { note: 'Will wait' }, await h.customer());
      expect(cancelled.body.status).toBe('CLOSED');

      await steps.intercept(ticket.ticketId, true);
      await h.until(
        async () => (await h.ticket(ticket.ticketId)).interception === 'INTERCEPTED',
        'the late interception to be recorded',
      );
      expect(await h.ticket(ticket.ticketId)).toMatchObject({
        status: 'CLOSED',
        closeReason: 'CANCELLED_BY_CUSTOMER',
      });
      const timeline = await h.timeline(ticket.ticketId);
      expect(timeline.at(-1)).toMatchObject({
        eventType: 'InterceptionReportedLate',
        actor: { role: 'warehouse' },
        fromStatus: 'CLOSED',
        toStatus: 'CLOSED',
        title: 'Shipment intercepted after all',
        detail:
          'The warehouse stopped the parcel after the ticket had closed: the goods wait at the warehouse, and the customer may apply again',
      });
      // A repeated report changes nothing and is not a poison message.
      const again = await steps.intercept(ticket.ticketId, true);
      await h.until(() => h.inboxHas(again.id), 'the repeated report to be consumed');
      expect((await h.timeline(ticket.ticketId)).length).toBe(timeline.length);

      const retry = await steps.applyFor(orderId, 'REFUND_ONLY', whole);
      expect(retry.status).toBe('INTERCEPTING');
    });
  });

  it('a customer cancels their own pending ticket; another customer may not', async () => {
    const orderId = await h.order({ status: 'SHIPPED' });
    const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }]);
    const stranger = await h.command(
      ticket.ticketId,
      'cancel',
      {},
      await h.bearer('customer', 'someone-else'),
    );
    expect(stranger.status).toBe(403);
    const res = await h.command(
      ticket.ticketId,
      'cancel',
      { note: 'Found it works after all' },
      await h.customer(),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'CLOSED', closeReason: 'CANCELLED_BY_CUSTOMER' });
    expect(await h.publishedFor(ticket.ticketId, 2)).toEqual(['ticket-opened', 'ticket-closed']);
  });

  it('a retried apply with the same Idempotency-Key returns the same ticket; another request on the line is 409', async () => {
    const orderId = await h.order({ status: 'SHIPPED' });
    const body = {
      orderId,
      type: 'REFUND_ONLY',
      lines: [{ lineId: 'L1', quantity: 1 }],
      reasonCode: 'DAMAGED',
    };
    const first = await h.apply(body, { 'Idempotency-Key': 'req-1' });
    const retry = await h.apply(body, { 'Idempotency-Key': 'req-1' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body.ticketId).toBe(first.body.ticketId);
    // The same key for a different request is the client's mistake, not a retry.
    const reused = await h.apply(
      { ...body, lines: [{ lineId: 'L2', quantity: 1 }] },
      { 'Idempotency-Key': 'req-1' },
    );
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({
      rule: 'idempotency.key-reused',
      details: { ticketId: first.body.ticketId },
    });
    const other = await h.apply(body, { 'Idempotency-Key': 'req-2' });
    expect(other.status).toBe(409);
    expect(other.body.rule).toBe('eligibility.line-has-active-ticket');
    const list = await h
      .http()
      .get(`/tickets?orderId=${orderId}`)
      .set('Authorization', await h.customer())
      .expect(200);
    expect(list.body.items).toHaveLength(1);
  });

  it('concurrent approve and reject: exactly one wins, the other gets 409', async () => {
    const orderId = await h.order({ status: 'SHIPPED' });
    const ticket = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }]);
    const [a, b] = await Promise.all([
      h.command(ticket.ticketId, 'approve', { note: 'ok' }),
      h.command(ticket.ticketId, 'reject', { reasonCode: 'OTHER', note: 'no' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const t = await h.ticket(ticket.ticketId);
    expect(['AWAITING_REFUND', 'CLOSED']).toContain(t.status);
    const timeline = await h.timeline(ticket.ticketId);
    expect(
      timeline.filter((e) => e.eventType === 'TicketApproved' || e.eventType === 'TicketRejected'),
    ).toHaveLength(1);
  });

  it('shows each ticket of a page as it shows the ticket by id, newest first', async () => {
    const orderId = await h.order({ status: 'SHIPPED' });
    const first = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }]);
    h.clock.advance(1000);
    const second = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L2', quantity: 1 }]);
    expect((await h.command(first.ticketId, 'approve', { note: 'ok' })).status).toBe(200);
    const agent = await h.agent();
    const page = await h.http().get(`/tickets?orderId=${orderId}`).set('Authorization', agent).expect(200);
    expect(page.body.items.map((t: { ticketId: string }) => t.ticketId)).toEqual([
      second.ticketId,
      first.ticketId,
    ]);
    for (const item of page.body.items as { ticketId: string }[]) {
      const one = await h.http().get(`/tickets/${item.ticketId}`).set('Authorization', agent).expect(200);
      expect(item).toEqual(one.body);
    }
    expect(page.body.items[1].status).toBe('AWAITING_REFUND');
  });

  it('lists the merchant’s tickets with a cursor and keeps other merchants out', async () => {
    const page1 = await h
      .http()
      .get('/tickets?limit=2')
      .set('Authorization', await h.agent())
      .expect(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.items.every((t: { merchantId: string }) => t.merchantId === MERCHANT)).toBe(true);
    const page2 = await h
      .http()
      .get(`/tickets?limit=2&cursor=${page1.body.nextCursor}`)
      .set('Authorization', await h.agent())
      .expect(200);
    expect(page2.body.items[0].ticketId).not.toBe(page1.body.items[1].ticketId);
    const other = await h
      .http()
      .get('/tickets')
      .set('Authorization', await h.bearer('merchant_agent', 'x', 'other-merchant'))
      .expect(200);
    expect(other.body.items).toHaveLength(0);
    const ticketId = page1.body.items[0].ticketId;
    await h
      .http()
      .get(`/tickets/${ticketId}`)
      .set('Authorization', await h.bearer('merchant_agent', 'x', 'other-merchant'))
      .expect(403);
    const bad = await h
      .http()
      .get('/tickets?status=NOPE')
      .set('Authorization', await h.agent())
      .expect(400);
    expect(bad.body.message).toMatch(/status must be one of/);
    const elsewhere = await h
      .http()
      .get('/tickets?merchantId=other-merchant')
      .set('Authorization', await h.agent())
      .expect(403);
    expect(elsewhere.body).toMatchObject({ code: 'FORBIDDEN', rule: 'merchantId' });
    await h
      .http()
      .get(`/tickets?merchantId=${MERCHANT}`)
      .set('Authorization', await h.agent())
      .expect(200);
    const someoneElse = await h
      .http()
      .get('/tickets?customerId=somebody-else')
      .set('Authorization', await h.customer())
      .expect(403);
    expect(someoneElse.body).toMatchObject({ code: 'FORBIDDEN', rule: 'customerId' });
    const when = await h
      .http()
      .get('/tickets?createdFrom=yesterday')
      .set('Authorization', await h.agent())
      .expect(400);
    expect(when.body.message).toBe('createdFrom must be an ISO 8601 instant, e.g. 2026-11-25T08:00:00Z');
  });

  it('merchant policy: read, change with validation, and applied only to tickets opened after', async () => {
    const url = `/merchants/${MERCHANT}/policy`;
    const before = await h
      .http()
      .get(url)
      .set('Authorization', await h.agent())
      .expect(200);
    expect(before.body.policy.afterSalesWindowDays).toBe(7);
    const bad = await h
      .http()
      .put(url)
      .set('Authorization', await h.agent())
      .send({ afterSalesWindowDays: 10 })
      .expect(400);
    expect(bad.body.message).toMatch(/afterSalesWindowDays/);
    // Finance review is the refund service's rule: the after-sales policy has no threshold to set.
    const threshold = await h
      .http()
      .put(url)
      .set('Authorization', await h.agent())
      .send({ financeReviewThreshold: 50000 })
      .expect(400);
    expect(threshold.body).toMatchObject({ rule: 'financeReviewThreshold' });
    await h
      .http()
      .put('/merchants/other/policy')
      .set('Authorization', await h.agent())
      .send({ exchangeRelaxed: true })
      .expect(403);
    const orderId = await h.order({ status: 'SHIPPED' });
    const old = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }]);
    const changed = await h
      .http()
      .put(url)
      .set('Authorization', await h.agent())
      .send({ deadlineMinutes: { PENDING_REVIEW: 60 } })
      .expect(200);
    expect(changed.body.policy.deadlineMinutes.PENDING_REVIEW).toBe(60);
    const fresh = await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L2', quantity: 1 }]);
    expect(
      (old.policy as { deadlineMinutes: { PENDING_REVIEW: number } }).deadlineMinutes.PENDING_REVIEW,
    ).toBe(48 * 60);
    expect(
      (fresh.policy as { deadlineMinutes: { PENDING_REVIEW: number } }).deadlineMinutes.PENDING_REVIEW,
    ).toBe(60);
  });

  it('merchant policy: a change made on an old version is 409, and concurrent changes are all kept', async () => {
    const url = `/merchants/${MERCHANT}/policy`;
    const agent = await h.agent();
    const { version } = (await h.http().get(url).set('Authorization', agent).expect(200)).body as {
      version: number;
    };
    await h
      .http()
      .put(url)
      .set('Authorization', agent)
      .set('If-Match', `"${version}"`)
      .send({ exchangeRelaxed: true })
      .expect(200);
    const stale = await h
      .http()
      .put(url)
      .set('Authorization', agent)
      .set('If-Match', `"${version}"`)
      .send({ exchangeRelaxed: false })
      .expect(409);
    expect(stale.body).toMatchObject({ rule: 'policy.version-changed', details: { version: version + 1 } });
    const garbled = await h
      .http()
      .put(url)
      .set('Authorization', agent)
      .set('If-Match', 'latest')
      .send({})
      .expect(400);
    expect(garbled.body.message).toBe('If-Match must be the policy version, e.g. "3"');
    // Two agents change different fields at once, without If-Match: neither change is lost.
    await Promise.all([
      h.http().put(url).set('Authorization', agent).send({ afterSalesWindowDays: 15 }).expect(200),
      h.http().put(url).set('Authorization', agent).send({ stockInTimeoutAction: 'AUTO_REFUND' }).expect(200),
    ]);
    const after = (await h.http().get(url).set('Authorization', agent).expect(200)).body;
    expect(after).toMatchObject({
      version: version + 3,
      policy: { exchangeRelaxed: true, afterSalesWindowDays: 15, stockInTimeoutAction: 'AUTO_REFUND' },
    });
  });

  it('rebuilds every read model from the log, equal to the live ones', async () => {
    const pool = h.svc.app.get<Pool>(PG_POOL);
    const store = h.svc.app.get<EventStore>(TICKET_EVENT_STORE);
    // One line applied for, cancelled and applied for again, five times: the rebuild reads stream
    // by stream (ticket ids are random), yet only the last ticket may hold the line afterwards.
    const orderId = await h.order({ status: 'SHIPPED' });
    let holder = '';
    for (let i = 0; i < 5; i++) {
      if (holder) expect((await h.command(holder, 'cancel', {}, await h.customer())).status).toBe(200);
      holder = (await steps.applyFor(orderId, 'REFUND_ONLY', [{ lineId: 'L1', quantity: 1 }])).ticketId;
    }
    const live = await dumpReadModels(pool);
    expect(live.tickets.length).toBeGreaterThanOrEqual(5);
    expect(live.line_locks.filter((l) => (l as { order_id: string }).order_id === orderId)).toEqual([
      expect.objectContaining({ line_id: 'L1', ticket_id: holder }),
    ]);
    const indexes = await indexesOf(pool);
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('UNIQUE INDEX tickets_ticket_no_key ON'),
        expect.stringContaining('INDEX tickets_status_idx ON'),
        expect.stringContaining('INDEX deadlines_due_idx ON'),
      ]),
    );
    // Small batches and a short queue: streams span batches, the fold waits for the COPYs, and rows
    // that waited behind a COPY are joined into one.
    const report = await rebuildReadModels(pool, store, { batchSize: 4, waitingRows: 5 });
    expect(report.tickets).toBe(live.tickets.length);
    expect(await dumpReadModels(pool)).toEqual(live);
    // Dropped for the load and built again: the same indexes, and ticket numbers still unique.
    expect(await indexesOf(pool)).toEqual(indexes);
    const { rows } = await pool.query<{ ticket_no: string }>(`SELECT ticket_no FROM tickets LIMIT 1`);
    await expect(
      pool.query(`UPDATE tickets SET ticket_no = $1 WHERE ticket_no <> $1`, [rows[0].ticket_no]),
    ).rejects.toThrow(/tickets_ticket_no_key/);
  });

  it('the rebuild command, in a process of its own, rebuilds the models equal to the live ones', async () => {
    const pool = h.svc.app.get<Pool>(PG_POOL);
    await steps.applyFor(await h.order({ status: 'SHIPPED' }), 'REFUND_ONLY', [
      { lineId: 'L1', quantity: 1 },
    ]);
    const live = await dumpReadModels(pool);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, '../src/cli/rebuild-read-models.ts')],
      { env: { ...process.env, DATABASE_URL: h.svc.db.url, DATABASE_SCHEMA: 'after_sales' } },
    );
    expect(stdout).toMatch(new RegExp(`^rebuilt ${live.tickets.length} tickets from \\d+ events in `));
    expect(await dumpReadModels(pool)).toEqual(live);
  }, 60_000);

  it('a rebuild that finds two tickets with one number fails and leaves every model as it was', async () => {
    const pool = h.svc.app.get<Pool>(PG_POOL);
    const store = h.svc.app.get<EventStore>(TICKET_EVENT_STORE);
    const live = await dumpReadModels(pool);
    const indexes = await indexesOf(pool);
    // A log that no correct service writes: the rebuilt unique index must refuse it.
    const twice = Object.create(store) as EventStore;
    twice.readStreamsInOrder = async function* () {
      for await (const batch of store.readStreamsInOrder({ prefix: 'ticket-', batchSize: 1000 })) {
        yield batch.map((e) =>
          e.type === 'AfterSalesApplied' ? { ...e, data: { ...(e.data as object), ticketNo: 'AS-SAME' } } : e,
        );
      }
    };
    await expect(rebuildReadModels(pool, twice)).rejects.toThrow(/tickets_ticket_no_key/);
    expect(await dumpReadModels(pool)).toEqual(live);
    expect(await indexesOf(pool)).toEqual(indexes);
  });

  it('a rebuild that finds two tickets holding one line fails and leaves every model as it was', async () => {
    const pool = h.svc.app.get<Pool>(PG_POOL);
    const store = h.svc.app.get<EventStore>(TICKET_EVENT_STORE);
    for (let i = 0; i < 2; i++) {
      await steps.applyFor(await h.order({ status: 'SHIPPED' }), 'REFUND_ONLY', [
        { lineId: 'L1', quantity: 1 },
      ]);
    }
    const live = await dumpReadModels(pool);
    expect(live.line_locks.length).toBeGreaterThanOrEqual(2);
    // Every application moved onto one order and line: the live key would have refused the second.
    const oneLine = Object.create(store) as EventStore;
    oneLine.readStreamsInOrder = async function* () {
      for await (const batch of store.readStreamsInOrder({ prefix: 'ticket-', batchSize: 1000 })) {
        yield batch.map((e) => {
          if (e.type !== 'AfterSalesApplied') return e;
          const data = e.data as { lines: { lineId: string }[] };
          return {
            ...e,
            data: { ...data, orderId: 'o-same', lines: data.lines.map((l) => ({ ...l, lineId: 'L-same' })) },
          };
        });
      }
    };
    await expect(rebuildReadModels(pool, oneLine)).rejects.toThrow(/line_locks_pkey/);
    expect(await dumpReadModels(pool)).toEqual(live);
  });

  it('a rebuild that fails half-way through the log changes nothing', async () => {
    const pool = h.svc.app.get<Pool>(PG_POOL);
    const store = h.svc.app.get<EventStore>(TICKET_EVENT_STORE);
    const live = await dumpReadModels(pool);
    // The first batch reads, the next one fails while the first is being folded and copied.
    const failing = Object.create(store) as EventStore;
    failing.readStreamsInOrder = async function* () {
      for await (const batch of store.readStreamsInOrder({ prefix: 'ticket-', batchSize: 3 })) {
        yield batch;
        throw new Error('the log became unreadable');
      }
    };
    const indexes = await indexesOf(pool);
    await expect(rebuildReadModels(pool, failing)).rejects.toThrow('the log became unreadable');
    expect(await dumpReadModels(pool)).toEqual(live);
    expect(await indexesOf(pool)).toEqual(indexes);
  });
});
