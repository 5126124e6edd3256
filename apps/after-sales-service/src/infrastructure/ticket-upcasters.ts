import { UpcasterRegistry, type Upcaster } from '@aftersales/event-store';
import type { TicketEvent } from '../domain';

/**
 * The schema version each ticket event is written with (1 when absent). Version 2 of TicketRejected
 * and TicketClosed renamed two codes to the contract's names; the upcasters below lift version 1
 * as it is read, so the log is never rewritten.
 */
export const TICKET_EVENT_SCHEMA_VERSIONS: Partial<Record<TicketEvent['type'], number>> = {
  TicketRejected: 2,
  TicketClosed: 2,
  AfterSalesApplied: 3,
  RefundRequested: 2,
  ReturnStockedIn: 2,
  ReturnStockedInLate: 2,
  ExchangeShipped: 2,
  GoodsReturnedToCustomer: 2,
  RefundPaid: 2,
};

function renamed(field: string, names: Record<string, string>) {
  return (data: unknown) => {
    const record = data as Record<string, unknown>;
    const value = record[field];
    return {
      schemaVersion: 2,
      data: typeof value === 'string' && value in names ? { ...record, [field]: names[value] } : record,
    };
  };
}

export function ticketUpcasters(): UpcasterRegistry {
  return (
    new UpcasterRegistry()
      .register(
        'TicketRejected',
        1,
        renamed('reasonCode', { GOODS_USED_OR_DAMAGED: 'USED_OR_DAMAGED_BY_CUSTOMER' }),
      )
      .register('TicketClosed', 1, renamed('reason', { CUSTOMER_CANCELLED: 'CANCELLED_BY_CUSTOMER' }))
      .register('AfterSalesApplied', 1, (data) => {
        // Version 2 of the policy snapshot caps shipping subsidies; tickets opened before had no cap.
        const record = data as { policy: Record<string, unknown> };
        return {
          schemaVersion: 2,
          data: { ...record, policy: { shippingSubsidyMax: null, ...record.policy } },
        };
      })
      // AfterSalesApplied version 3 and RefundRequested version 2: finance review is the refund
      // service's rule, so the policy holds no threshold and a request no longer predicts the review.
      .register('AfterSalesApplied', 2, (data) => {
        const record = data as { policy: Record<string, unknown> };
        return {
          schemaVersion: 3,
          data: { ...record, policy: without(record.policy, 'financeReviewThreshold') },
        };
      })
      .register('RefundRequested', 1, (data) => ({
        schemaVersion: 2,
        data: without(data as Record<string, unknown>, 'financeReviewRequired'),
      }))
      // Version 2 keeps the reporting service's own time of a stock-in, a parcel or a payment;
      // version 1 knew only when after-sales recorded it, which stands in for it.
      .register('ReturnStockedIn', 1, recordedAs('stockedAt'))
      .register('ReturnStockedInLate', 1, recordedAs('stockedAt'))
      .register('ExchangeShipped', 1, recordedAs('shippedAt'))
      .register('GoodsReturnedToCustomer', 1, recordedAs('shippedAt'))
      .register('RefundPaid', 1, recordedAs('paidAt'))
  );
}

function recordedAs(field: string): Upcaster {
  return (data, metadata) => ({
    schemaVersion: 2,
    data: { ...(data as Record<string, unknown>), [field]: metadata.occurredAt },
  });
}

function without(record: Record<string, unknown>, field: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== field));
}
