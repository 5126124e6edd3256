import { ValidationError } from './errors';

/**
 * Money is an integer count of minor units (fen, cents). Floating point never touches an amount:
 * every split below works on integers (BigInt where a product could pass 2^53) and says where the
 * rounding remainder goes, so that parts always sum exactly to their whole.
 */
export type Minor = number;

export function isMinor(value: unknown): value is Minor {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Throws a ValidationError naming `field` unless `value` is a non-negative integer amount. */
export function assertNonNegativeMinor(value: unknown, field: string): asserts value is Minor {
  if (!isMinor(value) || value < 0) {
    throw new ValidationError(`${field} must be a non-negative integer amount in minor units`, field, {
      value,
    });
  }
}

/** Throws a ValidationError naming `field` unless `value` is an integer amount greater than zero. */
export function assertPositiveMinor(value: unknown, field: string): asserts value is Minor {
  if (!isMinor(value) || value <= 0) {
    throw new ValidationError(`${field} must be a positive integer amount in minor units`, field, { value });
  }
}

export function sumMinor(amounts: readonly Minor[]): Minor {
  let total = 0;
  for (const amount of amounts) total += amount;
  return total;
}

/**
 * Splits `total` over `weights` in proportion, by the largest-remainder method: each part gets the
 * floor of its exact share, then the units still missing go one each to the parts with the largest
 * remainders; equal remainders go to the lower index, so the result depends on nothing but the input.
 * The parts sum exactly to `total`, and a part never exceeds its weight when `total <= sum(weights)`.
 * All weights zero is only meaningful for a zero total (nothing to weigh a non-zero total by).
 */
export function allocateProportionally(total: Minor, weights: readonly Minor[]): Minor[] {
  assertNonNegativeMinor(total, 'total');
  weights.forEach((weight, index) => assertNonNegativeMinor(weight, `weights[${index}]`));
  const weightSum = BigInt(sumMinor(weights));
  if (weightSum === 0n) {
    if (total === 0) return weights.map(() => 0);
    throw new ValidationError('Cannot allocate a non-zero total over weights that are all zero', 'weights', {
      total,
    });
  }
  const bigTotal = BigInt(total);
  const parts = weights.map((weight) => (bigTotal * BigInt(weight)) / weightSum);
  const remainders = weights.map((weight, index) => ({
    index,
    remainder: (bigTotal * BigInt(weight)) % weightSum,
  }));
  let missing = Number(bigTotal - parts.reduce((acc, part) => acc + part, 0n));
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { index } of remainders) {
    if (missing === 0) break;
    parts[index] += 1n;
    missing -= 1;
  }
  return parts.map(Number);
}

/**
 * The share of `amount` (which belongs to `ofQty` units) for `qty` units, when `alreadyQty` units of
 * the same amount were taken before. Each share is the difference of two cumulative floors:
 *   floor(amount * (alreadyQty + qty) / ofQty) - floor(amount * alreadyQty / ofQty)
 * so the early parts round down, the part that reaches `ofQty` takes what is left, and however a
 * line is split into parts, the parts sum exactly to the line's amount and never exceed it.
 */
export function proRata(amount: Minor, qty: number, ofQty: number, alreadyQty = 0): Minor {
  assertNonNegativeMinor(amount, 'amount');
  if (!Number.isSafeInteger(ofQty) || ofQty <= 0) {
    throw new ValidationError('ofQty must be a positive integer', 'ofQty', { ofQty });
  }
  if (!Number.isSafeInteger(alreadyQty) || alreadyQty < 0) {
    throw new ValidationError('alreadyQty must be a non-negative integer', 'alreadyQty', { alreadyQty });
  }
  if (!Number.isSafeInteger(qty) || qty < 0 || alreadyQty + qty > ofQty) {
    throw new ValidationError(`qty must be an integer between 0 and ${ofQty - alreadyQty}`, 'qty', {
      qty,
      alreadyQty,
      ofQty,
    });
  }
  const cumulative = (units: number): bigint => (BigInt(amount) * BigInt(units)) / BigInt(ofQty);
  return Number(cumulative(alreadyQty + qty) - cumulative(alreadyQty));
}

/**
 * `part` of `amount` in the ratio `numerator / denominator`, rounded down: used to scale a
 * secondary amount (e.g. coins) by the fraction an agent kept of the primary one. Rounding down
 * keeps the scaled amount within the original.
 */
export function scaleDown(amount: Minor, numerator: Minor, denominator: Minor): Minor {
  assertNonNegativeMinor(amount, 'amount');
  assertNonNegativeMinor(numerator, 'numerator');
  assertPositiveMinor(denominator, 'denominator');
  if (numerator > denominator) {
    throw new ValidationError('numerator must not exceed denominator', 'numerator', {
      numerator,
      denominator,
    });
  }
  return Number((BigInt(amount) * BigInt(numerator)) / BigInt(denominator));
}
