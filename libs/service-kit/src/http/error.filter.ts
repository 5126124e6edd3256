import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
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

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const body = this.toBody(exception, req);
    if (body.statusCode >= 500) {
      this.logger.error(
        `${req.method} ${req.url} (correlation id ${req.id ?? 'none'}): ` +
          (exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)),
      );
    }
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, req: Request & { id?: string }): ErrorBody {
    const base = { path: req.url, timestamp: this.clock.now().toISOString(), correlationId: req.id };
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
