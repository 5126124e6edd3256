import { nameBasedId } from './name-based-id';

const COUPON_ID_NAMESPACE = 'ab6497e0-2a89-4869-8e44-62999f65986b';

/**
 * The id of a ticket's nth compensation coupon (from 1): the coupon system issues one coupon per
 * id, so republishing the event, or rebuilding the outbox from the stream, cannot issue it twice.
 */
export function couponIdFor(ticketId: string, nth: number): string {
  return nameBasedId(COUPON_ID_NAMESPACE, `${ticketId}:compensation-coupon:${nth}`);
}
