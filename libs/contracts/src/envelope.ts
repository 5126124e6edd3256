import { ValidationError, type Actor } from '@aftersales/kernel';
import { CE, CLOUD_EVENTS_SPEC_VERSION, CloudEventHeaders, JSON_CONTENT_TYPE, encodeActor } from './headers';
import { eventDefinition, kafkaKeyOf, type EventDataMap, type EventType } from './registry';
import { checkPlain, type ValidationIssue } from './validation/validate';

/** One integration event: the CloudEvents attributes we use, and the typed data. */
export interface EventEnvelope<T extends EventType = EventType> {
  /** UUID; the idempotent inbox of every consumer is keyed by it. */
  id: string;
  type: T;
  schemaVersion: number;
  /** Producing service. */
  source: string;
  /** RFC 3339 timestamp of the fact. */
  occurredAt: string;
  correlationId: string;
  causationId?: string;
  actor: Actor;
  /** Id of the aggregate the event is about. */
  subjectId: string;
  data: EventDataMap[T];
}

/** Any registered event, discriminated by `type`: `switch (event.type)` narrows `event.data`. */
export type AnyEventEnvelope = { [T in EventType]: EventEnvelope<T> }[EventType];

export interface EnvelopeOptions {
  /** A fresh UUID, passed in like the clock so that tests and replays are deterministic. */
  id: string;
  occurredAt: Date | string;
  source: string;
  actor: Actor;
  /** Defaults to the event's own id: the event starts a new conversation. */
  correlationId?: string;
  causationId?: string;
  /** Defaults to the value of the event's key field (the ticket, order or merchant id). */
  subjectId?: string;
}

/** The envelope as CloudEvents headers; also how toKafkaMessage writes them. */
export function envelopeHeaders(envelope: EventEnvelope): Record<string, string> {
  const headers: Record<string, string> = {
    [CE.specVersion]: CLOUD_EVENTS_SPEC_VERSION,
    [CE.id]: envelope.id,
    [CE.type]: envelope.type,
    [CE.source]: envelope.source,
    [CE.time]: envelope.occurredAt,
    [CE.subject]: envelope.subjectId,
    [CE.schemaVersion]: String(envelope.schemaVersion),
    [CE.correlationId]: envelope.correlationId,
    [CE.actor]: encodeActor(envelope.actor),
    [CE.contentType]: JSON_CONTENT_TYPE,
  };
  if (envelope.causationId !== undefined) headers[CE.causationId] = envelope.causationId;
  return headers;
}

function fail(type: EventType, issues: ValidationIssue[]): never {
  throw new ValidationError(`${type}: ${issues.map((issue) => issue.message).join('; ')}`, issues[0]?.field, {
    issues,
  });
}

/**
 * Builds an event for publishing. `data` is checked against the type at compile time and against the
 * contract at run time, so a producer fails where the mistake is made (inside its own transaction)
 * instead of every consumer dead-lettering the message later.
 * @throws ValidationError naming the first failing field; `details.issues` lists all of them.
 */
export function createEnvelope<T extends EventType>(
  type: T,
  data: EventDataMap[T],
  options: EnvelopeOptions,
): EventEnvelope<T> {
  const definition = eventDefinition(type);
  const checked = checkPlain(definition.payload, data, 'data');
  if (!checked.ok) fail(type, checked.issues);
  const envelope: EventEnvelope<T> = {
    id: options.id,
    type,
    schemaVersion: definition.schemaVersion,
    source: options.source,
    occurredAt:
      typeof options.occurredAt === 'string' ? options.occurredAt : options.occurredAt.toISOString(),
    correlationId: options.correlationId ?? options.id,
    actor: options.actor,
    subjectId: options.subjectId ?? kafkaKeyOf(type, data),
    data,
  };
  if (options.causationId !== undefined) envelope.causationId = options.causationId;
  const headers = checkPlain(CloudEventHeaders, envelopeHeaders(envelope), 'headers');
  if (!headers.ok) fail(type, headers.issues);
  return envelope;
}
