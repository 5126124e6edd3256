import { docOf, ID_PATTERN, TICKET_NO_PATTERN, type Constructor } from '../validation/decorators';
import {
  describeProperties,
  type PropertyDescription,
  type ValidationMetadata,
} from '../validation/metadata';
import type { JsonObject } from './yaml';

/**
 * JSON Schema (draft-07, as AsyncAPI 3 uses it) read from the class-validator decorators themselves, so the
 * documented schema and the validation a consumer runs cannot drift apart. A decorator without a mapping
 * here is an error rather than a silently undocumented rule.
 */
function ruleSchema(rule: ValidationMetadata): JsonObject | undefined {
  const constraint = rule.constraints?.[0] as unknown;
  switch (rule.name ?? rule.type) {
    case 'isOptional':
    case 'nestedValidation':
    case 'invariant':
      return undefined;
    case 'isId':
      return { type: 'string', pattern: ID_PATTERN.source };
    case 'isTicketNo':
      return { type: 'string', pattern: TICKET_NO_PATTERN.source };
    case 'isText':
      return { type: 'string', minLength: 1, maxLength: constraint as number };
    case 'isUuid':
      return { type: 'string', format: 'uuid' };
    case 'isUrl':
      return { type: 'string', format: 'uri' };
    case 'matches':
      return { type: 'string', pattern: (constraint as RegExp).source };
    case 'isTimestamp':
      return { type: 'string', format: 'date-time' };
    case 'isCalendarDate':
      return { type: 'string', format: 'date' };
    case 'isActorJson':
      return { type: 'string', contentMediaType: 'application/json' };
    case 'isPositiveInt':
      return { type: 'integer', minimum: 1 };
    case 'isNonNegativeInt':
    case 'isMinorUnits':
      return { type: 'integer', minimum: 0 };
    case 'isNonPositiveMinorUnits':
      return { type: 'integer', maximum: 0 };
    case 'isSignedMinorUnits':
      return { type: 'integer' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isIn':
      return { type: 'string', enum: [...(constraint as string[])] };
    case 'equals':
      return { type: 'string', const: constraint as string };
    case 'isArray':
      return { type: 'array' };
    case 'arrayMinSize':
      return { minItems: constraint as number };
    case 'arrayMaxSize':
      return { maxItems: constraint as number };
    case 'isObject':
      return { type: 'object' };
    default:
      throw new Error(
        `no JSON Schema mapping for rule ${rule.name ?? rule.type} on ${(rule.target as Constructor).name}.${rule.propertyName}`,
      );
  }
}

export const schemaRef = (type: Constructor): JsonObject => ({ $ref: `#/components/schemas/${type.name}` });

function propertySchema(property: PropertyDescription): JsonObject {
  const schema: JsonObject = {};
  const items: JsonObject = {};
  // Decorators register bottom-up; reversing restores the order they are written in.
  for (const rule of [...property.rules].reverse()) {
    const fragment = ruleSchema(rule);
    if (fragment) Object.assign(rule.each ? items : schema, fragment);
  }
  if (property.nested) {
    const ref = schemaRef(property.nested.type());
    if (property.nested.array) Object.assign(items, ref);
    else {
      delete schema.type;
      schema.allOf = [ref];
    }
  }
  if (Object.keys(items).length > 0) schema.items = items;
  const invariants = property.rules
    .filter((rule) => rule.name === 'invariant')
    .map((rule) => `Must equal ${String(rule.constraints[0])}.`);
  const description = [property.doc, ...invariants]
    .filter((text): text is string => text !== undefined)
    .join(' ');
  return description === '' ? schema : { description, ...schema };
}

export interface SchemaOptions {
  /** Whether properties the class does not declare are an error (payloads) or ignored (headers). */
  closed: boolean;
}

export function objectSchema(type: Constructor, options: SchemaOptions = { closed: true }): JsonObject {
  const properties = describeProperties(type);
  const schema: JsonObject = { type: 'object' };
  const doc = docOf(type);
  if (doc !== undefined) schema.description = doc;
  const required = properties.filter((property) => property.required).map((property) => property.name);
  if (required.length > 0) schema.required = required;
  schema.properties = Object.fromEntries(
    properties.map((property) => [property.name, propertySchema(property)]),
  );
  schema.additionalProperties = !options.closed;
  return schema;
}

/**
 * Schemas for the given classes and every class they nest, keyed by class name, in the order first met.
 * Two different classes with one name would overwrite each other in the document, so that is an error.
 */
export function collectSchemas(
  roots: Constructor[],
  options: Map<Constructor, SchemaOptions> = new Map(),
): Record<string, JsonObject> {
  const schemas: Record<string, JsonObject> = {};
  const seen = new Map<string, Constructor>();
  const visit = (type: Constructor): void => {
    const known = seen.get(type.name);
    if (known === type) return;
    if (known) throw new Error(`two contract classes are named ${type.name}`);
    seen.set(type.name, type);
    schemas[type.name] = objectSchema(type, options.get(type));
    for (const property of describeProperties(type)) if (property.nested) visit(property.nested.type());
  };
  roots.forEach(visit);
  return schemas;
}
