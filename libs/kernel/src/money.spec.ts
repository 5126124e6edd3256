import { ValidationError } from './errors';
import {
  allocateProportionally,
  assertNonNegativeMinor,
  assertPositiveMinor,
  isMinor,
  proRata,
  scaleDown,
  sumMinor,
} from './money';

describe('money', () => {
  describe('isMinor / assertions', () => {
    it('accepts safe integers only', () => {
      expect(isMinor(0)).toBe(true);
      expect(isMinor(-5)).toBe(true);
      expect(isMinor(1.5)).toBe(false);
      expect(isMinor(Number.MAX_SAFE_INTEGER + 1)).toBe(false);
      expect(isMinor('1')).toBe(false);
    });

    it('names the field when an amount is negative, fractional or zero where positive is required', () => {
      expect(() => assertNonNegativeMinor(-1, 'refund.amount')).toThrow(
        expect.objectContaining({ code: 'VALIDATION', rule: 'refund.amount' }),
      );
      expect(() => assertNonNegativeMinor(0.5, 'x')).toThrow(ValidationError);
      expect(() => assertPositiveMinor(0, 'subsidy')).toThrow(expect.objectContaining({ rule: 'subsidy' }));
      expect(() => assertPositiveMinor(1, 'subsidy')).not.toThrow();
    });
  });

  describe('allocateProportionally', () => {
    it('splits evenly divisible totals exactly', () => {
      expect(allocateProportionally(600, [100, 200, 300])).toEqual([100, 200, 300]);
    });

    it('gives the remainder to the largest fractional parts', () => {
      // exact shares 1.6, 3.2, 5.2 -> floors 1, 3, 5 (sum 9) -> one unit to the .6
      expect(allocateProportionally(10, [16, 32, 52])).toEqual([2, 3, 5]);
    });

    it('breaks ties by the lower index', () => {
      expect(allocateProportionally(100, [1, 1, 1])).toEqual([34, 33, 33]);
      expect(allocateProportionally(2, [1, 1, 1])).toEqual([1, 1, 0]);
    });

    it('allocates an odd discount across three lines to the fen', () => {
      // line amounts 33.33, 66.67, 100.00; discount 10.01 -> exact 166.81665, 333.68335, 500.5 fen:
      // floors 166 + 333 + 500 = 999, the two missing fen go to .81665 and .68335
      const parts = allocateProportionally(1001, [3333, 6667, 10000]);
      expect(parts).toEqual([167, 334, 500]);
      expect(sumMinor(parts)).toBe(1001);
    });

    it('always sums to the total and never gives a part more than its weight when total <= weights', () => {
      for (let seed = 1; seed <= 300; seed += 1) {
        const weights = [(seed * 37) % 101, (seed * 53) % 97, (seed * 11) % 13, seed % 7];
        const weightSum = sumMinor(weights);
        const total = weightSum === 0 ? 0 : (seed * 7919) % (weightSum + 1);
        const parts = allocateProportionally(total, weights);
        expect(sumMinor(parts)).toBe(total);
        parts.forEach((part, i) => expect(part).toBeLessThanOrEqual(weights[i]));
      }
    });

    it('handles amounts whose products exceed 2^53', () => {
      const parts = allocateProportionally(9_000_000_000_000, [3_000_000_000_001, 6_000_000_000_000]);
      expect(sumMinor(parts)).toBe(9_000_000_000_000);
    });

    it('returns zeros for a zero total over zero weights and refuses a non-zero one', () => {
      expect(allocateProportionally(0, [0, 0])).toEqual([0, 0]);
      expect(() => allocateProportionally(5, [0, 0])).toThrow(expect.objectContaining({ rule: 'weights' }));
    });

    it('refuses negative or fractional inputs, naming them', () => {
      expect(() => allocateProportionally(-1, [1])).toThrow(expect.objectContaining({ rule: 'total' }));
      expect(() => allocateProportionally(1, [1, 0.5])).toThrow(
        expect.objectContaining({ rule: 'weights[1]' }),
      );
    });
  });

  describe('proRata', () => {
    it('rounds down a partial share', () => {
      expect(proRata(1000, 1, 3)).toBe(333);
      expect(proRata(1000, 2, 3)).toBe(666);
      expect(proRata(1000, 3, 3)).toBe(1000);
    });

    it('lets the part that completes the line take the remainder', () => {
      // 10.00 over 3 units refunded as 1 + 1 + 1: 3.33, 3.33, 3.34
      expect([proRata(1000, 1, 3, 0), proRata(1000, 1, 3, 1), proRata(1000, 1, 3, 2)]).toEqual([
        333, 333, 334,
      ]);
      // refunded as 2 + 1: 6.66, 3.34
      expect([proRata(1000, 2, 3, 0), proRata(1000, 1, 3, 2)]).toEqual([666, 334]);
    });

    it('never lets parts exceed the line total, however the line is split', () => {
      for (let amount = 0; amount <= 200; amount += 7) {
        for (let ofQty = 1; ofQty <= 6; ofQty += 1) {
          let taken = 0;
          let refunded = 0;
          while (taken < ofQty) {
            const qty = Math.min(1 + ((amount + taken) % 2), ofQty - taken);
            refunded += proRata(amount, qty, ofQty, taken);
            taken += qty;
            expect(refunded).toBeLessThanOrEqual(amount);
          }
          expect(refunded).toBe(amount);
        }
      }
    });

    it('refuses quantities outside the line', () => {
      expect(() => proRata(100, 4, 3)).toThrow(expect.objectContaining({ rule: 'qty' }));
      expect(() => proRata(100, 2, 3, 2)).toThrow(expect.objectContaining({ rule: 'qty' }));
      expect(() => proRata(100, 1, 0)).toThrow(expect.objectContaining({ rule: 'ofQty' }));
      expect(() => proRata(100, 1, 2, -1)).toThrow(expect.objectContaining({ rule: 'alreadyQty' }));
    });
  });

  describe('scaleDown', () => {
    it('scales by a ratio, rounding down', () => {
      expect(scaleDown(300, 1, 3)).toBe(100);
      expect(scaleDown(100, 2, 3)).toBe(66);
      expect(scaleDown(100, 3, 3)).toBe(100);
    });

    it('refuses a ratio above one or a zero denominator', () => {
      expect(() => scaleDown(100, 4, 3)).toThrow(expect.objectContaining({ rule: 'numerator' }));
      expect(() => scaleDown(100, 0, 0)).toThrow(expect.objectContaining({ rule: 'denominator' }));
    });
  });
});
