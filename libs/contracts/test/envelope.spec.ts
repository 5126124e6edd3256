import { ValidationError } from '@aftersales/kernel';
import { EVENT_SAMPLES, createEnvelope, type EventDataMap } from '../src';

const options = {
  id: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d',
  occurredAt: new Date('2026-11-27T09:00:00Z'),
  source: 'refund-service',
  actor: { role: 'system' as const, id: 'system' },
};

describe('createEnvelope', () => {
  it('fills the version from the registry and defaults correlation and subject', () => {
    const envelope = createEnvelope('refund-paid', EVENT_SAMPLES['refund-paid'], options);
    expect(envelope).toEqual({
      id: options.id,
      type: 'refund-paid',
      schemaVersion: 1,
      source: 'refund-service',
      occurredAt: '2026-11-27T09:00:00.000Z',
      correlationId: options.id,
      actor: options.actor,
      subjectId: EVENT_SAMPLES['refund-paid'].ticketId,
      data: EVENT_SAMPLES['refund-paid'],
    });
  });

  it('keeps the given correlation, causation and subject', () => {
    const envelope = createEnvelope('refund-failed', EVENT_SAMPLES['refund-failed'], {
      ...options,
      correlationId: 'req-42',
      causationId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
      subjectId: EVENT_SAMPLES['refund-failed'].refundId,
    });
    expect(envelope).toMatchObject({
      correlationId: 'req-42',
      causationId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e',
      subjectId: EVENT_SAMPLES['refund-failed'].refundId,
    });
  });

  it('refuses data that breaks the contract, naming the field', () => {
    const data: EventDataMap['order-paid'] = { ...EVENT_SAMPLES['order-paid'], paidAmount: -5 };
    expect(() => createEnvelope('order-paid', data, options)).toThrow(ValidationError);
    try {
      createEnvelope('order-paid', data, options);
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION', rule: 'data.paidAmount' });
      expect((error as Error).message).toBe(
        'order-paid: data.paidAmount must be a non-negative amount in integer minor units (fen)',
      );
    }
  });

  it('refuses envelope fields that could not travel as CloudEvents headers', () => {
    expect(() =>
      createEnvelope('order-paid', EVENT_SAMPLES['order-paid'], { ...options, id: 'event-1' }),
    ).toThrow('order-paid: headers.ce_id must be a UUID');
    expect(() =>
      createEnvelope('order-paid', EVENT_SAMPLES['order-paid'], { ...options, occurredAt: '27/11/2026' }),
    ).toThrow('headers.ce_time must be an RFC 3339 timestamp');
  });

  it('checks data against the event type at compile time', () => {
    // @ts-expect-error -- refund-paid data is not order-paid data
    expect(() => createEnvelope('order-paid', EVENT_SAMPLES['refund-paid'], options)).toThrow(
      ValidationError,
    );
  });
});
