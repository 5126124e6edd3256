import request from 'supertest';
import { Client } from 'pg';
import { itServesOperationalEndpoints, startTestService, type TestService } from '@aftersales/testing';
import { OrderServiceModule } from '../src/order-service.module';

describe('order-service over HTTP', () => {
  let svc: TestService;

  beforeAll(async () => {
    svc = await startTestService((env) => OrderServiceModule.forRoot(env));
    const c = new Client({ connectionString: svc.db.url });
    await c.connect();
    await c.query(`INSERT INTO orders.orders (order_id, merchant_id, customer_id, state, placed_at)
                   VALUES ('o1', 'm1', 'c1', 'AWAITING_SHIPMENT', '2026-11-25T00:00:00Z')`);
    await c.query(`INSERT INTO orders.order_lines (order_id, line_id, sku, title, category, unit_price, quantity)
                   VALUES ('o1', 'l1', 'SKU-1', 'Kettle', 'home', 12900, 2)`);
    await c.end();
  });
  afterAll(() => svc.close());

  itServesOperationalEndpoints(() => svc, {
    schema: 'orders',
    migrations: ['CreateOrders1764000000000'],
    protectedPath: '/orders/o1',
  });

  it('lists its routes in OpenAPI', async () => {
    const docs = await request(svc.server).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toContain('/orders/{orderId}');
  });

  it('refuses a malformed token with 401', async () => {
    const res = await request(svc.server)
      .get('/orders/o1')
      .set('Authorization', 'Bearer not-a-jwt')
      .expect(401);
    expect(res.body.message).toMatch(/invalid token/);
  });

  it('refuses a wrong role with 403', async () => {
    const res = await request(svc.server)
      .get('/orders/o1')
      .set('Authorization', await svc.bearer('warehouse', 'w1'))
      .expect(403);
    expect(res.body.message).toMatch(/role warehouse may not/);
  });

  it('shows the order to its customer and its merchant, not to others', async () => {
    const mine = await request(svc.server)
      .get('/orders/o1')
      .set('Authorization', await svc.bearer('customer', 'c1'))
      .expect(200);
    expect(mine.body).toMatchObject({
      orderId: 'o1',
      state: 'AWAITING_SHIPMENT',
      lines: [{ unitPrice: 12900, quantity: 2 }],
    });
    await request(svc.server)
      .get('/orders/o1')
      .set('Authorization', await svc.bearer('merchant_agent', 'a1', 'm1'))
      .expect(200);
    await request(svc.server)
      .get('/orders/o1')
      .set('Authorization', await svc.bearer('customer', 'c2'))
      .expect(403);
    await request(svc.server)
      .get('/orders/o1')
      .set('Authorization', await svc.bearer('merchant_agent', 'a2', 'm2'))
      .expect(403);
  });

  it('answers an unknown order with 404 naming it', async () => {
    const res = await request(svc.server)
      .get('/orders/nope')
      .set('Authorization', await svc.bearer('platform_agent', 'p1'))
      .expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: 'order nope not found' });
    expect(res.headers['x-correlation-id']).toBe(res.body.correlationId);
  });
});

describe('order-service configuration', () => {
  const attempt = (env: Record<string, string>) => {
    try {
      OrderServiceModule.forRoot(env);
    } catch (e) {
      return (e as Error).message;
    }
    return 'started';
  };

  it('stops start-up with a message naming each bad variable', () => {
    const message = attempt({
      DATABASE_URL: 'mysql://x',
      AUTH_JWT_SECRET: 'short',
      UNPAID_ORDER_TIMEOUT_MINUTES: 'soon',
      DATABASE_POOL_SIZE: '0',
    });
    expect(message).toContain('DATABASE_URL must be a postgres:// connection string');
    expect(message).toContain('AUTH_JWT_SECRET must be at least 16 characters');
    expect(message).toContain('UNPAID_ORDER_TIMEOUT_MINUTES must be an integer number');
    expect(message).toContain('DATABASE_POOL_SIZE must not be less than 1');
  });

  it('names a missing variable', () => {
    expect(attempt({ AUTH_JWT_SECRET: 'a-long-enough-secret' })).toContain(
      'DATABASE_URL must be a postgres://',
    );
  });

  it('accepts a complete environment', () => {
    expect(
      attempt({ DATABASE_URL: 'postgres://u:p@h:5432/d', AUTH_JWT_SECRET: 'a-long-enough-secret' }),
    ).toBe('started');
  });
});
