import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import type { ValidationError as ClassValidationError } from 'class-validator';
import { conforms, type Constructor } from '@aftersales/contracts';
import { ValidationError } from '@aftersales/kernel';

interface FieldError {
  /** `lines.0.quantity`: the field's full path in the body. */
  path: string;
  message: string;
}

function fieldErrors(errors: ClassValidationError[], parent: string): FieldError[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints && (e.value === undefined || e.value === null)) {
      return [{ path, message: `${path} is required` }];
    }
    const own = Object.values(e.constraints ?? {}).map((m) => ({
      path,
      message: m.startsWith(e.property) ? `${path}${m.slice(e.property.length)}` : `${path}: ${m}`,
    }));
    return [...own, ...fieldErrors(e.children ?? [], path)];
  });
}

/**
 * `lines.0.quantity must not be less than 1` — every message names the field by its full path. A
 * required field left out is `amount is required`, not every rule its absent value breaks.
 */
export function flattenValidationErrors(errors: ClassValidationError[]): string[] {
  return fieldErrors(errors, '').map((error) => error.message);
}

/**
 * A ValidationPipe that asks the contracts' fast check (`conforms`, the same rule functions the
 * decorators registered, without class-validator's error object for every property) before it
 * validates a body: a body that passes is only instantiated as its DTO class, and one that does not
 * goes through ValidationPipe, which decides and names the fields. In a loop, with the contracts'
 * classes loaded, an application's body took 61-88 µs in ValidationPipe and 10-15 µs here, an
 * approval's 18-26 and 3-5 µs (docs/performance.md, session 11).
 * A DTO the fast check cannot follow (a nested DTO without `@Nested`, a rule kind it does not know)
 * is remembered and always validated the slow way.
 */
class FastCheckValidationPipe extends ValidationPipe {
  private readonly slowOnly = new WeakSet<object>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype as Constructor | undefined;
    if (metadata.type === 'body' && type && this.passesFastCheck(type, value))
      return plainToInstance(type, value);
    return super.transform(value, metadata);
  }

  private passesFastCheck(type: Constructor, value: unknown): boolean {
    if (this.slowOnly.has(type)) return false;
    try {
      return conforms(type, value);
    } catch {
      this.slowOnly.add(type);
      return false;
    }
  }
}

/** Whitelist, refuse unknown fields, transform to the DTO classes; errors name the field. */
export function createValidationPipe(): ValidationPipe {
  return new FastCheckValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // The rule is the first failing field's full path (`deadlineMinutes.PENDING_REVIEW`), so a
    // client can mark the input it came from.
    exceptionFactory: (errors) => {
      const failed = fieldErrors(errors, '');
      const messages = failed.map((error) => error.message);
      return new ValidationError(messages.join('; '), failed[0]?.path, { errors: messages });
    },
  });
}
