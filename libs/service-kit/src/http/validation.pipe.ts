import { ValidationPipe } from '@nestjs/common';
import type { ValidationError as ClassValidationError } from 'class-validator';
import { ValidationError } from '@aftersales/kernel';

/** `lines.0.quantity must not be less than 1` — every message names the field by its full path. */
export function flattenValidationErrors(errors: ClassValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${path}${m.slice(e.property.length)}` : `${path}: ${m}`,
    );
    return [...own, ...flattenValidationErrors(e.children ?? [], path)];
  });
}

/** Whitelist, refuse unknown fields, transform to the DTO classes; errors name the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const messages = flattenValidationErrors(errors);
      return new ValidationError(messages.join('; '), errors[0]?.property, { errors: messages });
    },
  });
}
