import {
  EVENT_REGISTRY,
  EVENT_SAMPLES,
  EVENT_TYPES,
  TOPICS,
  eventTypesOn,
  parseKafkaMessage,
  sampleEnvelope,
  toKafkaMessage,
  type IncomingKafkaMessage,
  type OutgoingKafkaMessage,
} from '../src';

/** What kafkajs hands a consumer: key, value and header values as Buffers. */
function asReceived(message: OutgoingKafkaMessage): IncomingKafkaMessage {
  return {
    key: Buffer.from(message.key),
    value: Buffer.from(message.value),
    headers: Object.fromEntries(
      Object.entries(message.headers).map(([name, value]) => [name, Buffer.from(value)]),
    ),
  };
}

describe('toKafkaMessage -> parseKafkaMessage', () => {
  it.each(EVENT_TYPES)('%s survives the round trip unchanged', (type) => {
    const envelope = sampleEnvelope(type);
    const message = toKafkaMessage(envelope);

    expect(message.topic).toBe(EVENT_REGISTRY[type].topic);
    expect(message.key).toBe((envelope.data as unknown as Record<string, string>)[EVENT_REGISTRY[type].key]);
    expect(JSON.parse(message.value)).toEqual(EVENT_SAMPLES[type]);

    const parsed = parseKafkaMessage(asReceived(message));
    if (!parsed.ok) throw new Error(`${type}: ${parsed.error.message}`);
    expect(parsed.event).toEqual(envelope);
    expect(parsed.event.data).toBeInstanceOf(EVENT_REGISTRY[type].payload);
  });

  it('keeps the optional causation id', () => {
    const envelope = {
      ...sampleEnvelope('refund-paid'),
      causationId: '11111111-2222-4333-8444-555555555555',
    };
    const message = toKafkaMessage(envelope);
    expect(message.headers.ce_causationid).toBe(envelope.causationId);
    const parsed = parseKafkaMessage(asReceived(message));
    expect(parsed.ok && parsed.event.causationId).toBe(envelope.causationId);
  });

  it('writes the CloudEvents binary-mode headers', () => {
    const message = toKafkaMessage(sampleEnvelope('ticket-approved'));
    expect(message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: expect.any(String),
      ce_type: 'ticket-approved',
      ce_source: 'after-sales-service',
      ce_time: '2026-11-25T08:00:00.000Z',
      ce_subject: '5f1c2b7e-3a4d-4e8f-9b0a-1c2d3e4f5a6b',
      ce_dataschemaversion: '1',
      ce_correlationid: 'c0ffee00-0000-4000-8000-000000000001',
      ce_actor: '{"role":"merchant_agent","id":"u-3001","merchantId":"m-1001"}',
      'content-type': 'application/json',
    });
  });

  it('narrows data by type for consumers', () => {
    const parsed = parseKafkaMessage(asReceived(toKafkaMessage(sampleEnvelope('return-stocked'))));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const event = parsed.event;
    // Compile-time check as much as run-time: in this branch data is ReturnStockedData.
    const dispositions =
      event.type === 'return-stocked'
        ? event.data.lines.flatMap((line) => line.units.map((unit) => unit.disposition))
        : [];
    expect(dispositions).toEqual(['RESTOCKABLE']);
  });
});

describe('registry', () => {
  it('has the three event names fixed by the brief, verbatim', () => {
    expect(EVENT_REGISTRY['return-stocked'].topic).toBe('warehouse.events');
    expect(EVENT_REGISTRY['exchange-shipped'].topic).toBe('warehouse.events');
    expect(EVENT_REGISTRY['refund-paid'].topic).toBe('refund.events');
  });

  it('puts every event on a declared topic and gives every topic events', () => {
    for (const topic of Object.keys(TOPICS) as (keyof typeof TOPICS)[])
      expect(eventTypesOn(topic).length).toBeGreaterThan(0);
    expect(EVENT_TYPES.every((type) => EVENT_REGISTRY[type].topic in TOPICS)).toBe(true);
  });

  it('uses kebab-case type names', () => {
    for (const type of EVENT_TYPES) expect(type).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
