import type { Actor } from '@aftersales/kernel';
import { createEnvelope, type EventEnvelope } from './envelope';
import { EVENT_REGISTRY, EVENT_TYPES, type EventDataMap, type EventType } from './registry';
import { TOPICS } from './topics';
import type { OrderLine, RefundBreakdown, TaskLine, TicketLine } from './payloads/common';

/**
 * One valid payload per event type, all telling the same story: order ORD-20261125-0001 with a T-shirt
 * line and a mug line; the customer returns one T-shirt. The mapped type makes a missing sample a
 * compile error. They are the examples in docs/asyncapi.yaml and a ready fixture for consumers' tests.
 */
const orderId = 'ORD-20261125-0001';
const merchantId = 'm-1001';
const customerId = 'c-2001';
const paymentNo = 'PAY-20261125-88001';
const ticketId = '5f1c2b7e-3a4d-4e8f-9b0a-1c2d3e4f5a6b';
const ticketNo = 'AS202611250000123';
const refundId = '0d5e7c1a-9b2f-4c3e-8a1d-2f3e4a5b6c7d';

const orderLines: OrderLine[] = [
  {
    lineId: 'L1',
    sku: 'SKU-TSHIRT-RED-M',
    title: 'Cotton T-shirt, red, M',
    category: 'apparel',
    unitPrice: 9900,
    quantity: 2,
  },
  { lineId: 'L2', sku: 'SKU-MUG-01', title: 'Ceramic mug', category: 'home', unitPrice: 4500, quantity: 1 },
];
const orderMoney = {
  couponDiscount: 2000,
  promotionDiscount: 1000,
  coinsDeduction: 500,
  shippingFee: 800,
  platformSubsidy: 300,
};
const ticketLines: TicketLine[] = [{ lineId: 'L1', sku: 'SKU-TSHIRT-RED-M', quantity: 1 }];
const taskLines: TaskLine[] = [
  { lineId: 'L1', sku: 'SKU-TSHIRT-RED-M', title: 'Cotton T-shirt, red, M', quantity: 1 },
];
const ticket = { ticketId, ticketNo, orderId, merchantId, customerId, lines: ticketLines };
const returnAddress = {
  recipient: 'Returns desk, Shop 1001',
  phone: '+86 21 5555 0101',
  address: '88 Warehouse Road, Building 3, Minhang, Shanghai',
  postalCode: '201100',
};
const deliveryAddress = {
  recipient: 'Li Wei',
  phone: '+86 138 0000 0001',
  address: '12 Lakeside Lane, Apt 5, Xihu, Hangzhou, Zhejiang',
};
const stockOutTask = {
  taskId: '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f',
  ticketId,
  ticketNo,
  orderId,
  merchantId,
  lines: taskLines,
};
// One T-shirt: 9900 minus its allocated coupon 815, promotion 407 and coins 204.
const breakdown: RefundBreakdown = {
  lines: [{ lineId: 'L1', quantity: 1, cash: 8474, coins: 204 }],
  adjustment: 0,
  shippingFee: 0,
  shippingSubsidy: 0,
};
const refund = { refundId, ticketId, ticketNo, orderId, merchantId };

export const EVENT_SAMPLES: { [T in EventType]: EventDataMap[T] } = {
  'order-placed': {
    orderId,
    merchantId,
    customerId,
    lines: orderLines,
    ...orderMoney,
    paymentNo,
    placedAt: '2026-11-20T09:58:00.000Z',
  },
  'order-paid': { orderId, paymentNo, paidAmount: 21600, paidAt: '2026-11-20T10:00:00.000Z' },
  'order-shipped': {
    orderId,
    carrier: 'SF Express',
    trackingNo: 'SF1234567890',
    shippedAt: '2026-11-21T03:00:00.000Z',
  },
  'order-completed': { orderId, autoConfirmed: false, completedAt: '2026-11-23T12:00:00.000Z' },
  'order-closed': { orderId, reason: 'PAYMENT_TIMEOUT', closedAt: '2026-11-20T10:28:00.000Z' },
  'order-status-changed': {
    orderId,
    revision: 4,
    from: 'SHIPPED',
    to: 'COMPLETED',
    changedAt: '2026-11-23T12:00:00.000Z',
    order: {
      orderId,
      merchantId,
      customerId,
      status: 'COMPLETED',
      lines: orderLines,
      ...orderMoney,
      paymentNo,
      placedAt: '2026-11-20T09:58:00.000Z',
      paidAt: '2026-11-20T10:00:00.000Z',
      shippedAt: '2026-11-21T03:00:00.000Z',
      completedAt: '2026-11-23T12:00:00.000Z',
    },
  },
  'order-cancellation-rejected': {
    orderId,
    ticketId,
    ticketNo,
    reason: 'ORDER_ALREADY_PAID',
    orderStatus: 'AWAITING_SHIPMENT',
  },
  'ticket-opened': {
    ...ticket,
    type: 'RETURN_AND_REFUND',
    status: 'PENDING_REVIEW',
    reasonCode: 'QUALITY_PROBLEM',
    description: 'Seam came apart after the first wash.',
    evidence: ['https://img.example.com/evidence/as202611250000123-1.jpg'],
    requestedRefund: { cash: 8474, coins: 204 },
  },
  'ticket-approved': {
    ...ticket,
    type: 'RETURN_AND_REFUND',
    status: 'AWAITING_CUSTOMER_RETURN',
    automatic: false,
    approvedRefund: { cash: 8474, coins: 204 },
    returnAddress,
  },
  'ticket-rejected': {
    ...ticket,
    type: 'REFUND_ONLY',
    reasonCode: 'EVIDENCE_INSUFFICIENT',
    note: 'The photos do not show the damage; please upload a close-up.',
  },
  'ticket-closed': {
    ...ticket,
    type: 'REFUND_ONLY',
    closeReason: 'REJECTED',
    previousStatus: 'PENDING_REVIEW',
  },
  'ticket-succeeded': {
    ...ticket,
    type: 'RETURN_AND_REFUND',
    outcome: 'RETURNED',
    refunded: { cash: 8474, coins: 204 },
    refundId,
  },
  'refund-requested': {
    ...refund,
    customerId,
    paymentNo,
    cashAmount: 8474,
    coinsAmount: 204,
    breakdown,
    idempotencyKey: `refund:${refundId}`,
  },
  'order-cancellation-requested': { ticketId, ticketNo, orderId, customerId },
  'compensation-coupon-issued': {
    couponId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
    ticketId,
    ticketNo,
    orderId,
    merchantId,
    customerId,
    amount: 1000,
    minimumSpend: 5000,
    validUntil: '2026-12-31T15:59:59.000Z',
    note: 'Sorry for the trouble with your T-shirt.',
  },
  'return-stock-in-requested': {
    taskId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
    ticketId,
    ticketNo,
    orderId,
    merchantId,
    lines: taskLines,
    carrier: 'SF Express',
    trackingNo: 'SF9876543210',
    returnAddress,
  },
  'exchange-stock-out-requested': { ...stockOutTask, deliveryAddress },
  // A cancellation names the stock-out task it cancels.
  'exchange-stock-out-cancellation-requested': { ...stockOutTask, reason: 'REFUNDED_BY_PLATFORM' },
  'shipment-interception-requested': {
    taskId: '4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f8a',
    ticketId,
    ticketNo,
    orderId,
    merchantId,
    lines: taskLines,
  },
  'return-to-customer-requested': {
    taskId: '5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8a9b',
    ticketId,
    ticketNo,
    orderId,
    merchantId,
    lines: taskLines,
    reason: 'NEGOTIATION_DECLINED',
  },
  'return-stocked': {
    taskId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
    ticketId,
    ticketNo,
    orderId,
    warehouseId: 'WH-SH-01',
    lines: [
      {
        lineId: 'L1',
        sku: 'SKU-TSHIRT-RED-M',
        quantityExpected: 1,
        quantityReceived: 1,
        units: [{ disposition: 'RESTOCKABLE' }],
      },
    ],
    stockedAt: '2026-11-27T08:30:00.000Z',
  },
  'exchange-shipped': {
    taskId: '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f',
    ticketId,
    ticketNo,
    orderId,
    lines: taskLines,
    carrier: 'SF Express',
    trackingNo: 'SF5555666677',
    shippedAt: '2026-11-28T02:00:00.000Z',
  },
  'returned-to-customer': {
    taskId: '5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8a9b',
    ticketId,
    ticketNo,
    orderId,
    lines: taskLines,
    carrier: 'SF Express',
    trackingNo: 'SF7777888899',
    shippedAt: '2026-12-02T03:00:00.000Z',
  },
  'shipment-intercepted': {
    taskId: '4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f8a',
    ticketId,
    ticketNo,
    orderId,
    interceptedAt: '2026-11-20T10:05:00.000Z',
  },
  'shipment-interception-failed': {
    taskId: '4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f8a',
    ticketId,
    ticketNo,
    orderId,
    reason: 'ALREADY_SHIPPED',
    note: 'Parcel handed to the carrier at 10:02.',
  },
  'refund-approved': { ...refund, cashAmount: 8474, coinsAmount: 204, automatic: true },
  'refund-rejected': { ...refund, note: 'Amount exceeds what the order paid for this line.' },
  'refund-paid': {
    ...refund,
    paymentNo,
    cashAmount: 8474,
    coinsAmount: 204,
    breakdown,
    gatewayTransactionId: 'GW-RF-20261127-0001',
    paidAt: '2026-11-27T09:00:00.000Z',
  },
  'refund-failed': { ...refund, attempt: 1, retryable: true, reason: 'Payment gateway timed out.' },
  'settlement-statement-issued': {
    statementId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    merchantId,
    cycle: 'WEEKLY',
    periodStart: '2026-11-23',
    periodEnd: '2026-11-29',
    totals: {
      entryCount: 2,
      orderAmount: 21600,
      platformSubsidy: 300,
      serviceFee: 1080,
      refundAmount: 8474,
      serviceFeeRefunded: 424,
      payoutAmount: 12770,
    },
    payoutDate: '2026-11-30',
    issuedAt: '2026-11-30T01:00:00.000Z',
  },
};

const actors = {
  customer: { role: 'customer', id: customerId },
  merchantAgent: { role: 'merchant_agent', id: 'u-3001', merchantId },
  finance: { role: 'finance', id: 'u-9001' },
  platformAgent: { role: 'platform_agent', id: 'u-1001' },
  warehouse: { role: 'warehouse', id: 'WH-SH-01' },
  system: { role: 'system', id: 'system' },
} satisfies Record<string, Actor>;

const SAMPLE_ACTORS: Partial<Record<EventType, Actor>> = {
  'ticket-opened': actors.customer,
  'order-cancellation-requested': actors.customer,
  'ticket-approved': actors.merchantAgent,
  'ticket-rejected': actors.merchantAgent,
  'ticket-closed': actors.merchantAgent,
  'compensation-coupon-issued': actors.merchantAgent,
  'refund-rejected': actors.finance,
  'exchange-stock-out-cancellation-requested': actors.platformAgent,
};

/** A complete sample event of the type, as its producer would publish it (fixed ids and time). */
export function sampleEnvelope<T extends EventType>(type: T): EventEnvelope<T> {
  const { topic } = EVENT_REGISTRY[type];
  const producer = TOPICS[topic].producer;
  const index = EVENT_TYPES.indexOf(type) + 1;
  return createEnvelope(type, EVENT_SAMPLES[type], {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    occurredAt: '2026-11-25T08:00:00.000Z',
    source: producer,
    actor: SAMPLE_ACTORS[type] ?? (producer === 'warehouse-adapter' ? actors.warehouse : actors.system),
    correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  });
}
