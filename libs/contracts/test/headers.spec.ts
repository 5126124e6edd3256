import { CE, HEADER_NAMES, parseKafkaMessage, requiredProperties, CloudEventHeaders } from '../src';
import { failureOf, sampleMessage } from './helpers';

const REQUIRED = requiredProperties(CloudEventHeaders);

describe('parseKafkaMessage: headers, type, version, value and key', () => {
  it('requires every header but ce_causationid', () => {
    expect(REQUIRED).toEqual(HEADER_NAMES.filter((name) => name !== CE.causationId));
  });

  it.each(REQUIRED)('reports a missing %s', (name) => {
    const error = failureOf(sampleMessage('refund-paid', { headers: (h) => delete h[name] }));
    expect(error).toMatchObject({
      reason: 'missing-header',
      field: `headers.${name}`,
      message: `header ${name} is missing`,
    });
  });

  it('reports all missing headers at once', () => {
    const error = failureOf({ key: 'x', value: '{}', headers: {} });
    expect(error.reason).toBe('missing-header');
    expect(error.issues).toHaveLength(REQUIRED.length);
  });

  it('reports an unknown event type', () => {
    const error = failureOf(
      sampleMessage('refund-paid', { headers: (h) => (h[CE.type] = 'refund-teleported') }),
    );
    expect(error).toMatchObject({
      reason: 'unknown-type',
      field: 'headers.ce_type',
      message: 'unknown event type "refund-teleported"',
    });
  });

  it('reports a schema version this build does not know', () => {
    const error = failureOf(sampleMessage('refund-paid', { headers: (h) => (h[CE.schemaVersion] = '2') }));
    expect(error).toMatchObject({
      reason: 'unsupported-version',
      field: 'headers.ce_dataschemaversion',
      message: 'refund-paid schema version 2 is not supported (supported: 1)',
      type: 'refund-paid',
      eventId: expect.any(String),
    });
  });

  it.each([
    [CE.specVersion, '0.3', 'headers.ce_specversion must be equal to 1.0'],
    [CE.id, 'not-a-uuid', 'headers.ce_id must be a UUID'],
    [
      CE.time,
      'yesterday',
      'headers.ce_time must be an RFC 3339 timestamp with offset, e.g. 2026-11-25T08:00:00.000Z',
    ],
    [CE.schemaVersion, 'one', 'headers.ce_dataschemaversion must be a positive integer in decimal text'],
    [
      CE.actor,
      '{"role":"hacker","id":"x"}',
      'headers.ce_actor must be a JSON actor like {"role":"merchant_agent","id":"u-1","merchantId":"m-1"}',
    ],
    [CE.contentType, 'application/avro', 'headers.content-type must be application/json'],
  ])('reports a malformed %s', (name, value, message) => {
    const error = failureOf(sampleMessage('ticket-opened', { headers: (h) => (h[name] = value) }));
    expect(error).toMatchObject({ reason: 'invalid-header', field: `headers.${name}`, message });
  });

  it('reads the actor, merchant included', () => {
    const result = parseKafkaMessage(sampleMessage('ticket-approved'));
    expect(result.ok && result.event.actor).toEqual({
      role: 'merchant_agent',
      id: 'u-3001',
      merchantId: 'm-1001',
    });
  });

  it('refuses an actor with fields the platform does not know', () => {
    const error = failureOf(
      sampleMessage('ticket-approved', {
        headers: (h) => (h[CE.actor] = '{"role":"customer","id":"c-1","admin":true}'),
      }),
    );
    expect(error.field).toBe('headers.ce_actor');
  });

  it('ignores headers that are not part of the contract (tracing, broker metadata)', () => {
    const message = sampleMessage('order-paid', {
      headers: (h) => (h.traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'),
    });
    expect(parseKafkaMessage(message).ok).toBe(true);
  });

  it('accepts a header repeated with the same value and refuses conflicting repeats', () => {
    const message = sampleMessage('order-paid');
    const type = message.headers[CE.type] as string;
    expect(
      parseKafkaMessage({ ...message, headers: { ...message.headers, [CE.type]: [type, Buffer.from(type)] } })
        .ok,
    ).toBe(true);
    const error = failureOf({
      ...message,
      headers: { ...message.headers, [CE.type]: [type, 'order-closed'] },
    });
    expect(error).toMatchObject({
      reason: 'invalid-header',
      message: 'header ce_type is repeated with different values',
    });
  });

  it('reports a tombstone and a value that is not JSON', () => {
    expect(failureOf({ ...sampleMessage('order-paid'), value: null }).reason).toBe('missing-value');
    const error = failureOf({ ...sampleMessage('order-paid'), value: '{"orderId":' });
    expect(error).toMatchObject({ reason: 'invalid-json', field: 'data' });
  });

  it('refuses a message whose key is not the registered key field', () => {
    const wrong = failureOf(sampleMessage('refund-paid', { key: '0d5e7c1a-9b2f-4c3e-8a1d-2f3e4a5b6c7d' }));
    expect(wrong).toMatchObject({
      reason: 'key-mismatch',
      field: 'key',
      message:
        'key must equal data.ticketId ("5f1c2b7e-3a4d-4e8f-9b0a-1c2d3e4f5a6b") but is "0d5e7c1a-9b2f-4c3e-8a1d-2f3e4a5b6c7d"',
    });
    expect(failureOf(sampleMessage('refund-paid', { key: null })).message).toContain('but is missing');
  });
});
