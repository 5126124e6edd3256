import { getMetadataStorage, type ValidationArguments } from 'class-validator';
import { nestedInfo, type Constructor, type NestedInfo } from './decorators';
import type { ValidationMetadata } from './metadata';

/**
 * The verdict of `validatePlain` for a payload that passes, without what makes validatePlain slow:
 * class-transformer's copy into class instances, and class-validator's error object for every
 * property checked, whether it fails or not (~50 KB of garbage for an after-sales event, most of a
 * command's allocations). It runs the very same rule functions the decorators registered, from a
 * plan built once per class.
 *
 * It may say false where validatePlain would say true (a shape it does not follow, such as a list
 * inside a list), never true where validatePlain says false: a caller that gets false runs
 * validatePlain, which decides and names the fields. The contract tests check the two agree on every
 * sample event and on thousands of broken variants of them.
 */
export function conforms(type: Constructor, plain: unknown): boolean {
  return conformsTo(planOf(type), plain);
}

interface RuleCheck {
  metadata: ValidationMetadata;
  each: boolean;
  validate: (value: unknown, args: ValidationArguments) => unknown;
}

interface PropertyPlan {
  name: string;
  /** IsOptional and the like: all must hold for the property's rules to run. */
  conditions: ((object: object, value: unknown) => boolean)[];
  rules: RuleCheck[];
  nested?: NestedInfo;
}

interface ClassPlan {
  type: Constructor;
  properties: PropertyPlan[];
  known: Set<string>;
}

// Names class-transformer does not copy, so a payload carrying them is refused (see validate.ts).
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const plans = new Map<Constructor, ClassPlan>();

function planOf(type: Constructor): ClassPlan {
  const known = plans.get(type);
  if (known) return known;
  const storage = getMetadataStorage();
  // The arguments validatePlain's validateSync uses: no groups, `always` off, strict groups off.
  const grouped = storage.groupByPropertyName(storage.getTargetValidationMetadatas(type, '', false, false));
  const properties: PropertyPlan[] = [];
  for (const [name, metadatas] of Object.entries(grouped)) {
    const property: PropertyPlan = { name, conditions: [], rules: [] };
    for (const metadata of metadatas) {
      switch (metadata.type) {
        case 'conditionalValidation':
          property.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case 'customValidation':
          for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
            if (constraint.async)
              throw new Error(`${type.name}.${name}: asynchronous rules are not supported`);
            const instance = constraint.instance as { validate: RuleCheck['validate'] };
            property.rules.push({
              metadata,
              each: metadata.each === true,
              validate: instance.validate.bind(instance),
            });
          }
          break;
        case 'nestedValidation':
          property.nested = nestedInfo(type.prototype as object, name);
          if (!property.nested) throw new Error(`${type.name}.${name}: ValidateNested without @Nested`);
          break;
        case 'whitelistValidation':
          break;
        default:
          throw new Error(`${type.name}.${name}: no fast check for ${metadata.type} rules`);
      }
    }
    properties.push(property);
  }
  const plan: ClassPlan = { type, properties, known: new Set(properties.map((p) => p.name)) };
  plans.set(type, plan);
  return plan;
}

function conformsTo(plan: ClassPlan, plain: unknown): boolean {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return false;
  // forbidUnknownValues: a class without rules validates nothing, so validatePlain refuses it.
  if (plan.properties.length === 0) return false;
  const object = plain as Record<string, unknown>;
  for (const key in object) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) return false;
    if (PROTOTYPE_KEYS.has(key) || !plan.known.has(key)) return false;
  }
  for (const property of plan.properties) {
    const value = object[property.name];
    let applies = true;
    for (const condition of property.conditions) applies = condition(object, value) && applies;
    if (!applies) continue;
    for (const rule of property.rules) {
      if (rule.metadata.validateIf && !rule.metadata.validateIf(object, value)) continue;
      const args: ValidationArguments = {
        targetName: plan.type.name,
        property: property.name,
        object,
        value,
        constraints: rule.metadata.constraints,
      };
      if (rule.each && (value instanceof Set || value instanceof Map)) return false;
      if (rule.each && Array.isArray(value)) {
        for (const item of value) if (rule.validate(item, args) !== true) return false;
      } else if (rule.validate(value, args) !== true) return false;
    }
    if (property.nested) {
      if (value !== undefined && !nestedConforms(property.nested, value)) return false;
    } else if (typeof value === 'object' && value !== null && holdsPrototypeKey(value)) return false;
  }
  return true;
}

function holdsPrototypeKey(value: object): boolean {
  if (Array.isArray(value))
    return value.some((item) => typeof item === 'object' && item !== null && holdsPrototypeKey(item));
  for (const [key, item] of Object.entries(value)) {
    if (PROTOTYPE_KEYS.has(key)) return true;
    if (typeof item === 'object' && item !== null && holdsPrototypeKey(item)) return true;
  }
  return false;
}

function nestedConforms(nested: NestedInfo, value: unknown): boolean {
  const plan = planOf(nested.type());
  if (!Array.isArray(value)) return conformsTo(plan, value);
  for (const item of value) if (Array.isArray(item) || !conformsTo(plan, item)) return false;
  return true;
}
