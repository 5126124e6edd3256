import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { toKafkaMessage } from '@aftersales/contracts';
import { EventStore, type SqlClient, type SqlExecutor, type StreamEvent } from '@aftersales/event-store';
import { CLOCK, NotFoundError, type Clock } from '@aftersales/kernel';
import { PG_POOL, outboxCtes } from '@aftersales/messaging';
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
  projectionCtes,
  readModelConflict,
  type RecordedTicketEvent,
} from '../infrastructure/read-models/ticket-read-models';
import { TICKET_EVENT_SCHEMA_VERSIONS } from '../infrastructure/ticket-upcasters';
import { toIntegrationEvents } from './integration/outbound';
import { ID_GENERATOR, type IdGenerator } from './ids';

export const TICKET_EVENT_STORE = Symbol('TicketEventStore');

export const TICKET_STREAM_PREFIX = 'ticket-';
export const streamIdOf = (ticketId: string) => `${TICKET_STREAM_PREFIX}${ticketId}`;

export interface ExecuteOptions {
  /** Run inside this transaction (an inbox handler's, the deadline poller's); own one otherwise. */
  tx?: SqlClient;
  correlationId?: string;
  causationId?: string;
  context?: DecideContext;
  /** Stored with the events (the Idempotency-Key of an application, for one). */
  metadata?: Record<string, unknown>;
  /** More CTEs for the command's statement, written only if the append happens (`guard`). */
  alsoWrite?: (param: (value: unknown, type: string) => string, guard: string) => string;
}

export interface ExecuteResult {
  ticket: Ticket;
  version: number;
  events: TicketEvent[];
}

/** The stored form of a domain event; metadata keeps actor and time next to tracing ids. */
export function toDomainEvent(recorded: StreamEvent): TicketEvent {
  const { actor, occurredAt } = recorded.metadata as unknown as TicketEvent['metadata'];
  return { type: recorded.type, data: recorded.data, metadata: { actor, occurredAt } } as TicketEvent;
}

/** A ticket's state from its stream's events, in version order. */
export function foldTicket(events: readonly StreamEvent[]): TicketState {
  let state = initialState;
  for (const e of events) state = evolve(state, toDomainEvent(e));
  return state;
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
    return {
      state: foldTicket(events),
      version: events.length === 0 ? 0 : events[events.length - 1].streamVersion,
    };
  }

  /**
   * Runs a command. Without `tx` it takes two round trips and no explicit transaction: one read of
   * the stream, then one statement that appends at the expected version and, in the same
   * statement, writes the read models and the outbox rows (atomic as any single statement is).
   */
  async execute(
    ticketId: string,
    command: TicketCommand,
    options: ExecuteOptions = {},
  ): Promise<ExecuteResult | null> {
    const db: SqlExecutor = options.tx ?? this.pool;
    // A new ticket's stream is empty by construction (its id was just minted); the 'no-stream'
    // append below still refuses one that is not.
    const { state, version } =
      command.type === 'ApplyForAfterSales'
        ? { state: initialState, version: 0 }
        : await this.load(ticketId, db);
    if (state.status === 'NONE' && command.type !== 'ApplyForAfterSales') {
      throw new NotFoundError(`ticket ${ticketId} not found`, { ticketId });
    }
    const events = decide(command, state, options.context);
    if (events.length === 0) return state.status === 'NONE' ? null : { ticket: state, version, events };

    const recorded: RecordedTicketEvent[] = [];
    let current = state;
    events.forEach((event, i) => {
      const after = evolve(current, event);
      recorded.push({ event, before: current, after, streamVersion: version + i + 1 });
      current = after;
    });
    if (current.status === 'NONE') throw new Error(`ticket ${ticketId} has no state after ${command.type}`);
    // The same ids go on the stored events and on the messages they publish.
    const tracing = {
      ...(options.correlationId ? { correlationId: options.correlationId } : {}),
      ...(options.causationId ? { causationId: options.causationId } : {}),
    };
    const messages = toIntegrationEvents(recorded, {
      newId: () => this.ids.newId(),
      source: 'after-sales-service',
      ...tracing,
    }).map((envelope) => {
      const message = toKafkaMessage(envelope);
      return {
        id: envelope.id,
        topic: message.topic,
        key: message.key,
        value: message.value,
        headers: message.headers,
      };
    });

    const guard = 'EXISTS (SELECT 1 FROM appended)';
    try {
      await this.store.append(
        streamIdOf(ticketId),
        version === 0 ? 'no-stream' : version,
        events.map((e) => ({
          type: e.type,
          schemaVersion: TICKET_EVENT_SCHEMA_VERSIONS[e.type] ?? 1,
          data: e.data,
          metadata: {
            ...e.metadata,
            ...options.metadata,
            ...tracing,
          },
        })),
        {
          inTransaction: db,
          followedBy: {
            build: (param) => {
              const outbox = outboxCtes(messages, param, guard);
              const extra = options.alsoWrite?.(param, guard);
              return {
                ctes: [projectionCtes(recorded, param, guard), outbox.ctes, ...(extra ? [extra] : [])].join(
                  ',\n',
                ),
                select: outbox.select,
              };
            },
          },
        },
      );
    } catch (e) {
      throw readModelConflict(e, current.orderId) ?? e;
    }
    this.store.notifyAppended(streamIdOf(ticketId));
    return { ticket: current, version: version + events.length, events };
  }

  now(): Date {
    return this.clock.now();
  }
}
