import { envelopeHeaders, type AnyEventEnvelope, type EventEnvelope } from './envelope';
import { CE, CloudEventHeaders, HEADER_NAMES, decodeActor } from './headers';
import { EVENT_REGISTRY, eventDefinition, isEventType, kafkaKeyOf, type EventType } from './registry';
import type { TopicName } from './topics';
import { requiredProperties } from './validation/metadata';
import { validatePlain, type ValidationIssue } from './validation/validate';

/** What a producer hands to Kafka (kafkajs accepts it as is). */
export interface OutgoingKafkaMessage {
  topic: TopicName;
  key: string;
  value: string;
  headers: Record<string, string>;
}

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** What a consumer gets from Kafka; kafkajs' KafkaMessage fits it. */
export interface IncomingKafkaMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, HeaderValue>;
}

export type ParseFailureReason =
  | 'missing-header'
  | 'invalid-header'
  | 'unknown-type'
  | 'unsupported-version'
  | 'missing-value'
  | 'invalid-json'
  | 'invalid-payload'
  | 'key-mismatch';

export interface ParseFailure {
  reason: ParseFailureReason;
  /** First failing field, as a path: `headers.ce_time`, `data.lines[0].quantity`, `key`. */
  field?: string;
  message: string;
  /** Every failing field when there is more than one. */
  issues?: ValidationIssue[];
  /** Set when the headers got that far: helps whoever reads the dead-letter topic. */
  type?: string;
  eventId?: string;
}

export type ParseResult = { ok: true; event: AnyEventEnvelope } | { ok: false; error: ParseFailure };

export function toKafkaMessage<T extends EventType>(envelope: EventEnvelope<T>): OutgoingKafkaMessage {
  return {
    topic: EVENT_REGISTRY[envelope.type].topic,
    key: kafkaKeyOf(envelope.type, envelope.data),
    value: JSON.stringify(envelope.data),
    headers: envelopeHeaders(envelope),
  };
}

const text = (value: Buffer | string): string => (typeof value === 'string' ? value : value.toString('utf8'));

/** Only our headers are read; tracing and broker headers others add are none of the contract's business. */
function readHeaders(
  raw: Record<string, HeaderValue>,
): { headers: Record<string, string> } | { error: ParseFailure } {
  const headers: Record<string, string> = {};
  for (const name of HEADER_NAMES) {
    const value = raw[name];
    if (value === undefined) continue;
    const values = (Array.isArray(value) ? value : [value]).map(text);
    if (new Set(values).size > 1) {
      return {
        error: {
          reason: 'invalid-header',
          field: `headers.${name}`,
          message: `header ${name} is repeated with different values`,
        },
      };
    }
    if (values.length > 0) headers[name] = values[0] as string;
  }
  return { headers };
}

const REQUIRED_HEADERS = requiredProperties(CloudEventHeaders);

const failure = (error: ParseFailure): ParseResult => ({ ok: false, error });

const issuesFailure = (
  reason: ParseFailureReason,
  issues: ValidationIssue[],
  context: Partial<ParseFailure>,
): ParseResult =>
  failure({
    ...context,
    reason,
    field: issues[0]?.field,
    message: issues.map((issue) => issue.message).join('; '),
    issues,
  });

/**
 * Reads and validates one Kafka message: headers, type, schema version, JSON body, payload rules and key.
 * Never throws; a failure names the reason and the field so the consumer can dead-letter it with a
 * message a human can act on.
 */
export function parseKafkaMessage(message: IncomingKafkaMessage): ParseResult {
  const read = readHeaders(message.headers ?? {});
  if ('error' in read) return failure(read.error);
  const { headers } = read;

  const missing = REQUIRED_HEADERS.filter((name) => headers[name] === undefined);
  if (missing.length > 0) {
    return issuesFailure(
      'missing-header',
      missing.map((name) => ({ field: `headers.${name}`, message: `header ${name} is missing` })),
      { type: headers[CE.type], eventId: headers[CE.id] },
    );
  }
  const type = headers[CE.type] as string;
  const context = { type, eventId: headers[CE.id] };
  if (!isEventType(type)) {
    return failure({
      ...context,
      reason: 'unknown-type',
      field: `headers.${CE.type}`,
      message: `unknown event type "${type}"`,
    });
  }
  const definition = eventDefinition(type);
  const version = headers[CE.schemaVersion] as string;
  if (/^[1-9][0-9]*$/.test(version) && Number(version) !== definition.schemaVersion) {
    return failure({
      ...context,
      reason: 'unsupported-version',
      field: `headers.${CE.schemaVersion}`,
      message: `${type} schema version ${version} is not supported (supported: ${definition.schemaVersion})`,
    });
  }
  const checkedHeaders = validatePlain(CloudEventHeaders, headers, 'headers');
  if (!checkedHeaders.ok) return issuesFailure('invalid-header', checkedHeaders.issues, context);

  if (message.value === null || message.value === undefined) {
    return failure({
      ...context,
      reason: 'missing-value',
      field: 'data',
      message: 'message has no value (tombstone); data is required',
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text(message.value));
  } catch (error) {
    return failure({
      ...context,
      reason: 'invalid-json',
      field: 'data',
      message: `value is not JSON: ${(error as Error).message}`,
    });
  }
  const data = validatePlain(definition.payload, body, 'data');
  if (!data.ok) return issuesFailure('invalid-payload', data.issues, context);

  const expectedKey = kafkaKeyOf(type, data.value);
  const key = message.key === null || message.key === undefined ? undefined : text(message.key);
  if (key !== expectedKey) {
    return failure({
      ...context,
      reason: 'key-mismatch',
      field: 'key',
      message: `key must equal data.${definition.key} ("${expectedKey}") but is ${key === undefined ? 'missing' : `"${key}"`}`,
    });
  }

  // Every header was validated above, so the reads below cannot be missing or malformed.
  const event = {
    id: headers[CE.id] as string,
    type,
    schemaVersion: definition.schemaVersion,
    source: headers[CE.source] as string,
    occurredAt: headers[CE.time] as string,
    correlationId: headers[CE.correlationId] as string,
    actor: decodeActor(headers[CE.actor] as string),
    subjectId: headers[CE.subject] as string,
    data: data.value,
    ...(headers[CE.causationId] === undefined ? {} : { causationId: headers[CE.causationId] }),
  } as AnyEventEnvelope;
  return { ok: true, event };
}
