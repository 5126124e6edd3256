import { ticketUpcasters } from './ticket-upcasters';

const metadata = { actor: { role: 'customer', id: 'c-1' }, occurredAt: '2026-11-25T00:00:00.000Z' };

describe('ticket upcasters', () => {
  const registry = ticketUpcasters();

  it.each([
    ['TicketClosed', 'reason', 'CUSTOMER_CANCELLED', 'CANCELLED_BY_CUSTOMER'],
    ['TicketRejected', 'reasonCode', 'GOODS_USED_OR_DAMAGED', 'USED_OR_DAMAGED_BY_CUSTOMER'],
  ])('reads a version-1 %s with %s %s as version 2 with %s', (type, field, before, after) => {
    expect(registry.upcast(type, 1, { [field]: before, note: 'n' }, metadata)).toEqual({
      schemaVersion: 2,
      data: { [field]: after, note: 'n' },
    });
  });

  it('reads an AfterSalesApplied policy snapshot as version 3: no subsidy cap before v2, no finance threshold', () => {
    const v1 = { ticketId: 't-1', policy: { afterSalesWindowDays: 7, financeReviewThreshold: 50000 } };
    const v3 = { ticketId: 't-1', policy: { afterSalesWindowDays: 7, shippingSubsidyMax: null } };
    expect(registry.upcast('AfterSalesApplied', 1, v1, metadata)).toEqual({ schemaVersion: 3, data: v3 });
    const v2 = { ticketId: 't-1', policy: { shippingSubsidyMax: 3000, financeReviewThreshold: null } };
    expect(registry.upcast('AfterSalesApplied', 2, v2, metadata)).toEqual({
      schemaVersion: 3,
      data: { ticketId: 't-1', policy: { shippingSubsidyMax: 3000 } },
    });
    const current = { ticketId: 't-1', policy: { shippingSubsidyMax: 3000 } };
    expect(registry.upcast('AfterSalesApplied', 3, current, metadata)).toEqual({
      schemaVersion: 3,
      data: current,
    });
  });

  it('reads a version-1 RefundRequested without the finance review it used to predict', () => {
    expect(
      registry.upcast('RefundRequested', 1, { attempt: 1, cash: 800, financeReviewRequired: true }, metadata),
    ).toEqual({ schemaVersion: 2, data: { attempt: 1, cash: 800 } });
  });

  it.each([
    ['ReturnStockedIn', 'stockedAt'],
    ['ReturnStockedInLate', 'stockedAt'],
    ['ExchangeShipped', 'shippedAt'],
    ['GoodsReturnedToCustomer', 'shippedAt'],
    ['RefundPaid', 'paidAt'],
  ])(
    'reads a version-1 %s, which had no reported time, with the time it was recorded as its %s',
    (type, field) => {
      const v1 = { carrier: 'SF', trackingNo: 'SF1' };
      expect(registry.upcast(type, 1, v1, metadata)).toEqual({
        schemaVersion: 2,
        data: { ...v1, [field]: metadata.occurredAt },
      });
      const v2 = { ...v1, [field]: '2026-11-24T22:00:00.000Z' };
      expect(registry.upcast(type, 2, v2, metadata)).toEqual({ schemaVersion: 2, data: v2 });
    },
  );

  it('keeps every other code of version 1, and leaves version 2 alone', () => {
    expect(registry.upcast('TicketClosed', 1, { reason: 'RETURN_TIMEOUT', note: null }, metadata)).toEqual({
      schemaVersion: 2,
      data: { reason: 'RETURN_TIMEOUT', note: null },
    });
    const current = { reason: 'CANCELLED_BY_CUSTOMER', note: null };
    expect(registry.upcast('TicketClosed', 2, current, metadata)).toEqual({
      schemaVersion: 2,
      data: current,
    });
    expect(registry.upcast('TicketApproved', 1, { note: 'ok' }, metadata)).toEqual({
      schemaVersion: 1,
      data: { note: 'ok' },
    });
  });
});
