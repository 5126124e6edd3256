import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  EVENT_REGISTRY,
  EVENT_SAMPLES,
  EVENT_TYPES,
  TOPICS,
  createEnvelope,
  isEventType,
  toKafkaMessage,
  type EventDataMap,
  type EventType,
  type OutgoingKafkaMessage,
} from '@aftersales/contracts';
import { isRole, ValidationError, type Actor } from '@aftersales/kernel';

export const USAGE = `Publishes one integration event, as the service that owns its topic would, so that a person
or a script can play a service that is not there (an upstream order system, a warehouse, finance).

  npm run event -- --list                          every event type, its topic, key and consumers
  npm run event -- <type> --sample                 the contract's sample data for <type>, to edit
  npm run event -- <type> --data '<json>'          publish <type> with this data
  npm run event -- <type> --data @file.json        ... read from a file (--data - reads stdin)

Options for publishing:
  --actor role:id[:merchantId]   who did it (default system:<the topic's producer>)
  --correlation-id <id>          the conversation it belongs to (default: its own id)
  --causation-id <id>            the event it answers
  --id <uuid>                    the event id (default: a new UUID); a second publish with the
                                 same id is a duplicate every consumer's inbox ignores
  --brokers host:port,...        default KAFKA_BROKERS, else localhost:9092 (npm start's broker)

The data is checked against the contract first: nothing is sent if a field is wrong.`;

/** What the command line asks for. */
export type EventCommand =
  { kind: 'help' } | { kind: 'list' } | { kind: 'sample'; type: EventType } | PublishCommand;

export interface PublishCommand {
  kind: 'publish';
  type: EventType;
  /** As given: the JSON itself, `@file` or `-` (stdin). */
  data: string;
  actor?: string;
  correlationId?: string;
  causationId?: string;
  id?: string;
  brokers?: string;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function parseEventCommand(argv: string[]): EventCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        list: { type: 'boolean' },
        sample: { type: 'boolean' },
        data: { type: 'string' },
        actor: { type: 'string' },
        'correlation-id': { type: 'string' },
        'causation-id': { type: 'string' },
        id: { type: 'string' },
        brokers: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.list) return { kind: 'list' };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'name an event type (--list shows them)'
        : `one event type, not ${positionals.join(' ')}`,
    );
  }
  const [type] = positionals;
  if (!isEventType(type)) throw new UsageError(`"${type}" is not an event type (--list shows them)`);
  if (values.sample) return { kind: 'sample', type };
  if (values.data === undefined)
    throw new UsageError(`--data is required to publish ${type} (--sample shows its shape)`);
  return {
    kind: 'publish',
    type,
    data: values.data,
    actor: values.actor,
    correlationId: values['correlation-id'],
    causationId: values['causation-id'],
    id: values.id,
    brokers: values.brokers,
  };
}

/** Every event type with its topic, key field and consumers, one per line. */
export function eventList(): string {
  const width = Math.max(...EVENT_TYPES.map((t) => t.length));
  return EVENT_TYPES.map((type) => {
    const { topic, key, consumers } = EVENT_REGISTRY[type];
    const readers = consumers.length > 0 ? consumers.join(', ') : 'no consumer yet';
    return `${type.padEnd(width)}  ${topic.padEnd(18)}  key ${String(key).padEnd(10)}  read by ${readers}`;
  }).join('\n');
}

export function sampleData(type: EventType): string {
  return JSON.stringify(EVENT_SAMPLES[type], null, 2);
}

/** `role:id[:merchantId]`, as the actor header of the contract holds it. */
export function parseActor(text: string): Actor {
  const [role, id, merchantId, ...rest] = text.split(':');
  if (!isRole(role) || !id || rest.length > 0) {
    throw new UsageError(`--actor must be role:id or merchant_agent:id:merchantId, not "${text}"`);
  }
  if (role === 'merchant_agent' && !merchantId)
    throw new UsageError('--actor merchant_agent:id needs :merchantId');
  return merchantId ? { role, id, merchantId } : { role, id };
}

/**
 * The Kafka message for a publish command, its data already read: the envelope the topic's producer
 * would write. A contract violation throws the contract's ValidationError, naming every field.
 */
export function eventMessage(
  command: Pick<PublishCommand, 'type' | 'actor' | 'correlationId' | 'causationId' | 'id'>,
  dataText: string,
  now: Date,
): OutgoingKafkaMessage {
  let data: unknown;
  try {
    data = JSON.parse(dataText);
  } catch (error) {
    throw new ValidationError(`the data is not JSON: ${(error as Error).message}`, 'data');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ValidationError('the data must be a JSON object', 'data');
  }
  const producer = TOPICS[EVENT_REGISTRY[command.type].topic].producer;
  const envelope = createEnvelope(command.type, data as EventDataMap[typeof command.type], {
    id: command.id ?? randomUUID(),
    occurredAt: now,
    source: producer,
    actor: command.actor ? parseActor(command.actor) : { role: 'system', id: producer },
    ...(command.correlationId ? { correlationId: command.correlationId } : {}),
    ...(command.causationId ? { causationId: command.causationId } : {}),
  });
  return toKafkaMessage(envelope);
}
