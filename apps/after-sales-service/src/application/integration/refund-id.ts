import { nameBasedId } from './name-based-id';

/**
 * Refund order ids are name-based UUIDs of the domain's idempotency key, so the same refund attempt
 * always names the same refund order and can never open a second one. It also lets a refund
 * outcome, which names only the refund order, be matched back to its attempt without state.
 */
const REFUND_ID_NAMESPACE = '3c9c1650-9641-4f79-87a6-e1638fdefbfc';

/**
 * Far beyond any real ticket: each attempt after the first takes an agent's retry or a platform
 * ruling. Bounds the search in refundAttemptOf.
 */
export const MAX_REFUND_ATTEMPTS = 1000;

/** The decider's key of a refund attempt (`RefundRequested.idempotencyKey`); a spec guards the format. */
export function refundIdempotencyKey(ticketId: string, attempt: number): string {
  return `${ticketId}:refund:${attempt}`;
}

export function refundIdFor(idempotencyKey: string): string {
  return nameBasedId(REFUND_ID_NAMESPACE, idempotencyKey);
}

/** Which attempt of the ticket asked for refund order `refundId`; null when none of its attempts did. */
export function refundAttemptOf(ticketId: string, refundId: string): number | null {
  const wanted = refundId.toLowerCase();
  for (let attempt = 1; attempt <= MAX_REFUND_ATTEMPTS; attempt += 1) {
    if (refundIdFor(refundIdempotencyKey(ticketId, attempt)) === wanted) return attempt;
  }
  return null;
}
