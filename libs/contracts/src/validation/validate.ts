import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError as ClassValidatorError } from 'class-validator';
import { conforms } from './conforms';
import type { Constructor } from './decorators';

export interface ValidationIssue {
  /** Path from the message root, e.g. `data.lines[0].quantity`. */
  field: string;
  message: string;
}

export type ValidationOutcome<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function childPath(parent: string, property: string, parentIsArray: boolean): string {
  if (parentIsArray && /^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

function collect(
  errors: ClassValidatorError[],
  parent: string,
  parentIsArray: boolean,
  out: ValidationIssue[],
): void {
  for (const error of errors) {
    const field = childPath(parent, error.property, parentIsArray);
    // A field left out breaks every rule it has; what its producer needs to hear is that it is missing.
    if (error.constraints && (error.value === undefined || error.value === null)) {
      out.push({ field, message: `${field} is required` });
      continue;
    }
    for (const message of Object.values(error.constraints ?? {})) {
      // class-validator names the bare property ("quantity must ..."); consumers need the full path.
      const pattern = new RegExp(`(^|\\s)${escapeRegExp(error.property)}(?=\\s|$)`);
      const precise = pattern.test(message) ? message.replace(pattern, `$1${field}`) : `${field}: ${message}`;
      out.push({ field, message: precise });
    }
    if (error.children && error.children.length > 0)
      collect(error.children, field, Array.isArray(error.value), out);
  }
}

// class-transformer skips these names instead of copying them, so the whitelist never sees them; a
// payload carrying them is still one the contract does not describe.
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function prototypeKeyIssues(value: unknown, path: string, out: ValidationIssue[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => prototypeKeyIssues(item, `${path}[${index}]`, out));
    return;
  }
  for (const key of Object.keys(value)) {
    const field = `${path}.${key}`;
    if (PROTOTYPE_KEYS.has(key)) out.push({ field, message: `property ${field} should not exist` });
    else prototypeKeyIssues((value as Record<string, unknown>)[key], field, out);
  }
}

/**
 * Validates untrusted JSON against a payload class: unknown properties are errors (a producer that
 * sends fields we do not know is on a different contract version), nothing is coerced ("1" is not 1).
 */
export function validatePlain<T extends object>(
  type: Constructor<T>,
  plain: unknown,
  root: string,
): ValidationOutcome<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { ok: false, issues: [{ field: root, message: `${root} must be a JSON object` }] };
  }
  const unsafe: ValidationIssue[] = [];
  prototypeKeyIssues(plain, root, unsafe);
  if (unsafe.length > 0) return { ok: false, issues: unsafe };
  const instance = plainToInstance(type, plain);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: true },
  });
  if (errors.length === 0) return { ok: true, value: instance };
  const issues: ValidationIssue[] = [];
  collect(errors, root, false, issues);
  return { ok: false, issues };
}

/**
 * validatePlain with the fast check first (see conforms.ts): a payload that passes comes back as
 * the object it is rather than a class instance, and only a failing one pays for the full
 * validation that names its fields.
 */
export function checkPlain<T extends object>(
  type: Constructor<T>,
  plain: unknown,
  root: string,
): ValidationOutcome<T> {
  return conforms(type, plain) ? { ok: true, value: plain as T } : validatePlain(type, plain, root);
}
