import {
  Equals,
  IsIn,
  IsOptional,
  IsUUID,
  Matches,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { isRole, type Actor } from '@aftersales/kernel';
import { EVENT_TYPES } from './registry';
import { Doc, ID_PATTERN, Id, Text, Timestamp } from './validation/decorators';

export const CLOUD_EVENTS_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';

/**
 * The CloudEvents Kafka protocol binding, binary content mode: attributes travel as `ce_`-prefixed
 * headers and the message value is the bare event data. Tools that know CloudEvents read our messages
 * without knowing our contracts; the extensions (correlationid, causationid, actor, dataschemaversion)
 * follow the spec's rule of lower-case alphanumeric names.
 */
export const CE = {
  specVersion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  subject: 'ce_subject',
  schemaVersion: 'ce_dataschemaversion',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  actor: 'ce_actor',
  contentType: 'content-type',
} as const;

export type HeaderName = (typeof CE)[keyof typeof CE];
export const HEADER_NAMES = Object.values(CE) as HeaderName[];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the `ce_actor` header; undefined when it is not a valid actor. */
export function decodeActor(header: string): Actor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return undefined;
  }
  if (!isPlainObject(parsed)) return undefined;
  const { role, id, merchantId, ...rest } = parsed;
  if (Object.keys(rest).length > 0 || !isRole(role) || typeof id !== 'string' || !ID_PATTERN.test(id))
    return undefined;
  if (merchantId === undefined) return { role, id };
  return typeof merchantId === 'string' && ID_PATTERN.test(merchantId) ? { role, id, merchantId } : undefined;
}

/** Writes the `ce_actor` header with a fixed key order, so equal actors give equal headers. */
export function encodeActor(actor: Actor): string {
  return JSON.stringify(
    actor.merchantId === undefined
      ? { role: actor.role, id: actor.id }
      : { role: actor.role, id: actor.id, merchantId: actor.merchantId },
  );
}

const ActorJson = (): PropertyDecorator => (target, propertyName) => {
  registerDecorator({
    name: 'isActorJson',
    target: target.constructor,
    propertyName: propertyName as string,
    validator: {
      validate: (value: unknown) => typeof value === 'string' && decodeActor(value) !== undefined,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? String(propertyName)} must be a JSON actor like {"role":"merchant_agent","id":"u-1","merchantId":"m-1"}`,
    },
  });
};

/** The headers of every event message. Header values are strings, so numbers travel as decimal text. */
@Doc('CloudEvents 1.0 attributes in Kafka binary content mode, plus the platform extensions.')
export class CloudEventHeaders {
  @Equals(CLOUD_EVENTS_SPEC_VERSION)
  ce_specversion!: string;

  @Doc('Event id (UUID); consumers record it in their inbox to ignore redeliveries.')
  @IsUUID()
  ce_id!: string;

  @IsIn(EVENT_TYPES)
  ce_type!: string;

  @Doc('The producing service, e.g. refund-service.')
  @Text(128)
  ce_source!: string;

  @Doc('When the fact happened (not when it was published).')
  @Timestamp()
  ce_time!: string;

  @Doc('Id of the aggregate the event is about (ticket, order, refund, statement).')
  @Id()
  ce_subject!: string;

  @Doc('Version of the data schema for this type, as decimal text.')
  @Matches(/^[1-9][0-9]*$/, { message: '$property must be a positive integer in decimal text' })
  ce_dataschemaversion!: string;

  @Doc(
    'Id shared by every event of one business conversation (e.g. from the customer request to the refund).',
  )
  @Id()
  ce_correlationid!: string;

  @Doc(
    'Id of the event or command that directly caused this one; absent for the first event of a conversation.',
  )
  @IsOptional()
  @Id()
  ce_causationid?: string;

  @Doc(
    'Who did it, as JSON: {"role":..., "id":..., "merchantId"?:...}. Roles: customer, merchant_agent, platform_agent, finance, warehouse, system.',
  )
  @ActorJson()
  ce_actor!: string;

  @Doc('Media type of the value: application/json, optionally with charset=utf-8.')
  @Matches(/^application\/json(\s*;\s*charset=utf-8)?$/i, { message: '$property must be application/json' })
  'content-type'!: string;
}
