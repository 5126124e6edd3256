// `npm run bench:after-sales`: 32 concurrent clients apply for and approve tickets over HTTP against
// the after-sales service on embedded PostgreSQL and the embedded Kafka broker (or DATABASE_URL /
// KAFKA_BROKERS), then the read models are rebuilt from the log.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { mintToken } from '@aftersales/auth';
import type { EventStore } from '@aftersales/event-store';
import { PG_POOL } from '@aftersales/messaging';
import { createServiceApp } from '@aftersales/service-kit';
import { createTestDatabase, startTestKafka, TEST_JWT_SECRET, startSharedPostgres } from '@aftersales/testing';
import { AfterSalesServiceModule, attachAfterSalesConsumer } from '../src/after-sales-service.module';
import { rebuildReadModels } from '../src/application/rebuild-read-models';
import { TICKET_EVENT_STORE } from '../src/application/ticket-command.handler';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 6000);
const MERCHANT = 'm-bench';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const pg = await startSharedPostgres();
  process.env.DATABASE_URL = pg.url;
  const db = await createTestDatabase('bench_after_sales');
  const kafka = await startTestKafka();
  const app = await createServiceApp(
    AfterSalesServiceModule.forRoot({
      env: {
        DATABASE_URL: db.url,
        DATABASE_SCHEMA: 'after_sales',
        KAFKA_BROKERS: kafka.brokers.join(','),
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'production',
        DEADLINE_POLL_INTERVAL_MS: '0',
      },
    }),
    { title: 'bench', quiet: true },
  );
  attachAfterSalesConsumer(app);
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const pool = app.get<Pool>(PG_POOL);

  // Orders arrive from the order service; seeding the projection directly keeps the bench on tickets.
  const now = new Date();
  const orders = Array.from({ length: TICKETS }, (_, i) => ({
    orderId: `o-${i}`,
    merchantId: MERCHANT,
    customerId: `c-${i % 500}`,
    state: 'SHIPPED',
    paidAt: now.toISOString(),
    completedAt: null,
    paymentNo: `PAY-${i}`,
    lines: [{ lineId: 'L1', sku: 'SKU-1', title: 'Kettle', category: 'home', unitPrice: 12900, quantity: 1 }],
    couponDiscount: 500,
    promotionDiscount: 0,
    coinsDeduction: 100,
    shippingFee: 1000,
    platformSubsidy: 0,
  }));
  for (let i = 0; i < orders.length; i += 1000) {
    const chunk = orders.slice(i, i + 1000);
    await pool.query(
      `INSERT INTO orders (order_id, revision, snapshot, updated_at) SELECT o, 1, s, now() FROM unnest($1::text[], $2::jsonb[]) AS t(o, s)`,
      [chunk.map((o) => o.orderId), chunk.map((o) => JSON.stringify(o))],
    );
  }
  const agent = `Bearer ${await mintToken({ role: 'merchant_agent', id: 'a-1', merchantId: MERCHANT, secret: TEST_JWT_SECRET })}`;
  const customers = new Map<string, string>();
  for (let c = 0; c < 500; c++) {
    customers.set(
      `c-${c}`,
      `Bearer ${await mintToken({ role: 'customer', id: `c-${c}`, secret: TEST_JWT_SECRET })}`,
    );
  }

  const latencies: number[] = [];
  let failures = 0;
  const call = async (path: string, auth: string, body: unknown): Promise<{ ticketId?: string } | null> => {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { ticketId?: string };
    latencies.push(performance.now() - t0);
    if (res.status >= 300) {
      failures++;
      return null;
    }
    return json;
  };

  /** `clients` loops apply for and approve tickets on orders [from, to). */
  const runClients = async (clients: number, from: number, to: number) => {
    let next = from;
    const client = async () => {
      while (next < to) {
        const order = orders[next++];
        const ticket = await call('/tickets', customers.get(order.customerId) ?? '', {
          orderId: order.orderId,
          type: 'REFUND_ONLY',
          lines: [{ lineId: 'L1', quantity: 1 }],
          reasonCode: 'DAMAGED',
        });
        if (ticket?.ticketId) await call(`/tickets/${ticket.ticketId}/approve`, agent, { note: 'ok' });
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
  };

  // Warm-up (JIT, connection pools, Kafka metadata) on orders the measured run does not use.
  const warmup = Math.min(200, Math.floor(TICKETS / 10));
  const measured = TICKETS - warmup;
  await runClients(8, measured, TICKETS);
  latencies.length = 0;
  failures = 0;
  const t0 = performance.now();
  await runClients(CLIENTS, 0, measured);
  const seconds = (performance.now() - t0) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);

  console.log(
    `after-sales over HTTP: ${CLIENTS} clients, ${measured} tickets applied + approved (embedded PostgreSQL: ${pg.embedded}, embedded Kafka: ${!!kafka.embedded})`,
  );
  console.log(
    `commands: ${latencies.length} in ${seconds.toFixed(2)} s = ${Math.round(latencies.length / seconds)} commands/s, ` +
      `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, failures ${failures}`,
  );

  const report = await rebuildReadModels(pool, app.get<EventStore>(TICKET_EVENT_STORE));
  console.log(
    `rebuild: ${report.events} events, ${report.tickets} tickets in ${report.seconds.toFixed(2)} s = ${report.eventsPerSecond} events/s`,
  );

  await app.close();
  await kafka.stop();
  await db.drop();
  await pg.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
