import { allocateOrderAmounts, assertValidOrderSnapshot, orderCashPaid } from '../order-snapshot';
import { anOrder } from './ticket.fixtures';

describe('order allocations', () => {
  it('spreads coupon and coins over three lines by line amount, remainders to the largest fractions', () => {
    // coupon 10.00 over 20.00/30.00/15.00: exact 3.0769, 4.6154, 2.3077 -> 3.08, 4.61, 2.31
    // coins 3.00: exact 0.9231, 1.3846, 0.6923 -> 0.92, 1.39, 0.69
    expect(allocateOrderAmounts(anOrder())).toEqual([
      {
        lineId: 'L1',
        lineAmount: 2000,
        coupon: 308,
        promotion: 0,
        coins: 92,
        platformSubsidy: 0,
        actualPaid: 1600,
      },
      {
        lineId: 'L2',
        lineAmount: 3000,
        coupon: 461,
        promotion: 0,
        coins: 139,
        platformSubsidy: 0,
        actualPaid: 2400,
      },
      {
        lineId: 'L3',
        lineAmount: 1500,
        coupon: 231,
        promotion: 0,
        coins: 69,
        platformSubsidy: 0,
        actualPaid: 1200,
      },
    ]);
  });

  it('splits an odd discount over equal lines with the extra fen on the first line', () => {
    const order = anOrder({
      lines: ['A', 'B', 'C'].map((id) => ({
        lineId: id,
        sku: id,
        title: id,
        category: 'x',
        unitPrice: 1000,
        quantity: 1,
      })),
      couponDiscount: 100,
      promotionDiscount: 1,
      coinsDeduction: 0,
      platformSubsidy: 50,
    });
    const allocations = allocateOrderAmounts(order);
    expect(allocations.map((a) => a.coupon)).toEqual([34, 33, 33]);
    expect(allocations.map((a) => a.promotion)).toEqual([1, 0, 0]);
    expect(allocations.map((a) => a.platformSubsidy)).toEqual([17, 17, 16]);
    expect(allocations.map((a) => a.actualPaid)).toEqual([965, 967, 967]);
  });

  it('never lets a line go below zero when discounts nearly cover the goods', () => {
    // Allocated on their own, coupon 5.00 and coins 5.00 over 3.33/3.33/3.34 would both give the
    // first line 1.67 (3.34 > 3.33); one fen of coins moves to the line with headroom.
    const order = anOrder({
      lines: [
        { lineId: 'A', sku: 'A', title: 'A', category: 'x', unitPrice: 333, quantity: 1 },
        { lineId: 'B', sku: 'B', title: 'B', category: 'x', unitPrice: 333, quantity: 1 },
        { lineId: 'C', sku: 'C', title: 'C', category: 'x', unitPrice: 334, quantity: 1 },
      ],
      couponDiscount: 500,
      promotionDiscount: 0,
      coinsDeduction: 500,
    });
    const allocations = allocateOrderAmounts(order);
    expect(allocations.map((a) => a.coupon)).toEqual([167, 166, 167]);
    expect(allocations.map((a) => a.coins)).toEqual([166, 167, 167]);
    expect(allocations.map((a) => a.actualPaid)).toEqual([0, 0, 0]);
  });

  it('keeps every line non-negative and every discount exact for many orders', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const lines = [1, 2, 3].map((n) => ({
        lineId: `L${n}`,
        sku: 's',
        title: 't',
        category: 'c',
        unitPrice: ((seed * 31 * n) % 97) + 1,
        quantity: (seed % 3) + 1,
      }));
      const goods = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
      const coupon = (seed * 13) % (goods + 1);
      const promotion = (seed * 7) % (goods - coupon + 1);
      const coins = goods - coupon - promotion - ((seed * 3) % 2);
      const order = anOrder({
        lines,
        couponDiscount: coupon,
        promotionDiscount: promotion,
        coinsDeduction: Math.max(coins, 0),
      });
      const allocations = allocateOrderAmounts(order);
      allocations.forEach((a) => expect(a.actualPaid).toBeGreaterThanOrEqual(0));
      expect(allocations.reduce((sum, a) => sum + a.coupon, 0)).toBe(order.couponDiscount);
      expect(allocations.reduce((sum, a) => sum + a.promotion, 0)).toBe(order.promotionDiscount);
      expect(allocations.reduce((sum, a) => sum + a.coins, 0)).toBe(order.coinsDeduction);
    }
  });

  it('computes the cash the buyer paid, shipping included', () => {
    expect(orderCashPaid(anOrder())).toBe(6500 - 1000 - 300 + 800);
  });

  it('refuses snapshots whose money cannot be allocated, naming the field', () => {
    expect(() => assertValidOrderSnapshot(anOrder({ couponDiscount: 7000 }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION', rule: 'order.couponDiscount' }),
    );
    expect(() => assertValidOrderSnapshot(anOrder({ lines: [] }))).toThrow(
      expect.objectContaining({ rule: 'order.lines' }),
    );
    expect(() => assertValidOrderSnapshot(anOrder({ shippingFee: -1 }))).toThrow(
      expect.objectContaining({ rule: 'order.shippingFee' }),
    );
    const [first, ...rest] = anOrder().lines;
    expect(() => assertValidOrderSnapshot(anOrder({ lines: [first, { ...first }, ...rest] }))).toThrow(
      expect.objectContaining({ rule: 'order.lines[1].lineId' }),
    );
    expect(() => assertValidOrderSnapshot(anOrder({ lines: [{ ...first, quantity: 0 }] }))).toThrow(
      expect.objectContaining({ rule: 'order.lines[0].quantity' }),
    );
  });
});
