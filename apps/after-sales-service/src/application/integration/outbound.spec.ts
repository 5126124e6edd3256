import { HOUR } from '@aftersales/kernel';
import {
  EVENT_REGISTRY,
  parseKafkaMessage,
  toKafkaMessage,
  type AnyEventEnvelope,
  type EventEnvelope,
  type EventType,
} from '@aftersales/contracts';
import {
  application,
  at,
  cmd,
  homeAddress,
  merchantAgent,
  returnAddress,
} from '../../domain/__tests__/ticket.fixtures';
import { couponIdFor } from './coupon-id';
import { ContractGapError, toIntegrationEvents, type OutboundContext } from './outbound';
import { refundIdempotencyKey, refundIdFor } from './refund-id';
import { warehouseTaskIdFor } from './warehouse-task-id';
import {
  FLOW_NAMES,
  FLOWS,
  runFlow,
  TICKET_ID,
  type FlowName,
  type RecordedBatch,
} from './ticket-flows.fixtures';

function idSequence(): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  };
}

const contextWith = (change: Partial<OutboundContext> = {}): OutboundContext => ({
  newId: idSequence(),
  source: 'after-sales-service',
  ...change,
});

type Published =
  { batch: RecordedBatch; envelopes: EventEnvelope[] } | { batch: RecordedBatch; gap: ContractGapError };

function publishFlow(name: FlowName): Published[] {
  const newId = idSequence();
  return runFlow(FLOWS[name]).map((batch) => {
    try {
      return { batch, envelopes: toIntegrationEvents(batch.changes, contextWith({ newId })) };
    } catch (error) {
      if (error instanceof ContractGapError) return { batch, gap: error };
      throw error;
    }
  });
}

/** The published types in order; a batch stopped by a contract gap shows as `gap:<type>`. */
function typesOf(published: readonly Published[]): string[] {
  return published.flatMap((p) => ('gap' in p ? [`gap:${p.gap.eventType}`] : p.envelopes.map((e) => e.type)));
}

/** The envelopes as a consumer reads them: through Kafka's wire form and the contract's parser. */
function consumed(published: readonly Published[]): AnyEventEnvelope[] {
  return published.flatMap((p) =>
    'gap' in p
      ? []
      : p.envelopes.map((envelope) => {
          const parsed = parseKafkaMessage(toKafkaMessage(envelope));
          if (!parsed.ok) throw new Error(`${envelope.type}: ${parsed.error.message}`);
          return parsed.event;
        }),
  );
}

function only<T extends EventType>(events: readonly AnyEventEnvelope[], type: T): EventEnvelope<T>[] {
  return events.filter((event): event is EventEnvelope<T> & AnyEventEnvelope => event.type === type);
}

function single<T extends EventType>(events: readonly AnyEventEnvelope[], type: T): EventEnvelope<T> {
  const found = only(events, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** What each flow publishes, in order; `gap:<type>` where a contract gap stops a command. */
const SEQUENCES: Record<FlowName, string[]> = {
  'cancel order, order closed': ['ticket-opened', 'order-cancellation-requested', 'ticket-succeeded'],
  'cancel order, already paid': ['ticket-opened', 'order-cancellation-requested', 'ticket-closed'],
  'refund before shipment, intercepted': [
    'ticket-opened',
    'shipment-interception-requested',
    'ticket-approved',
    'refund-requested',
    'ticket-succeeded',
  ],
  'refund before shipment, not interceptable': [
    'ticket-opened',
    'shipment-interception-requested',
    'ticket-approved',
    'refund-requested',
    'ticket-succeeded',
  ],
  'refund before shipment, interception deadline': ['ticket-opened', 'shipment-interception-requested'],
  'refund after shipment, approved': [
    'ticket-opened',
    'ticket-approved',
    'refund-requested',
    'ticket-succeeded',
  ],
  'refund after shipment, rejected': ['ticket-opened', 'ticket-rejected', 'ticket-closed'],
  'refund after shipment, approved automatically': [
    'ticket-opened',
    'ticket-approved',
    'refund-requested',
    'ticket-succeeded',
  ],
  'return, matches': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'refund-requested',
    'ticket-succeeded',
  ],
  'return, mismatch, offer accepted': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'refund-requested',
    'ticket-succeeded',
  ],
  'return, mismatch, offer declined': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'return-to-customer-requested',
    'ticket-closed',
  ],
  'exchange, matches': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'exchange-stock-out-requested',
    'ticket-succeeded',
  ],
  'exchange, mismatch, shipped anyway': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'exchange-stock-out-requested',
    'ticket-succeeded',
  ],
  'deadline: review, refund approved by the system': ['ticket-opened', 'ticket-approved', 'refund-requested'],
  'deadline: review, return escalated without a default address': ['ticket-opened'],
  'deadline: review, return approved to the default address': ['ticket-opened', 'ticket-approved'],
  'deadline: customer return': ['ticket-opened', 'ticket-approved', 'ticket-closed'],
  'deadline: stock-in, closed': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'ticket-closed',
  ],
  'deadline: stock-in, refunded automatically': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'refund-requested',
  ],
  'deadline: stock-in, closed, then the return arrives': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'ticket-closed',
    'return-to-customer-requested',
  ],
  'deadline: stock-in, refunded automatically, then the return arrives': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'refund-requested',
    'ticket-succeeded',
  ],
  'deadline: negotiation': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'return-to-customer-requested',
    'ticket-closed',
  ],
  'deadline: exchange shipment escalated': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'exchange-stock-out-requested',
  ],
  'refund failed, requested again': [
    'ticket-opened',
    'ticket-approved',
    'refund-requested',
    'refund-requested',
    'ticket-succeeded',
  ],
  'refund rejected, adjusted and requested again': [
    'ticket-opened',
    'ticket-approved',
    'refund-requested',
    'refund-requested',
    'ticket-succeeded',
  ],
  'compensation coupon': ['ticket-opened', 'compensation-coupon-issued'],
  'customer cancels': ['ticket-opened', 'ticket-closed'],
  'platform records a finding, then closes': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'return-to-customer-requested',
    'ticket-closed',
  ],
  'platform forces a refund': ['ticket-opened', 'refund-requested', 'ticket-succeeded'],
  'refund before shipment, interception deadline, cancelled, then intercepted': [
    'ticket-opened',
    'shipment-interception-requested',
    'ticket-closed',
  ],
  'platform refunds an exchange out of stock; the replacement had left': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'exchange-stock-out-requested',
    'exchange-stock-out-cancellation-requested',
    'refund-requested',
    'ticket-succeeded',
  ],
  'platform closes an exchange awaiting its replacement': [
    'ticket-opened',
    'ticket-approved',
    'return-stock-in-requested',
    'exchange-stock-out-requested',
    'exchange-stock-out-cancellation-requested',
    'return-to-customer-requested',
    'ticket-closed',
  ],
};

describe('toIntegrationEvents over every flow', () => {
  it.each(FLOW_NAMES)(
    '%s: every envelope survives Kafka and is keyed, timed and signed by its ticket event',
    (name) => {
      for (const published of publishFlow(name)) {
        if ('gap' in published) continue;
        for (const envelope of published.envelopes) {
          const message = toKafkaMessage(envelope);
          const parsed = parseKafkaMessage(message);
          expect(parsed).toEqual({ ok: true, event: envelope });
          expect(message.key).toBe(TICKET_ID);
          expect(message.topic).toBe(EVENT_REGISTRY[envelope.type].topic);
          expect(envelope.source).toBe('after-sales-service');
          const origins = published.batch.changes.map((change) => change.event.metadata);
          expect(origins).toContainEqual({ actor: envelope.actor, occurredAt: envelope.occurredAt });
        }
      }
    },
  );

  it.each(Object.entries(SEQUENCES))('%s publishes %j', (name, types) => {
    expect(typesOf(publishFlow(name as FlowName))).toEqual(types);
  });
});

describe('ticket lifecycle payloads', () => {
  it('opens a cancel-order ticket as CANCELLING with nothing to refund, for the whole order', () => {
    const opened = single(consumed(publishFlow('cancel order, order closed')), 'ticket-opened');
    expect(opened.data).toMatchObject({
      ticketId: TICKET_ID,
      ticketNo: 'AS202611250000001',
      type: 'CANCEL_ORDER',
      status: 'CANCELLING',
      requestedRefund: { cash: 0, coins: 0 },
      lines: [
        { lineId: 'L1', sku: 'SKU-A', quantity: 2 },
        { lineId: 'L2', sku: 'SKU-B', quantity: 1 },
        { lineId: 'L3', sku: 'SKU-C', quantity: 3 },
      ],
    });
    expect(opened.actor).toEqual({ role: 'customer', id: 'cust-1' });
  });

  it('opens a refund before shipment as INTERCEPTING with the shipping fee in the requested refund', () => {
    const events = consumed(publishFlow('refund before shipment, intercepted'));
    // Goods actual paid 16.00 + 24.00 + 12.00, shipping 8.00; coins 0.92 + 1.39 + 0.69.
    expect(single(events, 'ticket-opened').data).toMatchObject({
      status: 'INTERCEPTING',
      requestedRefund: { cash: 6000, coins: 300 },
    });
    expect(single(events, 'shipment-interception-requested').data).toMatchObject({
      ticketNo: 'AS202611250000001',
      merchantId: 'merchant-1',
      lines: [
        { lineId: 'L1', sku: 'SKU-A', title: 'Tea cup', quantity: 2 },
        { lineId: 'L2', sku: 'SKU-B', title: 'Kettle', quantity: 1 },
        { lineId: 'L3', sku: 'SKU-C', title: 'Tea leaves', quantity: 3 },
      ],
    });
    const approved = single(events, 'ticket-approved');
    expect(approved.data).toMatchObject({ status: 'AWAITING_REFUND', automatic: true });
    expect(approved.actor).toEqual({ role: 'system', id: 'system' });
    expect(single(events, 'refund-requested').data).toMatchObject({
      cashAmount: 6000,
      coinsAmount: 300,
      paymentNo: 'PAY-1',
      breakdown: {
        lines: [
          { lineId: 'L1', quantity: 2, cash: 1600, coins: 92 },
          { lineId: 'L2', quantity: 1, cash: 2400, coins: 139 },
          { lineId: 'L3', quantity: 3, cash: 1200, coins: 69 },
        ],
        adjustment: 0,
        shippingFee: 800,
        shippingSubsidy: 0,
      },
    });
  });

  it('drops the shipping fee once the parcel could not be stopped', () => {
    const events = consumed(publishFlow('refund before shipment, not interceptable'));
    expect(single(events, 'refund-requested').data).toMatchObject({
      cashAmount: 5200,
      breakdown: { shippingFee: 0 },
    });
  });

  it('opens an automatically approved refund as PENDING_REVIEW and approves it into AWAITING_REFUND', () => {
    const events = consumed(publishFlow('refund after shipment, approved automatically'));
    expect(single(events, 'ticket-opened').data.status).toBe('PENDING_REVIEW');
    expect(single(events, 'ticket-approved').data).toMatchObject({
      status: 'AWAITING_REFUND',
      automatic: true,
      approvedRefund: { cash: 800, coins: 46 },
    });
  });

  it('approves a return into AWAITING_CUSTOMER_RETURN, by the agent', () => {
    const approved = single(consumed(publishFlow('return, matches')), 'ticket-approved');
    expect(approved.data).toMatchObject({
      type: 'RETURN_AND_REFUND',
      status: 'AWAITING_CUSTOMER_RETURN',
      automatic: false,
      approvedRefund: { cash: 800, coins: 46 },
      returnAddress,
    });
    expect(approved.actor).toEqual({ role: 'merchant_agent', id: 'agent-1', merchantId: 'merchant-1' });
  });

  it('promises nothing back for an exchange', () => {
    const events = consumed(publishFlow('exchange, matches'));
    expect(single(events, 'ticket-opened').data).toMatchObject({
      requestedRefund: { cash: 0, coins: 0 },
      deliveryAddress: homeAddress,
    });
    expect(single(events, 'ticket-approved').data).toMatchObject({
      approvedRefund: { cash: 0, coins: 0 },
      returnAddress,
    });
    expect(single(events, 'ticket-succeeded').data).toEqual(
      expect.objectContaining({
        refunded: { cash: 0, coins: 0 },
        carrier: 'SF Express',
        trackingNo: 'SF5555666677',
      }),
    );
    expect(single(events, 'ticket-succeeded').data.refundId).toBeUndefined();
  });

  it('names no address where none applies: a refund has no return address, a return no delivery address', () => {
    const refund = consumed(publishFlow('refund after shipment, approved'));
    expect(single(refund, 'ticket-approved').data.returnAddress).toBeUndefined();
    expect(
      single(consumed(publishFlow('return, matches')), 'ticket-opened').data.deliveryAddress,
    ).toBeUndefined();
  });

  it('rejects with the contract reason code, then closes as REJECTED from PENDING_REVIEW', () => {
    const events = consumed(publishFlow('refund after shipment, rejected'));
    expect(single(events, 'ticket-rejected').data).toMatchObject({
      reasonCode: 'USED_OR_DAMAGED_BY_CUSTOMER',
      note: 'The cup shows signs of use',
    });
    expect(single(events, 'ticket-closed').data).toMatchObject({
      closeReason: 'REJECTED',
      previousStatus: 'PENDING_REVIEW',
      note: 'The cup shows signs of use',
    });
  });

  it.each([
    ['cancel order, already paid', 'ORDER_ALREADY_PAID', 'CANCELLING'],
    ['customer cancels', 'CANCELLED_BY_CUSTOMER', 'PENDING_REVIEW'],
    ['deadline: customer return', 'RETURN_TIMEOUT', 'AWAITING_CUSTOMER_RETURN'],
    ['deadline: stock-in, closed', 'STOCK_IN_TIMEOUT', 'AWAITING_STOCK_IN'],
    ['deadline: negotiation', 'NEGOTIATION_TIMEOUT', 'IN_NEGOTIATION'],
    ['return, mismatch, offer declined', 'NEGOTIATION_DECLINED', 'IN_NEGOTIATION'],
    ['platform records a finding, then closes', 'CLOSED_BY_PLATFORM', 'IN_NEGOTIATION'],
  ] satisfies [FlowName, string, string][])(
    '%s closes as %s from %s',
    (name, closeReason, previousStatus) => {
      expect(single(consumed(publishFlow(name)), 'ticket-closed').data).toMatchObject({
        closeReason,
        previousStatus,
      });
    },
  );

  it('tells a platform close from an agent close by its actor', () => {
    const closed = single(consumed(publishFlow('platform records a finding, then closes')), 'ticket-closed');
    expect(closed.actor).toEqual({ role: 'platform_agent', id: 'arbiter-1' });
    expect(closed.data.note).toBe('Damage caused by the customer');
  });

  it('cuts a description longer than the contract allows and marks the cut', () => {
    const { command, context } = application();
    if (command.type !== 'ApplyForAfterSales') throw new Error('not an application');
    const long = { ...command, data: { ...command.data, description: 'x'.repeat(2000) } };
    const [batch] = runFlow([{ command: long, context }]);
    const opened = single(
      consumed([{ batch, envelopes: toIntegrationEvents(batch.changes, contextWith()) }]),
      'ticket-opened',
    );
    expect(opened.data.description).toHaveLength(1000);
    expect(opened.data.description?.endsWith('x…')).toBe(true);
  });
});

describe('refund requests', () => {
  it('names the refund order after the attempt, so the same attempt always names the same order', () => {
    const events = consumed(publishFlow('refund failed, requested again'));
    const [first, second] = only(events, 'refund-requested');
    expect(first.data).toMatchObject({
      idempotencyKey: 'ticket-1:refund:1',
      refundId: refundIdFor('ticket-1:refund:1'),
    });
    expect(second.data).toMatchObject({
      idempotencyKey: 'ticket-1:refund:2',
      refundId: refundIdFor('ticket-1:refund:2'),
    });
    expect(single(events, 'ticket-succeeded').data).toMatchObject({
      refunded: { cash: 800, coins: 46 },
      refundId: second.data.refundId,
    });
  });

  it('uses the idempotency key the decider gives every attempt', () => {
    for (const name of FLOW_NAMES) {
      for (const { changes } of runFlow(FLOWS[name])) {
        for (const { event } of changes) {
          if (event.type !== 'RefundRequested') continue;
          expect(event.data.idempotencyKey).toBe(refundIdempotencyKey(TICKET_ID, event.data.attempt));
        }
      }
    }
  });

  it('shows a negotiated amount as an adjustment and spreads the reduced coins over the lines', () => {
    const events = consumed(publishFlow('return, mismatch, offer accepted'));
    // 6.00 of 8.00 actual paid: coins 0.46 scale down to 0.34.
    expect(single(events, 'refund-requested').data).toMatchObject({
      cashAmount: 600,
      coinsAmount: 34,
      breakdown: { lines: [{ lineId: 'L1', quantity: 1, cash: 800, coins: 34 }], adjustment: -200 },
    });
    expect(single(events, 'ticket-succeeded').data.refunded).toEqual({ cash: 600, coins: 34 });
  });

  it('carries an agent adjustment and shipping subsidy into the retried request', () => {
    const [, retried] = only(
      consumed(publishFlow('refund rejected, adjusted and requested again')),
      'refund-requested',
    );
    expect(retried.data).toMatchObject({
      cashAmount: 800,
      coinsAmount: 28,
      breakdown: { adjustment: -300, shippingSubsidy: 300, shippingFee: 0 },
    });
  });

  it.each([
    ['cancel order, order closed', 'ORDER_CANCELLED'],
    ['refund after shipment, approved', 'REFUNDED'],
    ['return, matches', 'RETURNED'],
    ['exchange, matches', 'EXCHANGED'],
  ] as const)('says how %s ended: %s', (flow, outcome) => {
    expect(single(consumed(publishFlow(flow)), 'ticket-succeeded').data.outcome).toBe(outcome);
  });

  it('refunds a platform ruling of its amount', () => {
    const requested = single(consumed(publishFlow('platform forces a refund')), 'refund-requested');
    expect(requested.data).toMatchObject({ cashAmount: 700, breakdown: { adjustment: -100 } });
    expect(requested.actor).toEqual({ role: 'platform_agent', id: 'arbiter-1' });
  });
});

describe('warehouse tasks', () => {
  it('names every task by its ticket and the request that opened it, so a republished request names the same task', () => {
    const flows: FlowName[] = [
      'exchange, matches',
      'return, mismatch, offer declined',
      'refund before shipment, intercepted',
    ];
    const tasks = flows.flatMap((name) =>
      consumed(publishFlow(name)).flatMap((event) =>
        event.type === 'shipment-interception-requested' ||
        event.type === 'return-stock-in-requested' ||
        event.type === 'exchange-stock-out-requested' ||
        event.type === 'return-to-customer-requested'
          ? [[event.type, event.data.taskId]]
          : [],
      ),
    );
    expect(tasks).toEqual([
      ['return-stock-in-requested', warehouseTaskIdFor(TICKET_ID, 'return-stock-in-requested')],
      ['exchange-stock-out-requested', warehouseTaskIdFor(TICKET_ID, 'exchange-stock-out-requested')],
      ['return-stock-in-requested', warehouseTaskIdFor(TICKET_ID, 'return-stock-in-requested')],
      ['return-to-customer-requested', warehouseTaskIdFor(TICKET_ID, 'return-to-customer-requested')],
      ['shipment-interception-requested', warehouseTaskIdFor(TICKET_ID, 'shipment-interception-requested')],
    ]);
    expect(new Set(tasks.map(([, taskId]) => taskId)).size).toBe(4);
  });

  it('sends back what the warehouse received, giving the close that caused it', () => {
    const sendBack = single(
      consumed(publishFlow('return, mismatch, offer declined')),
      'return-to-customer-requested',
    );
    expect(sendBack.data).toMatchObject({
      reason: 'NEGOTIATION_DECLINED',
      lines: [{ lineId: 'L1', sku: 'SKU-A', title: 'Tea cup', quantity: 1 }],
    });
    expect(sendBack.data.deliveryAddress).toBeUndefined();
  });

  it('sends back goods that arrived after the stock-in deadline closed the ticket, saying so', () => {
    const sendBack = single(
      consumed(publishFlow('deadline: stock-in, closed, then the return arrives')),
      'return-to-customer-requested',
    );
    expect(sendBack.data).toMatchObject({
      reason: 'ARRIVED_AFTER_CLOSE',
      taskId: warehouseTaskIdFor(TICKET_ID, 'return-to-customer-requested'),
      lines: [{ lineId: 'L1', quantity: 1 }],
    });
  });

  it('names a platform close as such when goods go back', () => {
    const sendBack = single(
      consumed(publishFlow('platform records a finding, then closes')),
      'return-to-customer-requested',
    );
    expect(sendBack.data.reason).toBe('CLOSED_BY_PLATFORM');
  });

  it('sends the stock-in task with the return shipment and the merchant return address', () => {
    const task = single(consumed(publishFlow('exchange, matches')), 'return-stock-in-requested');
    expect(task.data.returnAddress.address.length).toBeGreaterThan(0);
    expect(task.data.trackingNo.length).toBeGreaterThan(0);
    expect(task.data.lines.length).toBeGreaterThan(0);
  });

  it('sends the exchange stock-out task to the delivery address the customer gave', () => {
    const task = single(consumed(publishFlow('exchange, matches')), 'exchange-stock-out-requested');
    expect(task.data.deliveryAddress.recipient.length).toBeGreaterThan(0);
  });

  it('cancels the stock-out by its own task id when a ruling ends the exchange, naming the ruling', () => {
    const stockOutId = warehouseTaskIdFor(TICKET_ID, 'exchange-stock-out-requested');
    const refunded = consumed(
      publishFlow('platform refunds an exchange out of stock; the replacement had left'),
    );
    expect(single(refunded, 'exchange-stock-out-cancellation-requested').data).toMatchObject({
      taskId: stockOutId,
      reason: 'REFUNDED_BY_PLATFORM',
      lines: [{ lineId: 'L1', sku: 'SKU-A', title: 'Tea cup', quantity: 1 }],
    });
    const closed = consumed(publishFlow('platform closes an exchange awaiting its replacement'));
    expect(single(closed, 'exchange-stock-out-cancellation-requested').data).toMatchObject({
      taskId: stockOutId,
      reason: 'CLOSED_BY_PLATFORM',
    });
    expect(single(closed, 'return-to-customer-requested').data.reason).toBe('CLOSED_BY_PLATFORM');
  });

  it('publishes a compensation coupon with no minimum spend and the coupon system default validity', () => {
    const coupon = single(consumed(publishFlow('compensation coupon')), 'compensation-coupon-issued');
    expect(coupon.data.minimumSpend).toBe(0);
    expect(coupon.data.validUntil).toBeUndefined();
    expect(coupon.data.amount).toBeGreaterThan(0);
  });
});

describe('compensation coupons', () => {
  it('names each coupon by its ticket and its place, so a republished event issues no second coupon', () => {
    const second = {
      command: cmd(
        'IssueCompensationCoupon',
        { couponValue: 500, note: 'And for the wait' },
        merchantAgent,
        at(2 * HOUR),
      ),
    };
    const batches = runFlow([...FLOWS['compensation coupon'], second]);
    const couponIds = (): string[] =>
      only(
        consumed(
          batches.map((batch) => ({ batch, envelopes: toIntegrationEvents(batch.changes, contextWith()) })),
        ),
        'compensation-coupon-issued',
      ).map((coupon) => coupon.data.couponId);
    expect(couponIds()).toEqual([couponIdFor(TICKET_ID, 1), couponIdFor(TICKET_ID, 2)]);
    expect(new Set(couponIds()).size).toBe(2);
    expect(couponIds()).toEqual(couponIds());
    expect(couponIdFor('another-ticket', 1)).not.toBe(couponIdFor(TICKET_ID, 1));
  });
});

describe('envelope ids and tracing', () => {
  const [, approval] = runFlow(FLOWS['refund after shipment, approved']);

  it('correlates a command whose caller gave no correlation id by its first envelope', () => {
    const envelopes = toIntegrationEvents(approval.changes, contextWith());
    expect(envelopes.map((e) => [e.id, e.correlationId, e.causationId])).toEqual([
      ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', undefined],
      ['00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', undefined],
    ]);
  });

  it("keeps the caller's correlation and causation ids on every envelope", () => {
    const envelopes = toIntegrationEvents(
      approval.changes,
      contextWith({ correlationId: 'corr-1', causationId: 'cause-1' }),
    );
    expect(envelopes.map((e) => [e.correlationId, e.causationId])).toEqual([
      ['corr-1', 'cause-1'],
      ['corr-1', 'cause-1'],
    ]);
  });

  it('publishes nothing for negotiation steps, deadlines and outcomes other services reported', () => {
    const batches = runFlow(FLOWS['return, mismatch, offer accepted']);
    const quiet = batches.filter((b) => ['RecordStockIn', 'ProposeRefundAmount'].includes(b.command));
    expect(quiet.map((b) => toIntegrationEvents(b.changes, contextWith()))).toEqual([[], []]);
    const [, escalation] = runFlow(FLOWS['deadline: review, return escalated without a default address']);
    expect(toIntegrationEvents(escalation.changes, contextWith())).toEqual([]);
  });
});
