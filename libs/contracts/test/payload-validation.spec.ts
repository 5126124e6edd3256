import { EVENT_SAMPLES, inspectionMatches, parseKafkaMessage } from '../src';
import { at, failureOf, sampleMessage } from './helpers';

describe('payload validation gives precise errors', () => {
  it('names the failing nested field with its index', () => {
    const error = failureOf(
      sampleMessage('order-placed', { data: (d) => void (at(d, 'lines', 0).quantity = 0) }),
    );
    expect(error).toMatchObject({
      reason: 'invalid-payload',
      field: 'data.lines[0].quantity',
      message: 'data.lines[0].quantity must be a positive integer',
      type: 'order-placed',
    });
  });

  it.each([
    ['a fraction', 12.5],
    ['a negative amount', -1],
    ['a numeric string', '100'],
  ])('refuses %s as money', (_label, value) => {
    const error = failureOf(sampleMessage('order-placed', { data: (d) => void (d.couponDiscount = value) }));
    expect(error.message).toBe(
      'data.couponDiscount must be a non-negative amount in integer minor units (fen)',
    );
  });

  it('lists every failing field, first one as `field`', () => {
    const error = failureOf(
      sampleMessage('order-placed', {
        data: (d) => {
          delete d.merchantId;
          at(d, 'lines', 1).unitPrice = 1.5;
        },
      }),
    );
    expect(error.field).toBe('data.merchantId');
    expect(error.issues?.map((issue) => issue.field)).toEqual(['data.merchantId', 'data.lines[1].unitPrice']);
  });

  it('refuses fields the contract does not declare, at any depth', () => {
    const top = failureOf(sampleMessage('refund-paid', { data: (d) => void (d.bonus = 1) }));
    expect(top.message).toBe('property data.bonus should not exist');
    const nested = failureOf(
      sampleMessage('refund-paid', { data: (d) => void (at(d, 'breakdown', 'lines', 0).tax = 1) }),
    );
    expect(nested.message).toBe('property data.breakdown.lines[0].tax should not exist');
  });

  it('refuses prototype-shaped keys that object mapping would otherwise skip', () => {
    const message = sampleMessage('order-placed');
    const error = failureOf({
      ...message,
      value: message.value.replace('"lines":[{', '"lines":[{"__proto__":{"admin":true},'),
    });
    expect(error).toMatchObject({
      field: 'data.lines[0].__proto__',
      message: 'property data.lines[0].__proto__ should not exist',
    });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses values outside an enumeration', () => {
    const error = failureOf(
      sampleMessage('return-stocked', {
        data: (d) => void (at(d, 'lines', 0, 'units', 0).disposition = 'BROKEN'),
      }),
    );
    expect(error.field).toBe('data.lines[0].units[0].disposition');
    expect(error.message).toContain('RESTOCKABLE, DAMAGED_OR_NOT_AS_DESCRIBED, MISSING');
  });

  it('requires a list where the contract has one', () => {
    const error = failureOf(sampleMessage('ticket-opened', { data: (d) => void (d.lines = 'L1') }));
    expect(error.issues?.map((issue) => issue.message)).toContain('data.lines must be an array');
  });

  it('says a field left out is required, once, not every rule it breaks', () => {
    const error = failureOf(
      sampleMessage('return-stocked', { data: (d) => void delete at(d, 'lines', 0).quantityReceived }),
    );
    expect(error.issues).toEqual([
      { field: 'data.lines[0].quantityReceived', message: 'data.lines[0].quantityReceived is required' },
    ]);
  });

  it('requires at least one line', () => {
    const error = failureOf(sampleMessage('return-stock-in-requested', { data: (d) => void (d.lines = []) }));
    expect(error.message).toBe('data.lines must contain at least 1 elements');
  });

  it('requires timestamps with an offset and real calendar dates', () => {
    const time = failureOf(
      sampleMessage('refund-paid', { data: (d) => void (d.paidAt = '2026-11-27 09:00:00') }),
    );
    expect(time.message).toBe(
      'data.paidAt must be an RFC 3339 timestamp with offset, e.g. 2026-11-25T08:00:00.000Z',
    );
    const date = failureOf(
      sampleMessage('settlement-statement-issued', { data: (d) => void (d.payoutDate = '2026-02-30') }),
    );
    expect(date.message).toBe('data.payoutDate must be a calendar date YYYY-MM-DD');
  });

  it('checks ticket numbers and URLs', () => {
    const ticketNo = failureOf(sampleMessage('ticket-closed', { data: (d) => void (d.ticketNo = '123') }));
    expect(ticketNo.message).toBe('data.ticketNo must be a ticket number like AS202611250000123');
    const evidence = failureOf(
      sampleMessage('ticket-opened', { data: (d) => void (d.evidence = ['not a url']) }),
    );
    expect(evidence.message).toBe('each value in data.evidence must be a URL address');
  });

  it('checks that a refund adds up to its breakdown', () => {
    const cash = failureOf(sampleMessage('refund-requested', { data: (d) => void (d.cashAmount = 9000) }));
    expect(cash).toMatchObject({
      field: 'data.cashAmount',
      message: 'data.cashAmount must equal breakdown lines cash + adjustment + shippingFee + shippingSubsidy',
    });
    const coins = failureOf(sampleMessage('refund-paid', { data: (d) => void (d.coinsAmount = 0) }));
    expect(coins.message).toBe('data.coinsAmount must equal the sum of breakdown lines coins');
  });

  it('accepts a lowered refund whose total reflects the adjustment', () => {
    const message = sampleMessage('refund-requested', {
      data: (d) => {
        at(d, 'breakdown').adjustment = -474;
        d.cashAmount = 8000;
      },
    });
    expect(parseKafkaMessage(message).ok).toBe(true);
  });

  it('checks that an inspection accounts for every expected unit', () => {
    const units = failureOf(
      sampleMessage('return-stocked', { data: (d) => void (at(d, 'lines', 0).quantityExpected = 2) }),
    );
    expect(units.message).toBe(
      'data.lines[0].quantityExpected must equal the number of entries in units (one disposition per expected unit)',
    );
    const received = failureOf(
      sampleMessage('return-stocked', {
        data: (d) => void (at(d, 'lines', 0).units = [{ disposition: 'MISSING' }]),
      }),
    );
    expect(received.message).toBe(
      'data.lines[0].quantityReceived must equal the number of units whose disposition is not MISSING',
    );
  });

  it('checks that a statement payout adds up', () => {
    const error = failureOf(
      sampleMessage('settlement-statement-issued', { data: (d) => void (at(d, 'totals').payoutAmount = 1) }),
    );
    expect(error.field).toBe('data.totals.payoutAmount');
  });

  it('rejects data that is not a JSON object', () => {
    const message = { ...sampleMessage('order-paid'), value: '[1,2]' };
    expect(failureOf(message)).toMatchObject({
      reason: 'invalid-payload',
      field: 'data',
      message: 'data must be a JSON object',
    });
  });

  it('reads an inspection as a match only when every expected unit arrived restockable', () => {
    const stocked = EVENT_SAMPLES['return-stocked'];
    expect(inspectionMatches(stocked)).toBe(true);
    const line = stocked.lines[0];
    const damaged = {
      lines: [{ ...line, units: [{ disposition: 'DAMAGED_OR_NOT_AS_DESCRIBED' as const }] }],
    };
    expect(inspectionMatches(damaged)).toBe(false);
    const missing = {
      lines: [{ ...line, quantityReceived: 0, units: [{ disposition: 'MISSING' as const }] }],
    };
    expect(inspectionMatches(missing)).toBe(false);
  });
});
