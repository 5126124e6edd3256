import { version as contractsVersion } from '../../package.json';
import { envelopeHeaders } from '../envelope';
import { CE, CloudEventHeaders } from '../headers';
import { EVENT_REGISTRY, EVENT_TYPES, eventTypesOn, type EventType } from '../registry';
import { sampleEnvelope } from '../samples';
import { SERVICES, TOPICS, TOPIC_NAMES, type TopicName } from '../topics';
import { docOf, type Constructor } from '../validation/decorators';
import { collectSchemas, schemaRef } from './json-schema';
import type { JsonObject, JsonValue } from './yaml';

const KAFKA_BINDING_VERSION = '0.5.0';

const DESCRIPTION = [
  'Every integration event of the after-sales platform. Generated from libs/contracts',
  '(`npm run asyncapi -w @aftersales/contracts`); a test fails when this file and the contracts disagree.',
  '',
  'Messages use the CloudEvents 1.0 Kafka binding in binary content mode: the attributes are `ce_*` headers',
  '(ce_id, ce_type, ce_source, ce_time, ce_subject, ce_dataschemaversion, ce_correlationid, ce_causationid, ce_actor)',
  'and the value is the event data as JSON. Money is always an integer number of minor units (fen).',
  '',
  'The message key is the id whose order matters: order id for order facts, ticket id for everything a ticket',
  'causes (requests, warehouse and refund outcomes), merchant id for statements. Consumers reject a message whose',
  'key differs from that data field, whose headers are missing or malformed, whose type or schema version is',
  'unknown, or whose data has a field the contract does not declare; such messages go to the consumer',
  "group's dead-letter topic `dlq.<consumer-group>`.",
].join('\n');

const channelRef = (topic: TopicName): JsonObject => ({ $ref: `#/channels/${topic}` });
const channelMessageRef = (topic: TopicName, type: EventType): JsonObject => ({
  $ref: `#/channels/${topic}/messages/${type}`,
});

function channels(): JsonObject {
  const result: JsonObject = {};
  for (const topic of TOPIC_NAMES) {
    const definition = TOPICS[topic];
    result[topic] = {
      address: topic,
      description: `${definition.description} Produced by ${definition.producer}.`,
      messages: Object.fromEntries(
        eventTypesOn(topic).map((type) => [type, { $ref: `#/components/messages/${type}` }]),
      ),
    };
  }
  result['dead-letters'] = {
    address: 'dlq.{consumerGroup}',
    description:
      'One dead-letter topic per consumer group: messages that group could not validate or kept failing on, ' +
      'unchanged, with the failure added by the messaging library.',
    parameters: { consumerGroup: { description: 'Kafka consumer group id of the consuming service.' } },
  };
  return result;
}

function operations(): JsonObject {
  const result: JsonObject = {};
  for (const topic of TOPIC_NAMES) {
    const types = eventTypesOn(topic);
    result[`send.${topic}`] = {
      action: 'send',
      channel: channelRef(topic),
      summary: `${TOPICS[topic].producer} publishes to ${topic}.`,
      messages: types.map((type) => channelMessageRef(topic, type)),
    };
    for (const consumer of SERVICES) {
      const consumed = types.filter((type) =>
        (EVENT_REGISTRY[type].consumers as readonly string[]).includes(consumer),
      );
      if (consumed.length === 0) continue;
      result[`receive.${topic}.${consumer}`] = {
        action: 'receive',
        channel: channelRef(topic),
        summary: `${consumer} consumes from ${topic}.`,
        messages: consumed.map((type) => channelMessageRef(topic, type)),
      };
    }
  }
  return result;
}

/** JSON round trip: the examples must be exactly what travels on the wire. */
const asJson = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value)) as JsonValue;

function message(type: EventType): JsonObject {
  const definition = EVENT_REGISTRY[type];
  const payload = definition.payload as Constructor;
  const sample = sampleEnvelope(type);
  return {
    name: type,
    title: `${type} v${definition.schemaVersion}`,
    summary: docOf(payload) ?? type,
    contentType: 'application/json',
    correlationId: { location: `$message.header#/${CE.correlationId}` },
    headers: {
      allOf: [
        schemaRef(CloudEventHeaders),
        {
          type: 'object',
          properties: {
            [CE.type]: { const: type },
            [CE.schemaVersion]: { const: String(definition.schemaVersion) },
          },
        },
      ],
    },
    payload: schemaRef(payload),
    bindings: {
      kafka: {
        key: { type: 'string', description: `Value of data.${definition.key}.` },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    'x-topic': definition.topic,
    'x-key-field': definition.key,
    'x-consumers': [...definition.consumers],
    examples: [{ name: 'sample', headers: asJson(envelopeHeaders(sample)), payload: asJson(sample.data) }],
  };
}

/** The AsyncAPI 3.0.0 document, built from the registry, the payload classes and the samples. */
export function buildAsyncApiDocument(): JsonObject {
  const payloads = EVENT_TYPES.map((type) => EVENT_REGISTRY[type].payload as Constructor);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'After-sales platform integration events',
      version: contractsVersion,
      description: DESCRIPTION,
    },
    defaultContentType: 'application/json',
    channels: channels(),
    operations: operations(),
    components: {
      messages: Object.fromEntries(EVENT_TYPES.map((type) => [type, message(type)])),
      schemas: collectSchemas(
        [CloudEventHeaders, ...payloads],
        new Map([[CloudEventHeaders as Constructor, { closed: false }]]),
      ),
    },
  };
}
