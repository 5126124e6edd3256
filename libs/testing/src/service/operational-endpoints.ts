import request from 'supertest';
import { Client } from 'pg';
import type { TestService } from './test-service';

/**
 * The checks every service passes from its first commit: migrations ran into its own schema,
 * health, metrics and OpenAPI answer without a token, and other routes need one.
 */
export function itServesOperationalEndpoints(
  get: () => TestService,
  expected: { schema: string; migrations: string[]; protectedPath: string },
): void {
  it(`ran its migrations into schema ${expected.schema} on start-up`, async () => {
    const c = new Client({ connectionString: get().db.url });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT name FROM "${expected.schema}".migrations ORDER BY id`);
      expect(rows.map((r: { name: string }) => r.name)).toEqual(expected.migrations);
    } finally {
      await c.end();
    }
  });

  it('answers /health/live, /health/ready, /metrics and /docs without a token', async () => {
    const server = get().server;
    await request(server).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(server).get('/health/ready').expect(200);
    expect(ready.body.info.database.status).toBe('up');
    const metrics = await request(server).get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toContain('process_resident_memory_bytes');
    await request(server).get('/docs').expect(200);
    const docs = await request(server).get('/docs-json').expect(200);
    expect(docs.body.openapi).toMatch(/^3\./);
  });

  it("refuses a protected route without a token (401, platform error shape, the caller's correlation id)", async () => {
    const res = await request(get().server)
      .get(expected.protectedPath)
      .set('x-correlation-id', 'corr-401')
      .expect(401);
    expect(res.headers['x-correlation-id']).toBe('corr-401');
    expect(res.body).toMatchObject({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      path: expected.protectedPath,
      correlationId: 'corr-401',
    });
  });

  it('counts requests by method, matched route pattern and status, and unknown paths as unmatched', async () => {
    const server = get().server;
    await request(server)
      .get('/me')
      .set('Authorization', await get().bearer('customer', 'c-metrics'))
      .expect(200);
    await request(server).get('/no-such-route/123').expect(404);
    const metrics = (await request(server).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*method="GET",route="\/me",status="200"/,
    );
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{[^}]*method="GET",route="unmatched",status="404"/,
    );
    expect(metrics).not.toContain('no-such-route');
  });

  it('tells a caller with a valid token who it is (GET /me)', async () => {
    const res = await request(get().server)
      .get('/me')
      .set('Authorization', await get().bearer('merchant_agent', 'agent-7', 'm-42'))
      .expect(200);
    expect(res.body).toEqual({ role: 'merchant_agent', id: 'agent-7', merchantId: 'm-42' });
  });
}
