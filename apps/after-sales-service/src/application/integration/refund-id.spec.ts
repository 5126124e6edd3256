import { MAX_REFUND_ATTEMPTS, refundAttemptOf, refundIdempotencyKey, refundIdFor } from './refund-id';

const TICKET = '5f1c2b7e-3a4d-4e8f-9b0a-1c2d3e4f5a6b';

describe('refund order ids', () => {
  it('are RFC 9562 version 5 UUIDs of the idempotency key', () => {
    // Reference values from Python's uuid.uuid5 with the same namespace.
    expect(refundIdFor('ticket-1:refund:1')).toBe('37054c39-eaf4-5140-bed5-9706aaaa7500');
    expect(refundIdFor(refundIdempotencyKey(TICKET, 2))).toBe('1c031bad-bf2e-5768-b7ed-9268254944c4');
  });

  it('differ per attempt and per ticket', () => {
    const ids = new Set([
      refundIdFor(refundIdempotencyKey(TICKET, 1)),
      refundIdFor(refundIdempotencyKey(TICKET, 2)),
      refundIdFor(refundIdempotencyKey('ticket-1', 1)),
    ]);
    expect(ids.size).toBe(3);
  });

  it.each([1, 2, 17, MAX_REFUND_ATTEMPTS])('lead back to attempt %i of their ticket', (attempt) => {
    expect(refundAttemptOf(TICKET, refundIdFor(refundIdempotencyKey(TICKET, attempt)))).toBe(attempt);
  });

  it('are matched whatever the letter case a consumer wrote them in', () => {
    expect(refundAttemptOf(TICKET, refundIdFor(refundIdempotencyKey(TICKET, 3)).toUpperCase())).toBe(3);
  });

  it('match no attempt of another ticket, and nothing for ids after-sales did not choose', () => {
    expect(refundAttemptOf('ticket-1', refundIdFor(refundIdempotencyKey(TICKET, 1)))).toBeNull();
    expect(refundAttemptOf(TICKET, '0d5e7c1a-9b2f-4c3e-8a1d-2f3e4a5b6c7d')).toBeNull();
    expect(
      refundAttemptOf(TICKET, refundIdFor(refundIdempotencyKey(TICKET, MAX_REFUND_ATTEMPTS + 1))),
    ).toBeNull();
  });
});
