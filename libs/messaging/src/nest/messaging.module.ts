import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type INestApplication,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import type { Admin, Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY, ReadinessChecks, ServiceConfig } from '@aftersales/service-kit';
import { CLOCK, type Clock } from '@aftersales/kernel';
import { createKafka, parseBrokers } from '../kafka/kafka-client';
import { OutboxRelay } from '../outbox/outbox-relay';
import { KafkaInboxTransport, type KafkaInboxOptions } from './kafka-inbox.transport';

export const KAFKA = Symbol('Kafka');
export const PG_POOL = Symbol('PgPool');

/** The pg Pool behind TypeORM's DataSource, so outbox, inbox and event store share its connections. */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  private admin?: Admin;
  readonly relay: OutboxRelay;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PG_POOL) pool: Pool,
    @Inject(METRICS_REGISTRY) registry: Registry,
    config: ServiceConfig,
    readiness: ReadinessChecks,
    health: HealthIndicatorService,
  ) {
    this.relay = new OutboxRelay({
      pool,
      kafka,
      listenUrl: config.DATABASE_URL,
      schema: config.DATABASE_SCHEMA,
      registry,
      coalesceMs: config.OUTBOX_COALESCE_MS,
      onError: (e) => this.logger.warn(`outbox relay: ${e.message}`),
    });
    // Kafka is reported, never a reason to be unready: with Kafka down the service still serves
    // its users and the outbox keeps what it must publish (outbox_backlog shows it growing).
    readiness.register(async () => {
      const indicator = health.check('kafka');
      try {
        this.admin ??= this.kafka.admin();
        await this.admin.connect();
        const cluster = await withTimeout(this.admin.describeCluster(), 2000);
        return indicator.up({ reachable: true, brokers: cluster.brokers.length });
      } catch (e) {
        return indicator.up({ reachable: false, message: (e as Error).message });
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.admin?.disconnect().catch(() => undefined);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer from Kafka within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Kafka for a service: the client (KAFKA_BROKERS), the outbox relay running for the life of the
 * application, and a readiness check. Consumers attach with `attachInbox` as a Nest microservice.
 */
@Module({})
export class MessagingModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [TerminusModule],
      providers: [
        {
          provide: KAFKA,
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) => {
            if (!config.KAFKA_BROKERS)
              throw new Error('KAFKA_BROKERS must be set: this service publishes to Kafka');
            const logger = new Logger('kafkajs');
            return createKafka(service, parseBrokers(config.KAFKA_BROKERS), {
              warn: (obj, msg) => logger.warn(`${msg} ${JSON.stringify(obj)}`),
              error: (obj, msg) => logger.error(`${msg} ${JSON.stringify(obj)}`),
            });
          },
        },
        { provide: PG_POOL, inject: [DataSource], useFactory: poolOf },
        MessagingLifecycle,
      ],
      exports: [KAFKA, PG_POOL],
    };
  }
}

/** Connects an idempotent-inbox consumer whose events go to the app's `@EventPattern` handlers. */
export function attachInbox<E extends { type: string }>(
  app: INestApplication,
  options: Omit<KafkaInboxOptions<E>, 'kafka' | 'pool' | 'registry' | 'clock'>,
): KafkaInboxTransport<E> {
  const logger = new Logger(`Inbox ${options.groupId}`);
  const transport = new KafkaInboxTransport<E>({
    ...options,
    kafka: app.get<Kafka>(KAFKA),
    pool: app.get<Pool>(PG_POOL),
    registry: app.get<Registry>(METRICS_REGISTRY),
    clock: app.get<Clock>(CLOCK),
    onError: (e, m) => logger.warn(m ? `${m.topic}/${m.partition}@${m.offset}: ${e.message}` : e.message),
  });
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  return transport;
}
