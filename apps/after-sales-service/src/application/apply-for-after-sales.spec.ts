import type { ApplyForAfterSales } from '../domain';
import { anOrder, application, history, stateOf, wholeOrder } from '../domain/__tests__/ticket.fixtures';
import { TICKET_NO_PATTERN } from '@aftersales/contracts';
import { isSameApplication, ticketNumber } from './apply-for-after-sales';

describe('ticketNumber', () => {
  const day = new Date('2026-11-25T09:30:00.000Z');
  const SHANGHAI = 'Asia/Shanghai';

  it('is AS, the day and the sequence in 7 digits', () => {
    expect(ticketNumber(day, 123, SHANGHAI)).toBe('AS202611250000123');
  });

  it("dates the ticket by the marketplace's day, not UTC's", () => {
    // 07:30 in Shanghai on 1 December is still 30 November in UTC.
    const morning = new Date('2026-11-30T23:30:00.000Z');
    expect(ticketNumber(morning, 1, SHANGHAI)).toBe('AS202612010000001');
    expect(ticketNumber(morning, 1, 'UTC')).toBe('AS202611300000001');
    expect(ticketNumber(new Date('2026-12-31T16:00:00.000Z'), 1, SHANGHAI)).toBe('AS202701010000001');
  });

  it.each([9_999_999, 10_000_000, 123_456_789, 2 ** 40])(
    'keeps the contract width once the sequence passes 7 digits (%i)',
    (sequence) => {
      expect(ticketNumber(day, sequence, SHANGHAI)).toMatch(TICKET_NO_PATTERN);
      expect(ticketNumber(day, sequence, SHANGHAI).slice(-7)).toBe(String(sequence).slice(-7));
    },
  );
});

describe('isSameApplication: what a retry under the same Idempotency-Key must repeat', () => {
  const asked = (step: ReturnType<typeof application>) => (step.command as ApplyForAfterSales).data;
  const returnOf = application({
    lines: [
      { lineId: 'L1', quantity: 2 },
      { lineId: 'L2', quantity: 1 },
    ],
  });
  const ticket = stateOf(history(returnOf));

  it('is the same application with the same order, type, reason and lines, in any order', () => {
    const data = asked(returnOf);
    expect(isSameApplication(ticket, 'order-1', data)).toBe(true);
    expect(isSameApplication(ticket, 'order-1', { ...data, lines: [...data.lines].reverse() })).toBe(true);
  });

  it.each<[string, (data: ApplyForAfterSales['data']) => ApplyForAfterSales['data'], string?]>([
    ['another order', (data) => data, 'order-2'],
    ['another type', (data) => ({ ...data, type: 'REFUND_ONLY' })],
    ['another reason', (data) => ({ ...data, reasonCode: 'DAMAGED' })],
    [
      'another quantity',
      (data) => ({
        ...data,
        lines: [
          { lineId: 'L1', quantity: 1 },
          { lineId: 'L2', quantity: 1 },
        ],
      }),
    ],
    ['a line fewer', (data) => ({ ...data, lines: [{ lineId: 'L1', quantity: 2 }] })],
    ['a line more', (data) => ({ ...data, lines: [...data.lines, { lineId: 'L3', quantity: 1 }] })],
    [
      'a line twice',
      (data) => ({
        ...data,
        lines: [
          { lineId: 'L1', quantity: 2 },
          { lineId: 'L1', quantity: 2 },
        ],
      }),
    ],
  ])('is another application with %s', (_, change, orderId = 'order-1') => {
    expect(isSameApplication(ticket, orderId, change(asked(returnOf)))).toBe(false);
  });

  it('takes no lines as the whole order for a cancel-order, and only for it', () => {
    const cancel = application({
      type: 'CANCEL_ORDER',
      order: anOrder({ state: 'PENDING_PAYMENT' }),
      lines: [],
    });
    const cancelled = stateOf(history(cancel));
    expect(isSameApplication(cancelled, 'order-1', asked(cancel))).toBe(true);
    const refund = application({ type: 'REFUND_ONLY', lines: wholeOrder() });
    expect(isSameApplication(stateOf(history(refund)), 'order-1', { ...asked(refund), lines: [] })).toBe(
      false,
    );
  });
});
