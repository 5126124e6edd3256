import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError, type Observable } from 'rxjs';
import { CLOCK, type Clock, PlatformError, httpStatusOf } from '@aftersales/kernel';

/** The one error shape of every 4xx/5xx response of every service. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  rule?: string;
  details?: Record<string, unknown>;
  correlationId?: string;
  path: string;
  timestamp: string;
}

const reasonPhrase = (status: number): string =>
  (HttpStatus[status] ?? 'ERROR')
    .toString()
    .split('_')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join(' ');

/** Every `code` an error body can carry: the platform's error codes, and httpCode's two of its own. */
export const ERROR_BODY_CODES: readonly string[] = [
  ...Object.keys(httpStatusOf),
  'UNAUTHENTICATED',
  'INTERNAL',
];

function httpCode(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 422) return 'RULE_VIOLATION';
  if (status < 500) return 'VALIDATION';
  return 'INTERNAL';
}

@Catch()
export class PlatformErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Global filters also wrap the Kafka inbox's handlers (attachInbox inherits the app's config).
    // There the inbox itself must see the error as thrown, to retry it and then dead-letter it
    // with its message; an RPC filter answers with an Observable, and this one fails with it.
    if (host.getType() !== 'http') return throwError(() => exception);
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const res = ctx.getResponse<FastifyReply>();
    // The correlation id is the one RequestLogMiddleware put on the raw request (Fastify's own
    // request id is another thing).
    const correlationId = (req.raw as { id?: string }).id;
    const body = this.toBody(exception, req.url, correlationId);
    if (body.statusCode >= 500) {
      this.logger.error(
        `${req.method} ${req.url} (correlation id ${correlationId ?? 'none'}): ` +
          (exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)),
      );
    }
    void res.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown, path: string, correlationId: string | undefined): ErrorBody {
    const base = { path, timestamp: this.clock.now().toISOString(), correlationId };
    if (exception instanceof PlatformError) {
      const statusCode = httpStatusOf[exception.code];
      return {
        statusCode,
        error: reasonPhrase(statusCode),
        code: exception.code,
        message: exception.message,
        ...(exception.rule ? { rule: exception.rule } : {}),
        ...(exception.details ? { details: exception.details } : {}),
        ...base,
      };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
      return { statusCode, error: reasonPhrase(statusCode), code: httpCode(statusCode), message, ...base };
    }
    return {
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'INTERNAL',
      message: 'Internal server error',
      ...base,
    };
  }
}
