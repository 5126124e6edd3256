import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EVENT_SAMPLES, EVENT_TYPES, parseKafkaMessage } from '@aftersales/contracts';
import { ValidationError } from '@aftersales/kernel';
import { startTestKafka, type TestKafka } from '@aftersales/testing';
import { createKafka } from '../src';
import {
  UsageError,
  eventList,
  eventMessage,
  parseActor,
  parseEventCommand,
  sampleData,
} from '../src/cli/event-message';
import { findMessage } from './support';

jest.setTimeout(60_000);

const NOW = new Date('2026-12-03T10:00:00.000Z');
const ID = '7b0c6a52-1f3e-4c59-9d5e-2a4b6c8d0e1f';

describe('npm run event: the command line', () => {
  it('reads a publish with every option, a list, a sample and help', () => {
    expect(
      parseEventCommand([
        'refund-paid',
        '--data',
        '@paid.json',
        '--actor',
        'finance:f-1',
        '--correlation-id',
        'c-1',
        '--causation-id',
        'e-1',
        '--id',
        ID,
        '--brokers',
        'k1:9092,k2:9092',
      ]),
    ).toEqual({
      kind: 'publish',
      type: 'refund-paid',
      data: '@paid.json',
      actor: 'finance:f-1',
      correlationId: 'c-1',
      causationId: 'e-1',
      id: ID,
      brokers: 'k1:9092,k2:9092',
    });
    expect(parseEventCommand(['--list'])).toEqual({ kind: 'list' });
    expect(parseEventCommand(['order-paid', '--sample'])).toEqual({ kind: 'sample', type: 'order-paid' });
    expect(parseEventCommand(['-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], /name an event type/],
    [['order-paid', 'order-shipped'], /one event type, not order-paid order-shipped/],
    [['order-payed', '--data', '{}'], /"order-payed" is not an event type/],
    [['order-paid'], /--data is required to publish order-paid/],
    [['order-paid', '--colour', 'red'], /colour/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseEventCommand(argv)).toThrow(UsageError);
    expect(() => parseEventCommand(argv)).toThrow(message);
  });

  it('lists every event type once, with its topic, key and readers', () => {
    const lines = eventList().split('\n');
    expect(lines).toHaveLength(EVENT_TYPES.length);
    expect(lines.find((l) => l.startsWith('refund-paid '))).toMatch(
      /^refund-paid +refund\.events +key ticketId +read by after-sales-service, settlement-service$/,
    );
    expect(lines.find((l) => l.startsWith('ticket-approved '))).toMatch(/read by no consumer yet$/);
  });

  it("prints the contract's sample, which publishes as it is", () => {
    expect(JSON.parse(sampleData('order-shipped'))).toEqual(EVENT_SAMPLES['order-shipped']);
    const message = eventMessage({ type: 'order-shipped' }, sampleData('order-shipped'), NOW);
    expect(message.topic).toBe('upstream.orders');
  });

  it('reads actors as role:id, and a merchant agent with its merchant', () => {
    expect(parseActor('warehouse:wh-1')).toEqual({ role: 'warehouse', id: 'wh-1' });
    expect(parseActor('merchant_agent:a1:m1')).toEqual({
      role: 'merchant_agent',
      id: 'a1',
      merchantId: 'm1',
    });
    expect(() => parseActor('merchant_agent:a1')).toThrow(/needs :merchantId/);
    expect(() => parseActor('boss:b1')).toThrow(/--actor must be role:id/);
    expect(() => parseActor('finance')).toThrow(/--actor must be role:id/);
  });
});

describe('npm run event: the message', () => {
  const paid = JSON.stringify(EVENT_SAMPLES['refund-paid']);

  it("is the envelope the topic's producer writes: its source, a system actor, the key field", () => {
    const message = eventMessage({ type: 'refund-paid', id: ID }, paid, NOW);
    expect(message).toMatchObject({
      topic: 'refund.events',
      key: EVENT_SAMPLES['refund-paid'].ticketId,
      value: paid,
    });
    expect(message.headers).toMatchObject({
      ce_id: ID,
      ce_type: 'refund-paid',
      ce_source: 'refund-service',
      ce_time: NOW.toISOString(),
      ce_correlationid: ID,
      ce_actor: JSON.stringify({ role: 'system', id: 'refund-service' }),
    });
    const parsed = parseKafkaMessage(message);
    expect(parsed.ok && parsed.event.data).toEqual(EVENT_SAMPLES['refund-paid']);
  });

  it('carries the actor, correlation and causation given', () => {
    const message = eventMessage(
      {
        type: 'refund-paid',
        actor: 'finance:f-7',
        correlationId: 'conv-1',
        causationId: 'cause-1',
      },
      paid,
      NOW,
    );
    expect(message.headers).toMatchObject({
      ce_actor: JSON.stringify({ role: 'finance', id: 'f-7' }),
      ce_correlationid: 'conv-1',
      ce_causationid: 'cause-1',
    });
    expect(message.headers['ce_id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['{"refundId":', /the data is not JSON/],
    ['[1, 2]', /the data must be a JSON object/],
    ['{"refundId": 7}', /data\.refundId/],
  ])('refuses data %s, naming what is wrong', (data, message) => {
    const build = () => eventMessage({ type: 'refund-paid' }, data, NOW);
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(message);
  });

  it('refuses an event id that is not a UUID', () => {
    expect(() => eventMessage({ type: 'refund-paid', id: 'e-1' }, paid, NOW)).toThrow(/headers\.ce_id/);
  });
});

describe('npm run event: publishing to a Kafka broker', () => {
  let kafka: TestKafka;
  const cli = join(__dirname, '../src/cli/publish-event.ts');
  const run = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, ['-r', '@swc-node/register', cli, ...args], {
      env: { ...process.env, ...env },
    });

  beforeAll(async () => {
    kafka = await startTestKafka();
  });
  afterAll(() => kafka?.stop());

  it('publishes the event to its topic under its key, where a consumer reads it as sent', async () => {
    const sample = EVENT_SAMPLES['return-stocked'];
    // The topic is the registry's; a fresh ticket id keeps this message apart from others on it.
    const ticketId = `t-${randomUUID()}`;
    const { stdout } = await run(
      [
        'return-stocked',
        '--data',
        JSON.stringify({ ...sample, ticketId }),
        '--id',
        ID,
        '--actor',
        'warehouse:wh-9',
      ],
      { KAFKA_BROKERS: kafka.brokers.join(',') },
    );
    expect(stdout).toMatch(
      new RegExp(
        `^published return-stocked ${ID} to warehouse\\.events \\(partition \\d+, offset \\d+\\), key ${ticketId}\\n$`,
      ),
    );
    const mine = await findMessage(
      createKafka('cli-test', kafka.brokers),
      'warehouse.events',
      (m) => m.key === ticketId,
    );
    expect(mine.headers).toMatchObject({ ce_id: ID, ce_source: 'warehouse-adapter' });
    const parsed = parseKafkaMessage(mine);
    expect(parsed.ok && parsed.event).toMatchObject({
      type: 'return-stocked',
      actor: { role: 'warehouse', id: 'wh-9' },
      data: { ...sample, ticketId },
    });
  });

  it('checks the data before it connects, and names the fields the contract refuses (exit code 1)', async () => {
    // No broker listens on port 1: the contract's message, not a connection error, shows that the
    // command stopped before it reached for Kafka.
    const failed = run(['refund-paid', '--data', '{"refundId":"x"}', '--brokers', '127.0.0.1:1']);
    await expect(failed).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^not published: \n {2}/),
    });
    await expect(failed).rejects.toMatchObject({ stderr: expect.stringMatching(/data\.ticketId/) });
  });

  it('prints the usage for a mistake in the command line (exit code 2)', async () => {
    await expect(run(['refund-payed'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/"refund-payed" is not an event type[\s\S]*npm run event -- --list/),
    });
  });
});
