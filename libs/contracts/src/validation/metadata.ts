import { getMetadataStorage } from 'class-validator';
import { docOf, nestedInfo, type Constructor, type NestedInfo } from './decorators';

/** class-validator's record of one decorator on one property (its type is not exported from the package root). */
export type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

export interface PropertyDescription {
  name: string;
  required: boolean;
  rules: ValidationMetadata[];
  nested?: NestedInfo;
  doc?: string;
}

function classChain(type: Constructor): Constructor[] {
  const chain: Constructor[] = [];
  for (let current: unknown = type; typeof current === 'function' && current !== Function.prototype;) {
    chain.unshift(current as Constructor);
    current = Object.getPrototypeOf(current);
  }
  return chain;
}

/**
 * The properties of a contract class as class-validator knows them, base-class fields first so that
 * documentation lists the shared addressing (ticketId, orderId...) before what is particular to an event.
 */
export function describeProperties(type: Constructor): PropertyDescription[] {
  const all = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  const byName = new Map<string, ValidationMetadata[]>();
  for (const owner of classChain(type)) {
    for (const rule of all.filter((metadata) => metadata.target === owner)) {
      byName.set(rule.propertyName, [...(byName.get(rule.propertyName) ?? []), rule]);
    }
  }
  return [...byName.entries()].map(([name, rules]) => ({
    name,
    required: !rules.some((rule) => rule.name === 'isOptional'),
    rules,
    nested: nestedInfo(type.prototype as object, name),
    doc: docOf(type.prototype as object, name),
  }));
}

export function requiredProperties(type: Constructor): string[] {
  return describeProperties(type)
    .filter((property) => property.required)
    .map((property) => property.name);
}
