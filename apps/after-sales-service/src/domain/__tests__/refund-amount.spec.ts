import {
  completesWholeOrder,
  initialRefundAmounts,
  isWholeOrder,
  refundAmounts,
  ticketLinesFor,
} from '../refund-amount';
import { anOrder, wholeOrder } from './ticket.fixtures';

describe('refund amounts', () => {
  describe('ticket lines (pro rata of actual paid and coins)', () => {
    it('takes the whole line for its full quantity', () => {
      const [line] = ticketLinesFor(anOrder(), [{ lineId: 'L2', quantity: 1 }]);
      expect(line).toMatchObject({
        lineId: 'L2',
        quantity: 1,
        lineQuantity: 1,
        actualPaid: 2400,
        coins: 139,
      });
    });

    it('rounds a partial quantity down: 2 of 3 units of 12.00 with 0.69 coins', () => {
      const [line] = ticketLinesFor(anOrder(), [{ lineId: 'L3', quantity: 2 }]);
      expect(line).toMatchObject({ actualPaid: 800, coins: 46 });
      const [one] = ticketLinesFor(anOrder(), [{ lineId: 'L3', quantity: 1 }]);
      expect(one).toMatchObject({ actualPaid: 400, coins: 23 });
    });

    it('refuses a line the order does not have', () => {
      expect(() => ticketLinesFor(anOrder(), [{ lineId: 'L9', quantity: 1 }])).toThrow(
        expect.objectContaining({ rule: 'eligibility.line-not-in-order' }),
      );
    });
  });

  describe('shipping fee', () => {
    it('is refunded when the whole order is refunded before shipment', () => {
      const order = anOrder({ state: 'AWAITING_SHIPMENT' });
      const lines = ticketLinesFor(order, wholeOrder(order));
      expect(initialRefundAmounts(order, lines, true)).toMatchObject({
        goodsActualPaid: 5200,
        goodsCoins: 300,
        shippingFeeRefund: 800,
        coinsRefund: 300,
        totalCash: 6000,
      });
    });

    it('is not refunded for part of the order before shipment', () => {
      const order = anOrder({ state: 'AWAITING_SHIPMENT' });
      const requested = [{ lineId: 'L1', quantity: 2 }];
      const amounts = initialRefundAmounts(
        order,
        ticketLinesFor(order, requested),
        isWholeOrder(order, requested),
      );
      expect(amounts).toMatchObject({ shippingFeeRefund: 0, totalCash: 1600, coinsRefund: 92 });
    });

    it('counts units earlier tickets refunded towards the whole order', () => {
      const order = anOrder({ state: 'AWAITING_SHIPMENT' });
      const l3 = [{ lineId: 'L3', quantity: 3 }];
      const earlier = [
        { lineId: 'L1', refundedQuantity: 2 },
        { lineId: 'L2', refundedQuantity: 1 },
      ];
      expect(completesWholeOrder(order, l3, earlier)).toBe(true);
      expect(completesWholeOrder(order, [{ lineId: 'L3', quantity: 2 }], earlier)).toBe(false);
      expect(completesWholeOrder(order, l3, [{ lineId: 'L1', refundedQuantity: 1 }, earlier[1]])).toBe(false);
      expect(completesWholeOrder(order, wholeOrder(order), [])).toBe(true);
    });

    it('is nothing at all for an unpaid order, whose lines still show what they cost', () => {
      const order = anOrder({ state: 'PENDING_PAYMENT', paidAt: null, paymentNo: null });
      const lines = ticketLinesFor(order, wholeOrder(order));
      expect(lines.map((line) => line.actualPaid)).toEqual([1600, 2400, 1200]);
      expect(initialRefundAmounts(order, lines, true)).toMatchObject({
        goodsActualPaid: 0,
        goodsCoins: 0,
        shippingFeeRefund: 0,
        totalCash: 0,
        coinsRefund: 0,
      });
    });

    it('is not refunded after shipment, even for the whole order', () => {
      const order = anOrder({ state: 'SHIPPED' });
      const amounts = initialRefundAmounts(order, ticketLinesFor(order, wholeOrder(order)), true);
      expect(amounts).toMatchObject({ shippingFeeRefund: 0, totalCash: 5200 });
    });
  });

  describe('agent changes', () => {
    const base = {
      goodsActualPaid: 800,
      goodsCoins: 46,
      agreedGoodsAmount: null,
      shippingFeeRefund: 0,
      shippingSubsidy: 0,
      compensationCouponValue: 0,
    };

    it('pays actual paid plus shipping refund plus subsidy in cash, coupons never in cash', () => {
      expect(refundAmounts({ ...base, shippingSubsidy: 1200, compensationCouponValue: 500 })).toMatchObject({
        goodsCash: 800,
        coinsRefund: 46,
        totalCash: 2000,
      });
    });

    it('pays the agreed amount instead of actual paid and scales coins by the same fraction, rounded down', () => {
      // 5.00 of 8.00 kept -> 46 * 500 / 800 = 28.75 -> 28 coins
      expect(refundAmounts({ ...base, agreedGoodsAmount: 500 })).toMatchObject({
        goodsCash: 500,
        coinsRefund: 28,
        totalCash: 500,
      });
      expect(refundAmounts({ ...base, agreedGoodsAmount: 0 })).toMatchObject({
        goodsCash: 0,
        coinsRefund: 0,
        totalCash: 0,
      });
    });

    it('gives coins back in full when the lines had no cash to scale by', () => {
      expect(refundAmounts({ ...base, goodsActualPaid: 0, agreedGoodsAmount: 0 })).toMatchObject({
        coinsRefund: 46,
      });
    });
  });
});
