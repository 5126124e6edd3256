import { itServesOperationalEndpoints } from '@aftersales/testing';
import { AfterSalesServiceModule } from '../src/after-sales-service.module';
import { AfterSalesHarness } from './support/after-sales-harness';

jest.setTimeout(60_000);

describe('after-sales-service operations', () => {
  const h = new AfterSalesHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  itServesOperationalEndpoints(() => h.svc, {
    schema: 'after_sales',
    migrations: [
      'CreateMerchantPolicies1764000000000',
      'CreateTicketStore1764000100000',
      'TicketStateAsJson1764000200000',
      'InboxPruningIndex1764000300000',
      'EventsAsJson1764000400000',
      'TicketStateAsText1764000500000',
      'TicketRowWithoutState1764000600000',
      'TimelineFromStream1764000700000',
      'PolicyWithoutFinanceThreshold1764000800000',
    ],
    protectedPath: '/tickets',
  });

  it('answers a body that is not JSON, or not sent as JSON, with 400 in the platform error shape', async () => {
    const token = await h.svc.bearer('customer', 'c-body');
    const broken = await h
      .http()
      .post('/tickets')
      .set('Authorization', token)
      .set('Content-Type', 'application/json')
      .send('{"orderId": ')
      .expect(400);
    expect(broken.body).toMatchObject({ statusCode: 400, code: 'VALIDATION', path: '/tickets' });
    const text = await h
      .http()
      .post('/tickets')
      .set('Authorization', token)
      .set('Content-Type', 'text/plain')
      .send('orderId=o-1')
      .expect(400);
    expect(text.body).toMatchObject({ statusCode: 400, code: 'VALIDATION', path: '/tickets' });
    expect(text.body.message).toMatch(/orderId/);
  });

  it('reports Kafka in its readiness', async () => {
    const ready = await h.http().get('/health/ready').expect(200);
    expect(ready.body.info.kafka).toMatchObject({ status: 'up', reachable: true });
  });

  it('exposes the messaging metrics operators watch', async () => {
    const metrics = await h.http().get('/metrics').expect(200);
    for (const name of [
      'outbox_backlog',
      'outbox_oldest_unpublished_age_seconds',
      'inbox_handled_total',
      'dlq_messages_total',
      'kafka_consumer_lag',
    ]) {
      expect(metrics.text).toContain(name);
    }
  });

  it('refuses a bad application with 400 naming the field', async () => {
    const res = await h.apply({
      orderId: 'o-1',
      type: 'REFUND_ONLY',
      lines: [{ lineId: 'L1', quantity: 0 }],
      reasonCode: 'DAMAGED',
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('lines.0.quantity must not be less than 1');
    const unknown = await h.apply({
      orderId: 'o-1',
      type: 'REFUND_ONLY',
      lines: [],
      reasonCode: 'DAMAGED',
      sneaky: true,
    });
    expect(unknown.body.message).toContain('property sneaky should not exist');
  });

  it('answers an order it never heard of with 404, and an unknown ticket with 404', async () => {
    const res = await h.apply({
      orderId: 'never-seen',
      type: 'REFUND_ONLY',
      lines: [{ lineId: 'L1', quantity: 1 }],
      reasonCode: 'DAMAGED',
    });
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('order never-seen is not known to after-sales');
    await h
      .command('4f0c3a55-8a59-4c2e-9d61-0e7b9a1a2b3c', 'approve', {})
      .then((r) => expect(r.status).toBe(404));
  });

  it('dead-letters an order event that does not validate, and keeps consuming', async () => {
    const producer = h.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'order.events',
      messages: [
        {
          key: 'o-bad',
          value: '{"orderId":"o-bad"}',
          headers: { ce_id: 'x', ce_type: 'order-status-changed', ce_specversion: '1.0' },
        },
      ],
    });
    await producer.disconnect();
    const orderId = await h.order({ status: 'SHIPPED' });
    expect(orderId).toMatch(/^o-/);
    const metrics = await h.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/dlq_messages_total\{[^}]*reason="invalid"[^}]*\} 1/);
  });
});

describe('after-sales-service configuration', () => {
  it('reads process.env when given no options, as main.ts does, and names what is missing', () => {
    const saved = { ...process.env };
    try {
      process.env.AUTH_JWT_SECRET = 'a-secret-long-enough-for-the-rule';
      process.env.KAFKA_BROKERS = '127.0.0.1:9092';
      expect(() => AfterSalesServiceModule.forRoot()).not.toThrow();
      delete process.env.DATABASE_URL;
      expect(() => AfterSalesServiceModule.forRoot()).toThrow(
        /DATABASE_URL must be a postgres:\/\/ connection string/,
      );
    } finally {
      process.env = saved;
    }
  });
});
