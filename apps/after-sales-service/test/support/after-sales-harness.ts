import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Kafka, Producer, Consumer } from 'kafkajs';
import {
  createEnvelope,
  deadLetterTopic,
  EVENT_REGISTRY,
  parseKafkaMessage,
  toKafkaMessage,
  type AnyEventEnvelope,
  type EventDataMap,
  type EventType,
} from '@aftersales/contracts';
import { DAY, ManualClock, type Actor, type Role } from '@aftersales/kernel';
import type { Pool } from 'pg';
import { PG_POOL, createKafka } from '@aftersales/messaging';
import {
  startTestKafka,
  startTestService,
  waitUntil,
  type TestKafka,
  type TestService,
} from '@aftersales/testing';
import { AfterSalesServiceModule, attachAfterSalesConsumer } from '../../src/after-sales-service.module';
import { DeadlinePoller } from '../../src/application/deadline-poller';

export const MERCHANT = 'm-100';
export const CUSTOMER = 'c-200';
export const AGENT: Actor = { role: 'merchant_agent', id: 'agent-1', merchantId: MERCHANT };
export const RETURN_ADDRESS = {
  recipient: 'Returns desk',
  phone: '021-5555-0100',
  address: 'Warehouse 3, Songjiang, Shanghai',
};

export interface OrderInput {
  orderId?: string;
  status: 'PENDING_PAYMENT' | 'AWAITING_SHIPMENT' | 'SHIPPED' | 'COMPLETED' | 'CLOSED';
  lines?: {
    lineId: string;
    sku: string;
    title: string;
    category: string;
    unitPrice: number;
    quantity: number;
  }[];
  couponDiscount?: number;
  promotionDiscount?: number;
  coinsDeduction?: number;
  shippingFee?: number;
  paidAt?: string | null;
  completedAt?: string | null;
}

/**
 * The after-sales service in-process over real PostgreSQL and a real Kafka protocol broker, with
 * a manual clock, a producer to play the other services and a collector of what it publishes.
 */
export class AfterSalesHarness {
  readonly clock = new ManualClock('2026-11-25T08:00:00.000Z');
  svc!: TestService;
  kafkaServer!: TestKafka;
  kafka!: Kafka;
  private producer!: Producer;
  private collector!: Consumer;
  readonly published: AnyEventEnvelope[] = [];
  private revisions = new Map<string, number>();

  async start(): Promise<this> {
    this.kafkaServer = await startTestKafka();
    this.kafka = createKafka('after-sales-test', this.kafkaServer.brokers);
    this.producer = this.kafka.producer();
    await this.producer.connect();
    this.collector = this.kafka.consumer({ groupId: `collector-${randomUUID()}`, maxWaitTimeInMs: 50 });
    await this.collector.connect();
    await this.collector.subscribe({
      topics: ['after-sales.events', 'warehouse.tasks'],
      fromBeginning: true,
    });
    await this.collector.run({
      eachMessage: async ({ message }) => {
        const parsed = parseKafkaMessage(message);
        if (parsed.ok) this.published.push(parsed.event);
        else throw new Error(`after-sales published an invalid message: ${parsed.error.message}`);
      },
    });
    let consumer: { ready(): Promise<void> } | undefined;
    this.svc = await startTestService(
      (env) =>
        AfterSalesServiceModule.forRoot({
          env: {
            ...env,
            DATABASE_SCHEMA: 'after_sales',
            KAFKA_BROKERS: this.kafkaServer.brokers.join(','),
            DEADLINE_POLL_INTERVAL_MS: '0',
          },
          clock: this.clock,
        }),
      {},
      {
        beforeInit: (app) => {
          consumer = attachAfterSalesConsumer(app);
        },
      },
    );
    await consumer?.ready();
    return this;
  }

  async stop(): Promise<void> {
    await this.svc?.close();
    await this.collector?.disconnect();
    await this.producer?.disconnect();
    await this.kafkaServer?.stop();
  }

  http() {
    return request(this.svc.server);
  }

  bearer(role: Role, id: string, merchantId?: string): Promise<string> {
    return this.svc.bearer(role, id, merchantId);
  }

  customer() {
    return this.bearer('customer', CUSTOMER);
  }

  agent() {
    return this.bearer('merchant_agent', AGENT.id, MERCHANT);
  }

  /** Plays another service: publishes a contract event as it would. */
  async publish<T extends EventType>(
    type: T,
    data: EventDataMap[T],
    actor: Actor,
  ): Promise<AnyEventEnvelope> {
    const envelope = createEnvelope(type, data, {
      id: randomUUID(),
      occurredAt: this.clock.now(),
      source:
        actor.role === 'warehouse'
          ? 'warehouse-adapter'
          : actor.role === 'finance'
            ? 'refund-service'
            : 'order-service',
      actor,
    });
    const m = toKafkaMessage(envelope);
    await this.producer.send({
      topic: m.topic,
      messages: [{ key: m.key, value: m.value, headers: m.headers }],
    });
    return envelope as AnyEventEnvelope;
  }

  /** The order service reports the order; resolves when after-sales has stored this revision. */
  async order(input: OrderInput): Promise<string> {
    const orderId = input.orderId ?? `o-${randomUUID().slice(0, 8)}`;
    const revision = (this.revisions.get(orderId) ?? 0) + 1;
    this.revisions.set(orderId, revision);
    const now = this.clock.now().toISOString();
    const paid = input.status !== 'PENDING_PAYMENT';
    await this.publish(
      'order-status-changed',
      {
        orderId,
        revision,
        to: input.status,
        changedAt: now,
        order: {
          orderId,
          merchantId: MERCHANT,
          customerId: CUSTOMER,
          status: input.status,
          lines: input.lines ?? [
            {
              lineId: 'L1',
              sku: 'SKU-KETTLE',
              title: 'Electric kettle',
              category: 'home-appliances',
              unitPrice: 12900,
              quantity: 2,
            },
            { lineId: 'L2', sku: 'SKU-MUG', title: 'Mug', category: 'home', unitPrice: 3500, quantity: 1 },
          ],
          couponDiscount: input.couponDiscount ?? 0,
          promotionDiscount: input.promotionDiscount ?? 0,
          coinsDeduction: input.coinsDeduction ?? 0,
          shippingFee: input.shippingFee ?? 1000,
          platformSubsidy: 0,
          paymentNo: `PAY-${orderId}`,
          placedAt: now,
          // Paid two days ago unless said otherwise: outside the refund auto-approval window.
          ...(paid
            ? { paidAt: input.paidAt ?? new Date(this.clock.now().getTime() - 2 * DAY).toISOString() }
            : {}),
          ...(input.status === 'SHIPPED' || input.status === 'COMPLETED' ? { shippedAt: now } : {}),
          ...(input.status === 'COMPLETED' ? { completedAt: input.completedAt ?? now } : {}),
        },
      } as EventDataMap['order-status-changed'],
      { role: 'system', id: 'order-service' },
    );
    await this.until(async () => {
      const { rows } = await this.svc.app
        .get<Pool>(PG_POOL)
        .query(`SELECT revision FROM after_sales.orders WHERE order_id = $1`, [orderId]);
      return rows[0]?.revision === revision;
    }, `order ${orderId} revision ${revision} to reach after-sales`);
    return orderId;
  }

  async apply(body: Record<string, unknown>, headers: Record<string, string> = {}) {
    return this.http()
      .post('/tickets')
      .set('Authorization', await this.customer())
      .set(headers)
      .send(body);
  }

  async command(ticketId: string, path: string, body: Record<string, unknown>, auth?: string) {
    return this.http()
      .post(`/tickets/${ticketId}/${path}`)
      .set('Authorization', auth ?? (await this.agent()))
      .send(body);
  }

  async ticket(ticketId: string) {
    const res = await this.http()
      .get(`/tickets/${ticketId}`)
      .set('Authorization', await this.bearer('platform_agent', 'p-1'));
    return res.body as { status: string; [k: string]: unknown };
  }

  async waitForStatus(ticketId: string, status: string): Promise<Record<string, unknown>> {
    let last = '';
    await this.until(async () => {
      last = (await this.ticket(ticketId)).status;
      return last === status;
    }, `ticket ${ticketId} to reach ${status} (last seen ${last})`);
    return this.ticket(ticketId);
  }

  async timeline(ticketId: string) {
    const res = await this.http()
      .get(`/tickets/${ticketId}/timeline`)
      .set('Authorization', await this.bearer('platform_agent', 'p-1'))
      .expect(200);
    return res.body as {
      eventType: string;
      fromStatus: string | null;
      toStatus: string | null;
      title: string;
      detail: string;
      actor: { role: string; id: string };
    }[];
  }

  /** What after-sales published about one ticket on one topic, in order. */
  publishedOn(ticketId: string, topic: 'after-sales.events' | 'warehouse.tasks'): string[] {
    return this.published
      .filter((e) => isAbout(e, ticketId) && EVENT_REGISTRY[e.type].topic === topic)
      .map((e) => e.type);
  }

  /** What after-sales published about one ticket (across topics, so only per topic in order); waits until `count` arrived. */
  async publishedFor(ticketId: string, count: number): Promise<string[]> {
    await this.until(
      async () => this.published.filter((e) => isAbout(e, ticketId)).length >= count,
      `${count} events about ticket ${ticketId}`,
    );
    return this.published.filter((e) => isAbout(e, ticketId)).map((e) => e.type);
  }

  /** Waits until after-sales has published a `type` event about the ticket, and returns it. */
  async awaitEvent<T extends EventType>(
    ticketId: string,
    type: T,
  ): Promise<Extract<AnyEventEnvelope, { type: T }>> {
    await this.until(
      async () => this.published.some((e) => e.type === type && isAbout(e, ticketId)),
      `${type} of ${ticketId}`,
    );
    return this.eventOf(ticketId, type);
  }

  eventOf<T extends EventType>(ticketId: string, type: T): Extract<AnyEventEnvelope, { type: T }> {
    const e = this.published.find((p) => p.type === type && isAbout(p, ticketId));
    if (!e) throw new Error(`no ${type} published for ticket ${ticketId}`);
    return e as Extract<AnyEventEnvelope, { type: T }>;
  }

  /** Whether the after-sales inbox has handled (and committed) this event id. */
  async inboxHas(eventId: string): Promise<boolean> {
    const { rows } = await this.svc.app
      .get<Pool>(PG_POOL)
      .query(`SELECT 1 FROM after_sales.inbox WHERE event_id = $1`, [eventId]);
    return rows.length === 1;
  }

  /** The headers of the dead letter after-sales wrote for this event id; waits until it is there. */
  async deadLetterOf(eventId: string): Promise<Record<string, string>> {
    const consumer = this.kafka.consumer({ groupId: `dlq-reader-${randomUUID()}`, maxWaitTimeInMs: 50 });
    let found: Record<string, string> | undefined;
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: deadLetterTopic('after-sales-service'), fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
          );
          if (headers['ce_id'] === eventId) found = headers;
        },
      });
      await this.until(async () => found !== undefined, `the dead letter of ${eventId}`, 30_000);
    } finally {
      await consumer.disconnect();
    }
    return found as Record<string, string>;
  }

  async fireDeadlines(): Promise<number> {
    return this.svc.app.get(DeadlinePoller).fireDue();
  }

  until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
    return waitUntil(check, what, { timeoutMs, intervalMs: 25 });
  }
}

function isAbout(e: AnyEventEnvelope, ticketId: string): boolean {
  return e.subjectId === ticketId || (e.data as { ticketId?: string }).ticketId === ticketId;
}
