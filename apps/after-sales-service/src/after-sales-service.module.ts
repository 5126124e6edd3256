import { DynamicModule, Module, type INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import { parseKafkaMessage, type AnyEventEnvelope } from '@aftersales/contracts';
import { EventStore } from '@aftersales/event-store';
import { CLOCK, type Clock } from '@aftersales/kernel';
import {
  MessagingModule,
  PG_POOL,
  attachInbox,
  type KafkaInboxTransport,
  type ParseResult,
  type RawMessage,
} from '@aftersales/messaging';
import { ServiceKitModule } from '@aftersales/service-kit';
import { AfterSalesServiceConfig } from './after-sales-service.config';
import { AfterSalesMessagesController } from './api/after-sales.messages.controller';
import { MerchantPolicyHttpController } from './api/merchant-policy.http.controller';
import { TicketCommandsHttpController } from './api/ticket-commands.http.controller';
import { TicketQueriesHttpController } from './api/ticket-queries.http.controller';
import { ApplyForAfterSalesUseCase } from './application/apply-for-after-sales';
import { DeadlinePoller } from './application/deadline-poller';
import { ID_GENERATOR, uuidGenerator } from './application/ids';
import { TICKET_EVENT_STORE, TicketCommandHandler } from './application/ticket-command.handler';
import { CreateMerchantPolicies1764000000000 } from './infrastructure/migrations/1764000000000-create-merchant-policies';
import { CreateTicketStore1764000100000 } from './infrastructure/migrations/1764000100000-create-ticket-store';
import { ticketUpcasters } from './infrastructure/ticket-upcasters';
import { TicketStateAsJson1764000200000 } from './infrastructure/migrations/1764000200000-ticket-state-as-json';
import { InboxPruningIndex1764000300000 } from './infrastructure/migrations/1764000300000-inbox-pruning-index';
import { EventsAsJson1764000400000 } from './infrastructure/migrations/1764000400000-events-as-json';
import { TicketStateAsText1764000500000 } from './infrastructure/migrations/1764000500000-ticket-state-as-text';
import { TicketRowWithoutState1764000600000 } from './infrastructure/migrations/1764000600000-ticket-row-without-state';
import { TimelineFromStream1764000700000 } from './infrastructure/migrations/1764000700000-timeline-from-stream';
import { PolicyWithoutFinanceThreshold1764000800000 } from './infrastructure/migrations/1764000800000-policy-without-finance-threshold';

export const SERVICE_NAME = 'after-sales-service';

export interface AfterSalesServiceOptions {
  env?: Record<string, string | undefined>;
  /** Tests move time with a ManualClock. */
  clock?: Clock;
}

@Module({})
export class AfterSalesServiceModule {
  static forRoot(options: AfterSalesServiceOptions = {}): DynamicModule {
    const { env = process.env, clock } = options;
    return {
      module: AfterSalesServiceModule,
      imports: [
        ServiceKitModule.forRoot({
          service: SERVICE_NAME,
          configClass: AfterSalesServiceConfig,
          entities: [],
          migrations: [
            CreateMerchantPolicies1764000000000,
            CreateTicketStore1764000100000,
            TicketStateAsJson1764000200000,
            InboxPruningIndex1764000300000,
            EventsAsJson1764000400000,
            TicketStateAsText1764000500000,
            TicketRowWithoutState1764000600000,
            TimelineFromStream1764000700000,
            PolicyWithoutFinanceThreshold1764000800000,
          ],
          env,
          ...(clock ? { clock } : {}),
        }),
        MessagingModule.forRoot(SERVICE_NAME),
      ],
      controllers: [
        TicketCommandsHttpController,
        TicketQueriesHttpController,
        MerchantPolicyHttpController,
        AfterSalesMessagesController,
      ],
      providers: [
        { provide: ID_GENERATOR, useValue: uuidGenerator },
        {
          provide: TICKET_EVENT_STORE,
          inject: [PG_POOL, AfterSalesServiceConfig, CLOCK],
          useFactory: (pool: Pool, config: AfterSalesServiceConfig, c: Clock) =>
            new EventStore(pool, { schema: config.DATABASE_SCHEMA, clock: c, upcasters: ticketUpcasters() }),
        },
        TicketCommandHandler,
        ApplyForAfterSalesUseCase,
        DeadlinePoller,
      ],
    };
  }
}

function parseEnvelope(message: RawMessage): ParseResult<AnyEventEnvelope> {
  const parsed = parseKafkaMessage({ key: message.key, value: message.value, headers: message.headers });
  if (!parsed.ok) return { ok: false, error: `${parsed.error.reason}: ${parsed.error.message}` };
  return { ok: true, id: parsed.event.id, type: parsed.event.type, event: parsed.event };
}

/** The Kafka consumer of after-sales: order facts, warehouse results and refund results. */
export function attachAfterSalesConsumer(app: INestApplication): KafkaInboxTransport<AnyEventEnvelope> {
  return attachInbox<AnyEventEnvelope>(app, {
    groupId: SERVICE_NAME,
    topics: ['order.events', 'warehouse.events', 'refund.events'],
    parse: parseEnvelope,
  });
}
