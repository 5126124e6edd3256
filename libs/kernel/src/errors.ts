/**
 * The one error family of the platform. Domain and application code throw these; the HTTP
 * exception filter (libs/service-kit) maps each code to a status once, and Kafka consumers
 * (libs/messaging) decide between retry and dead-letter by the same code.
 */
export type ErrorCode =
  | 'VALIDATION' // 400/422: input does not satisfy a field rule
  | 'NOT_FOUND' // 404
  | 'FORBIDDEN' // 403: the actor may not do this to this resource
  | 'CONFLICT' // 409: duplicate or already-exists
  | 'ILLEGAL_STATE' // 409: the command is not allowed in the current state
  | 'RULE_VIOLATION' // 422: a business rule refuses the command
  | 'CONCURRENCY'; // 409: expected version did not match

export class PlatformError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Machine-readable rule or field name, e.g. `window.passed` or `lines[0].quantity`. */
    readonly rule?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends PlatformError {
  constructor(message: string, field?: string, details?: Record<string, unknown>) {
    super('VALIDATION', message, field, details);
  }
}

export class NotFoundError extends PlatformError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('NOT_FOUND', message, undefined, details);
  }
}

export class ForbiddenError extends PlatformError {
  constructor(message: string, rule?: string) {
    super('FORBIDDEN', message, rule);
  }
}

export class ConflictError extends PlatformError {
  constructor(message: string, rule?: string, details?: Record<string, unknown>) {
    super('CONFLICT', message, rule, details);
  }
}

export class IllegalStateError extends PlatformError {
  constructor(message: string, rule?: string, details?: Record<string, unknown>) {
    super('ILLEGAL_STATE', message, rule, details);
  }
}

export class RuleViolationError extends PlatformError {
  constructor(message: string, rule: string, details?: Record<string, unknown>) {
    super('RULE_VIOLATION', message, rule, details);
  }
}

export class ConcurrencyError extends PlatformError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('CONCURRENCY', message, 'expected-version', details);
  }
}

export const httpStatusOf: Record<ErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  ILLEGAL_STATE: 409,
  RULE_VIOLATION: 422,
  CONCURRENCY: 409,
};
