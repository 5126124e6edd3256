import {
  createEnvelope,
  EVENT_SAMPLES,
  EVENT_TYPES,
  parseKafkaMessage,
  sampleEnvelope,
  toKafkaMessage,
  type AnyEventEnvelope,
  type EventDataMap,
  type EventEnvelope,
  type EventType,
} from '@aftersales/contracts';
import { type Actor, ValidationError } from '@aftersales/kernel';
import {
  allocateOrderAmounts,
  decide,
  evolveAll,
  ORDER_STATES,
  type OrderState,
  type TicketEvent,
} from '../../domain';
import { anOrder } from '../../domain/__tests__/ticket.fixtures';
import { toIntegrationEvents } from './outbound';
import { cancelOutcomeFor, orderSnapshotFromStatusChange, toTicketCommand } from './inbound';
import { refundIdempotencyKey, refundIdFor } from './refund-id';
import { warehouseTaskIdFor, type WarehouseTaskRequest } from './warehouse-task-id';
import { FLOWS, runFlow, TICKET_ID } from './ticket-flows.fixtures';

const NOW = new Date('2026-11-27T09:00:05.000Z');
const SAMPLE_TICKET = EVENT_SAMPLES['return-stocked'].ticketId;
const warehouse: Actor = { role: 'warehouse', id: 'WH-SH-01' };
const system: Actor = { role: 'system', id: 'system' };
const finance: Actor = { role: 'finance', id: 'u-9001' };

/** The envelope as the inbox hands it over: read back from its Kafka message. */
function received(envelope: EventEnvelope): AnyEventEnvelope {
  const parsed = parseKafkaMessage(toKafkaMessage(envelope));
  if (!parsed.ok) throw new Error(`${envelope.type}: ${parsed.error.message}`);
  return parsed.event;
}

/** The warehouse outcomes after-sales acts on, by the request that opened the task they answer. */
const ANSWERED: Partial<Record<EventType, WarehouseTaskRequest>> = {
  'return-stocked': 'return-stock-in-requested',
  'exchange-shipped': 'exchange-stock-out-requested',
  'returned-to-customer': 'return-to-customer-requested',
  'shipment-intercepted': 'shipment-interception-requested',
  'shipment-interception-failed': 'shipment-interception-requested',
};

/**
 * A sample event of `type` with some data changed, published by `actor`. A warehouse outcome names
 * the task its ticket opened unless the change names another.
 */
function envelopeOf<T extends EventType>(
  type: T,
  change: Partial<EventDataMap[T]>,
  actor: Actor = system,
): AnyEventEnvelope {
  const sample = EVENT_SAMPLES[type];
  const request = ANSWERED[type];
  const ticketId = (change as { ticketId?: string }).ticketId ?? SAMPLE_TICKET;
  const task = request ? { taskId: warehouseTaskIdFor(ticketId, request) } : {};
  return received(
    createEnvelope(
      type,
      { ...sample, ...task, ...change },
      {
        id: '00000000-0000-4000-8000-000000000099',
        occurredAt: '2026-11-27T09:00:00.000Z',
        source: 'test',
        actor,
      },
    ),
  );
}

const refundIdOfAttempt = (attempt: number, ticketId = SAMPLE_TICKET): string =>
  refundIdFor(refundIdempotencyKey(ticketId, attempt));

describe('toTicketCommand', () => {
  it("records a stock-in with each unit as the inspector found it, by the warehouse, at the warehouse's time", () => {
    expect(toTicketCommand(envelopeOf('return-stocked', {}, warehouse), NOW)).toEqual({
      ticketId: SAMPLE_TICKET,
      command: {
        type: 'RecordStockIn',
        data: {
          lines: [{ lineId: 'L1', quantityReceived: 1, dispositions: ['RESTOCKABLE'] }],
          note: null,
          stockedAt: '2026-11-27T08:30:00.000Z',
        },
        metadata: { actor: warehouse, now: NOW },
      },
    });
  });

  it("keeps the inspector's unit notes as the stock-in note", () => {
    const envelope = envelopeOf(
      'return-stocked',
      {
        lines: [
          {
            lineId: 'L1',
            sku: 'SKU-TSHIRT-RED-M',
            quantityExpected: 2,
            quantityReceived: 1,
            units: [
              { disposition: 'DAMAGED_OR_NOT_AS_DESCRIBED', note: 'torn seam' },
              { disposition: 'MISSING' },
            ],
          },
        ],
      },
      warehouse,
    );
    expect(toTicketCommand(envelope, NOW)?.command.data).toEqual({
      lines: [
        { lineId: 'L1', quantityReceived: 1, dispositions: ['DAMAGED_OR_NOT_AS_DESCRIBED', 'MISSING'] },
      ],
      note: 'L1 unit 1: torn seam',
      stockedAt: '2026-11-27T08:30:00.000Z',
    });
  });

  it('records the replacement shipment with the lines it holds', () => {
    expect(toTicketCommand(envelopeOf('exchange-shipped', {}, warehouse), NOW)).toEqual({
      ticketId: SAMPLE_TICKET,
      command: {
        type: 'RecordExchangeShipped',
        data: {
          lines: [{ lineId: 'L1', quantity: 1 }],
          carrier: 'SF Express',
          trackingNo: 'SF5555666677',
          shippedAt: '2026-11-28T02:00:00.000Z',
        },
        metadata: { actor: warehouse, now: NOW },
      },
    });
  });

  it('records the parcel that took the goods back to the customer', () => {
    expect(toTicketCommand(envelopeOf('returned-to-customer', {}, warehouse), NOW)?.command).toEqual({
      type: 'RecordGoodsReturnedToCustomer',
      data: {
        lines: [{ lineId: 'L1', quantity: 1 }],
        carrier: 'SF Express',
        trackingNo: 'SF7777888899',
        shippedAt: '2026-12-02T03:00:00.000Z',
      },
      metadata: { actor: warehouse, now: NOW },
    });
  });

  it('records an interception', () => {
    expect(toTicketCommand(envelopeOf('shipment-intercepted', {}, warehouse), NOW)?.command).toEqual({
      type: 'RecordInterceptionResult',
      data: { intercepted: true, note: null },
      metadata: { actor: warehouse, now: NOW },
    });
  });

  it.each([
    [{}, 'ALREADY_SHIPPED', 'Parcel handed to the carrier at 10:02.'],
    [{ reason: 'WAREHOUSE_REFUSED', note: 'Picked already' }, 'WAREHOUSE_REFUSED', 'Picked already'],
    [{ reason: 'TASK_UNKNOWN', note: undefined }, 'TASK_UNKNOWN', null],
  ] satisfies [Partial<EventDataMap['shipment-interception-failed']>, string, string | null][])(
    'records a failed interception %j with its reason %j and note %j',
    (change, reason, note) => {
      expect(
        toTicketCommand(envelopeOf('shipment-interception-failed', change, warehouse), NOW)?.command,
      ).toEqual({
        type: 'RecordInterceptionResult',
        data: { intercepted: false, reason, note },
        metadata: { actor: warehouse, now: NOW },
      });
    },
  );

  const OTHER_TASKS = Object.entries(ANSWERED).flatMap(([type, request]) => [
    [type, 'a task of another ticket', warehouseTaskIdFor('another-ticket', request)],
    [
      type,
      "another of the ticket's tasks",
      warehouseTaskIdFor(
        SAMPLE_TICKET,
        request === 'return-stock-in-requested'
          ? 'exchange-stock-out-requested'
          : 'return-stock-in-requested',
      ),
    ],
    [type, 'a task after-sales never opened', EVENT_SAMPLES['return-stocked'].taskId],
  ]) as [EventType, string, string][];
  it.each(OTHER_TASKS)('refuses %s answering %s, naming data.taskId', (type, _what, taskId) => {
    const request = ANSWERED[type] as WarehouseTaskRequest;
    const opened = warehouseTaskIdFor(SAMPLE_TICKET, request);
    expect(() => toTicketCommand(envelopeOf(type, { taskId }, warehouse), NOW)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        rule: 'data.taskId',
        message: `Task ${taskId} is not the task ticket ${SAMPLE_TICKET} opened with ${request} (${opened})`,
      }),
    );
  });

  it('matches a task id whatever the letter case the warehouse wrote it in', () => {
    const taskId = warehouseTaskIdFor(SAMPLE_TICKET, 'return-stock-in-requested').toUpperCase();
    expect(toTicketCommand(envelopeOf('return-stocked', { taskId }, warehouse), NOW)?.command.type).toBe(
      'RecordStockIn',
    );
  });

  it('records a payment against the attempt that asked for the refund order', () => {
    const refundId = refundIdOfAttempt(2);
    expect(toTicketCommand(envelopeOf('refund-paid', { refundId }), NOW)).toEqual({
      ticketId: SAMPLE_TICKET,
      command: {
        type: 'RecordRefundPaid',
        data: {
          attempt: 2,
          refundId,
          cash: sampleEnvelope('refund-paid').data.cashAmount,
          coins: sampleEnvelope('refund-paid').data.coinsAmount,
          paidAt: sampleEnvelope('refund-paid').data.paidAt,
        },
        metadata: { actor: system, now: NOW },
      },
    });
  });

  it('refuses a refund order none of the ticket attempts asked for', () => {
    expect(() => toTicketCommand(received(sampleEnvelope('refund-paid')), NOW)).toThrow(ValidationError);
    expect(() =>
      toTicketCommand(
        envelopeOf('refund-rejected', { refundId: refundIdOfAttempt(1, 'another-ticket') }),
        NOW,
      ),
    ).toThrow(/was not requested by ticket/);
  });

  it('leaves a retryable payout failure to the refund service', () => {
    expect(toTicketCommand(received(sampleEnvelope('refund-failed')), NOW)).toBeNull();
  });

  it('records a final payout failure against its attempt', () => {
    const refundId = refundIdOfAttempt(1);
    const envelope = envelopeOf('refund-failed', {
      refundId,
      retryable: false,
      reason: 'Card account closed.',
    });
    expect(toTicketCommand(envelope, NOW)?.command).toEqual({
      type: 'RecordRefundFailed',
      data: { attempt: 1, refundId, reason: 'Card account closed.' },
      metadata: { actor: system, now: NOW },
    });
  });

  it("records finance's approval, with the amounts it approved, by finance", () => {
    const refundId = refundIdOfAttempt(2);
    const envelope = envelopeOf('refund-approved', { refundId, automatic: false }, finance);
    expect(toTicketCommand(envelope, NOW)?.command).toEqual({
      type: 'RecordRefundApproved',
      data: { attempt: 2, refundId, cash: 8474, coins: 204, automatic: false },
      metadata: { actor: finance, now: NOW },
    });
  });

  it("records finance's rejection with its note, by finance", () => {
    const refundId = refundIdOfAttempt(3);
    expect(toTicketCommand(envelopeOf('refund-rejected', { refundId }, finance), NOW)?.command).toEqual({
      type: 'RecordRefundRejected',
      data: { attempt: 3, refundId, reason: 'Amount exceeds what the order paid for this line.' },
      metadata: { actor: finance, now: NOW },
    });
  });

  it.each([
    ['ORDER_ALREADY_PAID', 'RecordOrderPaid'],
    ['ORDER_ALREADY_CLOSED', 'RecordOrderClosed'],
  ] as const)('turns a cancellation refused as %s into %s', (reason, type) => {
    expect(toTicketCommand(envelopeOf('order-cancellation-rejected', { reason }), NOW)).toEqual({
      ticketId: SAMPLE_TICKET,
      command: { type, data: {}, metadata: { actor: system, now: NOW } },
    });
  });

  const MAPPED: readonly EventType[] = [
    'return-stocked',
    'exchange-shipped',
    'returned-to-customer',
    'shipment-intercepted',
    'shipment-interception-failed',
    'refund-paid',
    'refund-approved',
    'refund-failed',
    'refund-rejected',
    'order-cancellation-rejected',
  ];
  it.each(EVENT_TYPES.filter((type) => !MAPPED.includes(type)))('asks nothing of a ticket on %s', (type) => {
    expect(toTicketCommand(received(sampleEnvelope(type)), NOW)).toBeNull();
  });
});

describe('a conversation with the refund service and the warehouse, through the decider', () => {
  function eventsAfter(flow: TicketEvent[], envelope: AnyEventEnvelope): TicketEvent[] {
    const mapped = toTicketCommand(envelope, NOW);
    if (mapped === null) throw new Error(`${envelope.type} mapped to nothing`);
    expect(mapped.ticketId).toBe(TICKET_ID);
    return decide(mapped.command, evolveAll(flow));
  }

  it('pays the refund after-sales asked for', () => {
    const batches = runFlow(FLOWS['refund failed, requested again'].slice(0, 4));
    const history = batches.flatMap((batch) => batch.changes.map((change) => change.event));
    const retry = toIntegrationEvents(batches[3].changes, {
      newId: () => '00000000-0000-4000-8000-000000000001',
      source: 'after-sales-service',
    });
    const requested = received(retry[0]);
    if (requested.type !== 'refund-requested') throw new Error(`published ${requested.type}`);
    const {
      refundId,
      ticketId,
      ticketNo,
      orderId,
      merchantId,
      paymentNo,
      cashAmount,
      coinsAmount,
      breakdown,
    } = requested.data;
    const paid = received(
      createEnvelope(
        'refund-paid',
        {
          refundId,
          ticketId,
          ticketNo,
          orderId,
          merchantId,
          paymentNo,
          cashAmount,
          coinsAmount,
          breakdown,
          paidAt: '2026-11-27T09:00:00.000Z',
        },
        {
          id: '00000000-0000-4000-8000-000000000002',
          occurredAt: NOW,
          source: 'refund-service',
          actor: system,
        },
      ),
    );
    expect(eventsAfter(history, paid).map((event) => [event.type, event.data])).toEqual([
      ['RefundPaid', { attempt: 2, refundId, cash: 800, coins: 46, paidAt: '2026-11-27T09:00:00.000Z' }],
      ['TicketSucceeded', { outcome: 'REFUNDED' }],
    ]);
  });

  it('records a warehouse inspection on the task the ticket published', () => {
    const batches = runFlow(FLOWS['return, matches'].slice(0, 3));
    const history = batches.flatMap((batch) => batch.changes.map((change) => change.event));
    const task = toIntegrationEvents(batches[2].changes, {
      newId: () => '00000000-0000-4000-8000-000000000001',
      source: 'after-sales-service',
    }).find((envelope) => envelope.type === 'return-stock-in-requested');
    if (task === undefined) throw new Error('no return-stock-in-requested published');
    const stocked = envelopeOf(
      'return-stocked',
      {
        taskId: (task.data as EventDataMap['return-stock-in-requested']).taskId,
        ticketId: TICKET_ID,
        ticketNo: 'AS202611250000001',
        lines: [
          {
            lineId: 'L1',
            sku: 'SKU-A',
            quantityExpected: 1,
            quantityReceived: 1,
            units: [{ disposition: 'RESTOCKABLE' }],
          },
        ],
      },
      warehouse,
    );
    expect(eventsAfter(history, stocked).map((event) => event.type)).toEqual([
      'ReturnStockedIn',
      'RefundRequested',
    ]);
  });
});

describe('orderSnapshotFromStatusChange', () => {
  it("keeps the order as the order service sees it, in the domain's shape", () => {
    const snapshot = orderSnapshotFromStatusChange(EVENT_SAMPLES['order-status-changed']);
    expect(snapshot).toEqual({
      orderId: 'ORD-20261125-0001',
      merchantId: 'm-1001',
      customerId: 'c-2001',
      state: 'COMPLETED',
      paidAt: '2026-11-20T10:00:00.000Z',
      completedAt: '2026-11-23T12:00:00.000Z',
      paymentNo: 'PAY-20261125-88001',
      lines: [
        {
          lineId: 'L1',
          sku: 'SKU-TSHIRT-RED-M',
          title: 'Cotton T-shirt, red, M',
          category: 'apparel',
          unitPrice: 9900,
          quantity: 2,
        },
        {
          lineId: 'L2',
          sku: 'SKU-MUG-01',
          title: 'Ceramic mug',
          category: 'home',
          unitPrice: 4500,
          quantity: 1,
        },
      ],
      couponDiscount: 2000,
      promotionDiscount: 1000,
      coinsDeduction: 500,
      shippingFee: 800,
      platformSubsidy: 300,
    });
    // The contract sample's own arithmetic: one T-shirt's actual paid is 8474 (see EVENT_SAMPLES).
    expect(allocateOrderAmounts(snapshot)[0].actualPaid).toBe(2 * 8474);
  });

  it('has no payment or completion time before they happen', () => {
    const sample = EVENT_SAMPLES['order-status-changed'];
    const { paidAt: _paid, completedAt: _completed, shippedAt: _shipped, ...unpaid } = sample.order;
    const snapshot = orderSnapshotFromStatusChange({
      ...sample,
      from: undefined,
      to: 'PENDING_PAYMENT',
      order: { ...unpaid, status: 'PENDING_PAYMENT' },
    });
    expect(snapshot).toMatchObject({ state: 'PENDING_PAYMENT', paidAt: null, completedAt: null });
  });
});

describe('cancelOutcomeFor', () => {
  const expected: Record<OrderState, 'RecordOrderClosed' | 'RecordOrderPaid' | null> = {
    PENDING_PAYMENT: null,
    AWAITING_SHIPMENT: 'RecordOrderPaid',
    SHIPPED: 'RecordOrderPaid',
    COMPLETED: 'RecordOrderPaid',
    CLOSED: 'RecordOrderClosed',
  };
  it.each(ORDER_STATES)('an order %s', (state) => {
    expect(cancelOutcomeFor(anOrder({ state }))).toBe(expected[state]);
  });
});
