import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  ValidateNested,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';

/**
 * The field rules of the contracts. Each one is a class-validator decorator with a single message
 * (a positive integer fails as "must be a positive integer", not as two half-messages), and each is
 * known by name to the JSON Schema generator (asyncapi/json-schema.ts), which is why the contracts use
 * these instead of ad-hoc combinations of built-ins.
 */

export type Constructor<T = object> = new () => T;

const DOC_KEY = Symbol('contracts:doc');
const NESTED_KEY = Symbol('contracts:nested');

export interface NestedInfo {
  type: () => Constructor;
  array: boolean;
}

function rule(
  name: string,
  describe: string,
  test: (value: unknown, args: ValidationArguments) => boolean,
  constraints: unknown[] = [],
): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      constraints,
      validator: {
        validate: test,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? String(propertyName)} ${describe}`,
      },
    });
  };
}

const isInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);

export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const TICKET_NO_PATTERN = /^AS\d{15}$/;
export const CURRENCY_NOTE = 'integer minor units (fen)';
// RFC 3339 with an explicit offset: a timestamp without one means a different instant in every zone.
export const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
export const CALENDAR_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** An identifier issued by another system: opaque, but short and free of whitespace. */
export const Id = (): PropertyDecorator =>
  rule(
    'isId',
    'must be an identifier of 1-64 characters from [A-Za-z0-9._:-]',
    (v) => typeof v === 'string' && ID_PATTERN.test(v),
  );

/** The human-readable ticket number customers and warehouses quote, e.g. AS202611250000123. */
export const TicketNo = (): PropertyDecorator =>
  rule(
    'isTicketNo',
    'must be a ticket number like AS202611250000123',
    (v) => typeof v === 'string' && TICKET_NO_PATTERN.test(v),
  );

export const Text = (maxLength: number): PropertyDecorator =>
  rule(
    'isText',
    `must be a non-blank string of at most ${maxLength} characters`,
    (v) => typeof v === 'string' && v.trim().length > 0 && v.length <= maxLength,
    [maxLength],
  );

export const PositiveInt = (): PropertyDecorator =>
  rule('isPositiveInt', 'must be a positive integer', (v) => isInteger(v) && v >= 1);

export const NonNegativeInt = (): PropertyDecorator =>
  rule('isNonNegativeInt', 'must be a non-negative integer', (v) => isInteger(v) && v >= 0);

export const MinorUnits = (): PropertyDecorator =>
  rule('isMinorUnits', `must be a non-negative amount in ${CURRENCY_NOTE}`, (v) => isInteger(v) && v >= 0);

/** A deduction (an agent lowering a refund): zero or below. */
export const NonPositiveMinorUnits = (): PropertyDecorator =>
  rule(
    'isNonPositiveMinorUnits',
    `must be a zero or negative amount in ${CURRENCY_NOTE}`,
    (v) => isInteger(v) && v <= 0,
  );

/** A balance that may go either way, e.g. a payout after refunds larger than the period's sales. */
export const SignedMinorUnits = (): PropertyDecorator =>
  rule('isSignedMinorUnits', `must be an amount in ${CURRENCY_NOTE}`, isInteger);

export const Timestamp = (): PropertyDecorator =>
  rule(
    'isTimestamp',
    'must be an RFC 3339 timestamp with offset, e.g. 2026-11-25T08:00:00.000Z',
    (v) => typeof v === 'string' && TIMESTAMP_PATTERN.test(v) && !Number.isNaN(Date.parse(v)),
  );

export const CalendarDate = (): PropertyDecorator =>
  rule('isCalendarDate', 'must be a calendar date YYYY-MM-DD', (v) => {
    if (typeof v !== 'string' || !CALENDAR_DATE_PATTERN.test(v)) return false;
    const date = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v);
  });

/**
 * A cross-field rule: the property must equal what `expected` computes from the whole object. Typed by
 * the decorated class, so `expected` cannot be written against the wrong shape. When the inputs are
 * themselves malformed the rule stays silent: their own errors say more.
 */
export function Invariant<T extends object>(
  description: string,
  expected: (object: T) => unknown,
): (target: T, propertyName: string) => void {
  return (target, propertyName) =>
    rule(
      'invariant',
      `must equal ${description}`,
      (value, args) => {
        let want: unknown;
        try {
          want = expected(args.object as T);
        } catch {
          return true;
        }
        return typeof want !== 'number' || Number.isNaN(want) || value === want;
      },
      [description],
    )(target, propertyName);
}

/**
 * A nested object or list of objects: validated recursively (ValidateNested), instantiated as its class
 * (Type) so that the nested rules apply, and remembered for the schema generator.
 */
export function Nested(
  type: () => Constructor,
  options: { array?: boolean; minItems?: number; maxItems?: number } = {},
): PropertyDecorator {
  const array = options.array ?? false;
  return (target, propertyName) => {
    const info: NestedInfo = { type, array };
    Reflect.defineMetadata(NESTED_KEY, info, target, propertyName);
    Type(type)(target, propertyName);
    ValidateNested({ each: array })(target, propertyName);
    if (!array) {
      IsObject()(target, propertyName);
      return;
    }
    IsArray()(target, propertyName);
    if (options.minItems !== undefined) ArrayMinSize(options.minItems)(target, propertyName);
    if (options.maxItems !== undefined) ArrayMaxSize(options.maxItems)(target, propertyName);
  };
}

export function nestedInfo(prototype: object, propertyName: string): NestedInfo | undefined {
  return Reflect.getMetadata(NESTED_KEY, prototype, propertyName) as NestedInfo | undefined;
}

/** Documentation for a payload class or field; it ends up in the AsyncAPI file. */
export function Doc(text: string): ClassDecorator & PropertyDecorator {
  return (target: object, propertyName?: string | symbol) => {
    if (propertyName === undefined) Reflect.defineMetadata(DOC_KEY, text, target);
    else Reflect.defineMetadata(DOC_KEY, text, target, propertyName);
  };
}

export function docOf(target: object, propertyName?: string): string | undefined {
  return (
    propertyName === undefined
      ? Reflect.getMetadata(DOC_KEY, target)
      : Reflect.getMetadata(DOC_KEY, target, propertyName)
  ) as string | undefined;
}
