import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { toKafkaMessage } from '@aftersales/contracts';
import {
  EventStore,
  withTransaction,
  type RecordedEvent,
  type SqlClient,
  type SqlExecutor,
} from '@aftersales/event-store';
import { CLOCK, NotFoundError, type Clock } from '@aftersales/kernel';
import { PG_POOL, addToOutbox } from '@aftersales/messaging';
import {
  decide,
  evolve,
  initialState,
  type DecideContext,
  type Ticket,
  type TicketCommand,
  type TicketEvent,
  type TicketState,
} from '../domain';
import {
  projectTicketEvents,
  type RecordedTicketEvent,
} from '../infrastructure/read-models/ticket-read-models';
import { toIntegrationEvents } from './integration/outbound';
import { ID_GENERATOR, type IdGenerator } from './ids';

export const TICKET_EVENT_STORE = Symbol('TicketEventStore');

export const streamIdOf = (ticketId: string) => `ticket-${ticketId}`;

export interface ExecuteOptions {
  /** Run inside this transaction (an inbox handler's, the deadline poller's); own one otherwise. */
  tx?: SqlClient;
  correlationId?: string;
  causationId?: string;
  context?: DecideContext;
  /** Stored with the events (the Idempotency-Key of an application, for one). */
  metadata?: Record<string, unknown>;
}

export interface ExecuteResult {
  ticket: Ticket;
  version: number;
  events: TicketEvent[];
}

/** The stored form of a domain event; metadata keeps actor and time next to tracing ids. */
export function toDomainEvent(recorded: RecordedEvent): TicketEvent {
  const { actor, occurredAt } = recorded.metadata as unknown as TicketEvent['metadata'];
  return { type: recorded.type, data: recorded.data, metadata: { actor, occurredAt } } as TicketEvent;
}

/**
 * The one path every ticket command takes, from HTTP, Kafka or the deadline poller: fold the
 * stream, decide, append at the expected version, project the read models and add the integration
 * events to the outbox, all in one transaction. A concurrent command on the same ticket loses
 * with a ConcurrencyError (HTTP 409) and changes nothing.
 */
@Injectable()
export class TicketCommandHandler {
  constructor(
    @Inject(TICKET_EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async load(ticketId: string, executor?: SqlExecutor): Promise<{ state: TicketState; version: number }> {
    const events = await this.store.readStream(streamIdOf(ticketId), executor ? { executor } : {});
    let state = initialState;
    for (const e of events) state = evolve(state, toDomainEvent(e));
    return { state, version: events.length === 0 ? 0 : events[events.length - 1].streamVersion };
  }

  async execute(
    ticketId: string,
    command: TicketCommand,
    options: ExecuteOptions = {},
  ): Promise<ExecuteResult | null> {
    const run = (tx: SqlClient) => this.executeIn(tx, ticketId, command, options);
    return options.tx ? run(options.tx) : withTransaction(this.pool, run);
  }

  private async executeIn(
    tx: SqlClient,
    ticketId: string,
    command: TicketCommand,
    options: ExecuteOptions,
  ): Promise<ExecuteResult | null> {
    // A new ticket's stream is empty by construction (its id was just minted); the 'no-stream'
    // append below still refuses one that is not.
    const { state, version } =
      command.type === 'ApplyForAfterSales'
        ? { state: initialState, version: 0 }
        : await this.load(ticketId, tx);
    if (state.status === 'NONE' && command.type !== 'ApplyForAfterSales') {
      throw new NotFoundError(`ticket ${ticketId} not found`, { ticketId });
    }
    const events = decide(command, state, options.context);
    if (events.length === 0) return state.status === 'NONE' ? null : { ticket: state, version, events };

    await this.store.append(
      streamIdOf(ticketId),
      version === 0 ? 'no-stream' : version,
      events.map((e) => ({
        type: e.type,
        data: e.data,
        metadata: {
          ...e.metadata,
          ...options.metadata,
          ...(options.correlationId ? { correlationId: options.correlationId } : {}),
          ...(options.causationId ? { causationId: options.causationId } : {}),
        },
      })),
      { inTransaction: tx },
    );

    const recorded: RecordedTicketEvent[] = [];
    let current = state;
    events.forEach((event, i) => {
      const after = evolve(current, event);
      recorded.push({ event, before: current, after, streamVersion: version + i + 1 });
      current = after;
    });
    await projectTicketEvents(tx, recorded);

    const envelopes = toIntegrationEvents(recorded, {
      newId: () => this.ids.newId(),
      source: 'after-sales-service',
      ...(options.correlationId ? { correlationId: options.correlationId } : {}),
      ...(options.causationId ? { causationId: options.causationId } : {}),
    });
    await addToOutbox(
      tx,
      envelopes.map((envelope) => {
        const message = toKafkaMessage(envelope);
        return {
          id: envelope.id,
          topic: message.topic,
          key: message.key,
          value: message.value,
          headers: message.headers,
        };
      }),
    );
    this.store.notifyAppended(streamIdOf(ticketId));
    if (current.status === 'NONE') throw new Error(`ticket ${ticketId} has no state after ${command.type}`);
    return { ticket: current, version: version + events.length, events };
  }

  now(): Date {
    return this.clock.now();
  }
}
