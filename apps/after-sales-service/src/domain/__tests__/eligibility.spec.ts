import { DAY, MINUTE } from '@aftersales/kernel';
import type { AfterSalesType } from '../after-sales.catalogues';
import { assertEligible, type EligibilityInput, TYPES_ALLOWED_BY_ORDER_STATE } from '../eligibility';
import { ORDER_STATES } from '../order-snapshot';
import { DEFAULT_MERCHANT_POLICY } from '../policy';
import { anOrder, T0, wholeOrder } from './ticket.fixtures';

const completedAt = '2026-11-20T10:00:00.000Z';

function input(overrides: Partial<EligibilityInput> = {}): EligibilityInput {
  return {
    order: anOrder(),
    type: 'RETURN_AND_REFUND',
    lines: [{ lineId: 'L1', quantity: 1 }],
    customerId: 'cust-1',
    lineHistory: [],
    policy: DEFAULT_MERCHANT_POLICY,
    now: T0,
    ...overrides,
  };
}

describe('eligibility', () => {
  describe('order state x type matrix', () => {
    const types: AfterSalesType[] = ['CANCEL_ORDER', 'REFUND_ONLY', 'RETURN_AND_REFUND', 'EXCHANGE'];
    const cases = ORDER_STATES.flatMap((state) => types.map((type) => ({ state, type })));
    it.each(cases)('$type while the order is $state', ({ state, type }) => {
      const order = anOrder({ state, completedAt: state === 'COMPLETED' ? completedAt : null });
      const attempt = (): unknown => assertEligible(input({ order, type, lines: wholeOrder(order) }));
      if (TYPES_ALLOWED_BY_ORDER_STATE[state].includes(type)) {
        expect(attempt).not.toThrow();
      } else {
        expect(attempt).toThrow(
          expect.objectContaining({
            code: 'RULE_VIOLATION',
            rule: 'eligibility.type-not-allowed-in-order-state',
          }),
        );
      }
    });
  });

  describe('after-sales window', () => {
    const completed = anOrder({ state: 'COMPLETED', completedAt });

    it('admits a request on the last moment of the 7-day window', () => {
      expect(() =>
        assertEligible(input({ order: completed, now: new Date(Date.parse(completedAt) + 7 * DAY) })),
      ).not.toThrow();
    });

    it('refuses one after the window, saying when it ended', () => {
      expect(() =>
        assertEligible(
          input({ order: completed, now: new Date(Date.parse(completedAt) + 7 * DAY + MINUTE) }),
        ),
      ).toThrow(
        expect.objectContaining({
          rule: 'eligibility.window-passed',
          details: { windowEndsAt: '2026-11-27T10:00:00.000Z' },
        }),
      );
    });

    it('follows a 15-day policy', () => {
      const policy = { ...DEFAULT_MERCHANT_POLICY, afterSalesWindowDays: 15 as const };
      expect(() =>
        assertEligible(
          input({ order: completed, policy, now: new Date(Date.parse(completedAt) + 10 * DAY) }),
        ),
      ).not.toThrow();
    });

    it('has no window while the order is only shipped', () => {
      expect(() =>
        assertEligible(input({ now: new Date(Date.parse(completedAt) + 90 * DAY) })),
      ).not.toThrow();
    });
  });

  describe('lines', () => {
    it('refuses a line of another order', () => {
      expect(() => assertEligible(input({ lines: [{ lineId: 'L9', quantity: 1 }] }))).toThrow(
        expect.objectContaining({
          rule: 'eligibility.line-not-in-order',
          details: { field: 'lines[0].lineId' },
        }),
      );
    });

    it.each([0, -1, 3, 1.5])('refuses quantity %p for a line of 2', (quantity) => {
      expect(() => assertEligible(input({ lines: [{ lineId: 'L1', quantity }] }))).toThrow(
        expect.objectContaining({ rule: 'eligibility.quantity-out-of-range' }),
      );
    });

    it('refuses an empty or duplicated selection', () => {
      expect(() => assertEligible(input({ lines: [] }))).toThrow(
        expect.objectContaining({ code: 'VALIDATION', rule: 'lines' }),
      );
      expect(() =>
        assertEligible(
          input({
            lines: [
              { lineId: 'L1', quantity: 1 },
              { lineId: 'L1', quantity: 1 },
            ],
          }),
        ),
      ).toThrow(expect.objectContaining({ rule: 'lines[1].lineId' }));
    });

    it('refuses a customer who does not own the order (403)', () => {
      expect(() => assertEligible(input({ customerId: 'cust-2' }))).toThrow(
        expect.objectContaining({ code: 'FORBIDDEN', rule: 'eligibility.not-order-owner' }),
      );
    });
  });

  describe('line history', () => {
    it('refuses a line with an active ticket (409, naming the ticket)', () => {
      expect(() =>
        assertEligible(
          input({
            lineHistory: [
              { lineId: 'L1', activeTicketId: 'ticket-0', succeededOutcomes: [], refundedQuantity: 0 },
            ],
          }),
        ),
      ).toThrow(
        expect.objectContaining({
          code: 'CONFLICT',
          rule: 'eligibility.line-has-active-ticket',
          details: { lineId: 'L1', ticketId: 'ticket-0' },
        }),
      );
    });

    it('admits a line whose earlier ticket was closed', () => {
      expect(() =>
        assertEligible(
          input({
            lineHistory: [{ lineId: 'L1', activeTicketId: null, succeededOutcomes: [], refundedQuantity: 0 }],
          }),
        ),
      ).not.toThrow();
    });

    it.each(['REFUNDED', 'RETURNED'] as const)('refuses a line already %s', (outcome) => {
      expect(() =>
        assertEligible(
          input({
            lineHistory: [
              { lineId: 'L1', activeTicketId: null, succeededOutcomes: [outcome], refundedQuantity: 1 },
            ],
          }),
        ),
      ).toThrow(expect.objectContaining({ rule: 'eligibility.line-already-refunded' }));
    });

    it('refuses a line already exchanged unless the policy relaxes it', () => {
      const lineHistory = [
        {
          lineId: 'L1',
          activeTicketId: null,
          succeededOutcomes: ['EXCHANGED' as const],
          refundedQuantity: 0,
        },
      ];
      expect(() => assertEligible(input({ lineHistory }))).toThrow(
        expect.objectContaining({ rule: 'eligibility.line-already-exchanged' }),
      );
      const policy = { ...DEFAULT_MERCHANT_POLICY, exchangeRelaxed: true };
      expect(() => assertEligible(input({ lineHistory, policy }))).not.toThrow();
    });
  });

  describe('before shipment', () => {
    const order = anOrder({ state: 'AWAITING_SHIPMENT' });

    it('refuses part of the order under FULL_ORDER_ONLY', () => {
      expect(() =>
        assertEligible(input({ order, type: 'REFUND_ONLY', lines: [{ lineId: 'L1', quantity: 2 }] })),
      ).toThrow(expect.objectContaining({ rule: 'eligibility.pre-shipment-refund-whole-order-only' }));
      expect(() =>
        assertEligible(
          input({
            order,
            type: 'REFUND_ONLY',
            lines: [
              { lineId: 'L1', quantity: 1 },
              { lineId: 'L2', quantity: 1 },
              { lineId: 'L3', quantity: 3 },
            ],
          }),
        ),
      ).toThrow(expect.objectContaining({ rule: 'eligibility.pre-shipment-refund-whole-order-only' }));
    });

    it('admits part of the order under ANY_ITEMS', () => {
      const policy = { ...DEFAULT_MERCHANT_POLICY, preShipmentRefund: 'ANY_ITEMS' as const };
      expect(() =>
        assertEligible(input({ order, policy, type: 'REFUND_ONLY', lines: [{ lineId: 'L1', quantity: 1 }] })),
      ).not.toThrow();
    });
  });

  describe('cancel order', () => {
    const unpaid = anOrder({ state: 'PENDING_PAYMENT', paidAt: null });

    it('takes the whole order when no lines are given', () => {
      expect(assertEligible(input({ order: unpaid, type: 'CANCEL_ORDER', lines: [] }))).toEqual(
        wholeOrder(unpaid),
      );
    });

    it('refuses to cancel part of an order', () => {
      expect(() => assertEligible(input({ order: unpaid, type: 'CANCEL_ORDER' }))).toThrow(
        expect.objectContaining({ rule: 'eligibility.cancel-order-covers-whole-order' }),
      );
    });
  });
});
