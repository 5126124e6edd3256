import { HOUR } from '@aftersales/kernel';
import type { TicketEvent, TicketEventType, TicketState } from '../../domain';
import {
  application,
  approveReturn,
  at,
  cmd,
  customer,
  merchantAgent,
  shipReturn,
  warehouse,
} from '../../domain/__tests__/ticket.fixtures';
import {
  FLOW_NAMES,
  FLOWS,
  runFlow,
  type FlowName,
  type FlowStep,
} from '../integration/ticket-flows.fixtures';
import { formatMinor, timelineEntryOf, type TimelineEntry } from './timeline-entry';

/** Every domain event type; the Record makes a type added to the domain a compile error here. */
const EVERY_EVENT_TYPE: Record<TicketEventType, true> = {
  AfterSalesApplied: true,
  OrderCancellationRequested: true,
  InterceptionRequested: true,
  ShipmentIntercepted: true,
  InterceptionFailed: true,
  InterceptionReportedLate: true,
  TicketApproved: true,
  TicketRejected: true,
  ReturnShipmentSubmitted: true,
  ReturnStockInRequested: true,
  ReturnStockedIn: true,
  RefundOfferProposed: true,
  RefundOfferAccepted: true,
  RefundOfferDeclined: true,
  RefundAmountAdjusted: true,
  ShippingSubsidised: true,
  CompensationCouponIssued: true,
  ExchangeApprovedDespiteMismatch: true,
  GoodsReturnedToCustomer: true,
  RefundApproved: true,
  ReturnStockedInLate: true,
  ExchangeStockOutCancellationRequested: true,
  ExchangeShippedLate: true,
  ExchangeStockOutRequested: true,
  ExchangeShipped: true,
  GoodsReturnToCustomerRequested: true,
  RefundRequested: true,
  RefundPaid: true,
  RefundFailed: true,
  RefundRejected: true,
  OrderCancelled: true,
  DeadlineExpired: true,
  TicketEscalated: true,
  PlatformIntervened: true,
  TicketClosed: true,
  TicketSucceeded: true,
};

interface Rendered {
  event: TicketEvent;
  entry: TimelineEntry;
}

function timelineOf(steps: readonly FlowStep[]): Rendered[] {
  return runFlow(steps).flatMap((batch) =>
    batch.changes.map(({ event, before, after }) => ({
      event,
      entry: timelineEntryOf(event, before, after),
    })),
  );
}

function entryOf(steps: readonly FlowStep[], type: TicketEventType, nth = 0): TimelineEntry {
  const found = timelineOf(steps).filter((rendered) => rendered.event.type === type);
  if (found[nth] === undefined) throw new Error(`no ${type} #${nth} in the flow`);
  return found[nth].entry;
}

const flow = (name: FlowName): readonly FlowStep[] => FLOWS[name];

describe('timelineEntryOf', () => {
  const rendered = FLOW_NAMES.flatMap((name) => timelineOf(flow(name)));

  it('renders every domain event type the flows produce, and the flows produce them all', () => {
    expect(new Set(rendered.map(({ entry }) => entry.eventType))).toEqual(
      new Set(Object.keys(EVERY_EVENT_TYPE)),
    );
  });

  it.each(Object.keys(EVERY_EVENT_TYPE))('renders %s with its time, actor, statuses and words', (type) => {
    const ofType = rendered.filter(({ event }) => event.type === type);
    expect(ofType.length).toBeGreaterThan(0);
    for (const { event, entry } of ofType) {
      expect(entry.at).toBe(event.metadata.occurredAt);
      expect(entry.actor).toEqual(event.metadata.actor);
      expect(entry.toStatus).not.toBeNull();
      expect(entry.title.trim()).not.toBe('');
      expect(entry.detail.trim()).not.toBe('');
      expect(`${entry.title} ${entry.detail}`).not.toMatch(/undefined|null|NaN|\[object/);
    }
  });

  it('starts the timeline without a previous status', () => {
    const entry = entryOf(flow('return, matches'), 'AfterSalesApplied');
    expect(entry).toEqual({
      at: '2026-11-25T10:00:00.000Z',
      actor: customer,
      eventType: 'AfterSalesApplied',
      fromStatus: null,
      toStatus: 'PENDING_REVIEW',
      title: 'Return and refund applied for',
      detail:
        'AS202611250000001 on order order-1: L1 Tea cup ×1; reason QUALITY_PROBLEM — The handle came off; ' +
        '1 evidence image; refund ¥8.00 + ¥0.46 in coins',
    });
  });

  it.each([
    [
      'ALREADY_SHIPPED',
      'The parcel had already left; the ticket goes to review — note: handed over at 10:02',
    ],
    [
      'TASK_UNKNOWN',
      'The warehouse does not know the parcel; the ticket goes to review — note: handed over at 10:02',
    ],
    [
      'WAREHOUSE_REFUSED',
      'The warehouse refused to stop the parcel; the ticket goes to review — note: handed over at 10:02',
    ],
  ] as const)('says why a parcel was not stopped (%s)', (reason, detail) => {
    const [refundBeforeShipment] = flow('refund before shipment, intercepted');
    const failed = {
      command: cmd(
        'RecordInterceptionResult',
        { intercepted: false, reason, note: 'handed over at 10:02' },
        warehouse,
        at(HOUR),
      ),
    };
    expect(entryOf([refundBeforeShipment, failed], 'InterceptionFailed')).toMatchObject({
      title: 'Shipment not intercepted',
      detail,
      fromStatus: 'INTERCEPTING',
      toStatus: 'PENDING_REVIEW',
    });
  });

  it('shows a deadline and the close it caused as two steps, by the system', () => {
    const steps = flow('deadline: customer return');
    expect(entryOf(steps, 'DeadlineExpired')).toMatchObject({
      title: 'Deadline passed',
      detail: 'Deadline passed: AWAITING_CUSTOMER_RETURN → closed (return timeout)',
      fromStatus: 'AWAITING_CUSTOMER_RETURN',
      toStatus: 'AWAITING_CUSTOMER_RETURN',
      actor: { role: 'system', id: 'system' },
    });
    expect(entryOf(steps, 'TicketClosed')).toMatchObject({
      title: 'Ticket closed',
      detail: 'Closed: return timeout',
      fromStatus: 'AWAITING_CUSTOMER_RETURN',
      toStatus: 'CLOSED',
    });
  });

  it('summarises an inspection per line', () => {
    const entry = entryOf(
      [
        application({ lines: [{ lineId: 'L1', quantity: 2 }] }),
        approveReturn(),
        shipReturn(),
        {
          command: cmd(
            'RecordStockIn',
            {
              lines: [{ lineId: 'L1', quantityReceived: 1, dispositions: ['RESTOCKABLE', 'MISSING'] }],
              note: 'one cup missing from the box',
            },
            warehouse,
            at(3 * HOUR),
          ),
        },
      ],
      'ReturnStockedIn',
    );
    expect(entry).toMatchObject({
      title: 'Return inspected: does not match',
      detail: 'line L1: 1 of 2 received; 1 restockable, 1 missing — note: one cup missing from the box',
      fromStatus: 'AWAITING_STOCK_IN',
      toStatus: 'IN_NEGOTIATION',
    });
  });

  it('lists what a refund is made of and why it was asked for again', () => {
    const steps = flow('refund rejected, adjusted and requested again');
    expect(entryOf(steps, 'RefundAmountAdjusted').detail).toBe('¥8.00 → ¥5.00 — note: Finance capped it');
    expect(entryOf(steps, 'RefundRequested', 1)).toMatchObject({
      title: 'Refund requested (attempt 2)',
      detail:
        '¥8.00 + ¥0.28 in coins: new attempt after a failed or rejected one; goods ¥5.00 + shipping subsidy ¥3.00' +
        ' — note: Lower amount',
    });
    expect(entryOf(steps, 'RefundRejected')).toMatchObject({
      title: 'Refund rejected by finance',
      detail: 'Attempt 1 rejected: suspected fraud',
      actor: { role: 'finance', id: 'fin-1' },
    });
  });

  it('names why the system approved', () => {
    expect(entryOf(flow('refund after shipment, approved automatically'), 'TicketApproved')).toMatchObject({
      title: 'Approved automatically',
      detail: 'Approved by the system: refund asked for within 30 minutes of payment',
    });
    expect(entryOf(flow('return, matches'), 'TicketApproved').detail).toBe(
      'Approved; return to Returns desk, 010-5555, 1 Depot Road, Hangzhou',
    );
  });

  it('shows platform rulings and how an exchange ended', () => {
    expect(entryOf(flow('platform forces a refund'), 'PlatformIntervened').detail).toBe(
      'Ruling: refund ¥7.00 — Merchant unresponsive',
    );
    expect(entryOf(flow('exchange, matches'), 'TicketSucceeded').detail).toBe(
      'Exchanged; replacement shipped by SF Express, tracking SF5555666677',
    );
  });

  describe('the wording of agent actions', () => {
    const state: TicketState = runFlow(flow('return, matches').slice(0, 2))
      .flatMap((batch) => batch.changes)
      .slice(-1)[0].after;
    const render = (event: TicketEvent): Pick<TimelineEntry, 'title' | 'detail'> => {
      const { title, detail } = timelineEntryOf(event, state, state);
      return { title, detail };
    };
    const metadata = { actor: merchantAgent, occurredAt: '2026-11-25T12:00:00.000Z' };

    it('says how a refund amount changed', () => {
      expect(
        render({
          type: 'RefundAmountAdjusted',
          data: { from: 12800, to: 9900, note: 'customer agreed on the phone' },
          metadata,
        }),
      ).toEqual({
        title: 'Refund amount changed',
        detail: '¥128.00 → ¥99.00 — note: customer agreed on the phone',
      });
    });

    it('says how the return was shipped', () => {
      expect(
        render({
          type: 'ReturnShipmentSubmitted',
          data: { carrier: 'SF Express', trackingNo: 'SF1234567' },
          metadata: { ...metadata, actor: customer },
        }),
      ).toEqual({ title: 'Return shipped', detail: 'Return shipped by SF Express, tracking SF1234567' });
    });

    it('gives the rejection reason and the note the customer sees', () => {
      expect(
        render({
          type: 'TicketRejected',
          data: { reasonCode: 'EVIDENCE_INSUFFICIENT', note: 'photos are blurry' },
          metadata,
        }),
      ).toEqual({ title: 'Ticket rejected', detail: 'Rejected: EVIDENCE_INSUFFICIENT — photos are blurry' });
    });

    it('values coupons and subsidies in yuan', () => {
      expect(
        render({
          type: 'CompensationCouponIssued',
          data: { customerId: 'cust-1', couponValue: 1000, note: 'sorry for the wait' },
          metadata,
        }).detail,
      ).toBe('Coupon worth ¥10.00 for customer cust-1 — note: sorry for the wait');
      expect(
        render({
          type: 'ShippingSubsidised',
          data: { amount: 500, totalSubsidy: 800, note: 'postage' },
          metadata,
        }).detail,
      ).toBe('¥5.00 added, ¥8.00 in all — note: postage');
    });
  });
});

describe('formatMinor', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [99, '¥0.99'],
    [12800, '¥128.00'],
    [99999, '¥999.99'],
    [100000, '¥1,000.00'],
    [123456, '¥1,234.56'],
    [1234567, '¥12,345.67'],
    [12345678, '¥123,456.78'],
    [100000000, '¥1,000,000.00'],
    [123456789, '¥1,234,567.89'],
    [-250, '-¥2.50'],
  ])('formats %i fen as %s', (minor, text) => {
    expect(formatMinor(minor)).toBe(text);
  });
});
