import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type LoggerService, type NestMiddleware } from '@nestjs/common';
import pino, { type Logger as Pino } from 'pino';

export const CORRELATION_HEADER = 'x-correlation-id';

/** The process's pino logger: one JSON line per record on stdout, with the service's name. */
export const ROOT_LOGGER = Symbol('RootLogger');

export function createRootLogger(service: string, level: string): Pino {
  return pino({ level, base: { service } });
}

/** Nest's own log lines (start-up, the framework's errors, `new Logger(context)`) as pino records. */
@Injectable()
export class PinoNestLogger implements LoggerService {
  constructor(@Inject(ROOT_LOGGER) private readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes the context last, and for errors a stack before it. */
  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields = { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}

const UNLOGGED = (url: string) => url.startsWith('/health') || url === '/metrics';

/**
 * Every request gets a correlation id, taken from the `x-correlation-id` header or made here,
 * echoed in the response and in the error body (`req.id`), and a `request completed` line with
 * its status and duration. Written by hand rather than with pino-http and nestjs-pino: they bind a
 * child logger to each request through AsyncLocalStorage, which on Node 20 installs promise hooks
 * for the whole process, and the two cost the event loop ~20 % of its time per command
 * (bench:after-sales, with logging at `silent`).
 */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  constructor(@Inject(ROOT_LOGGER) private readonly pino: Pino) {}

  use(
    req: IncomingMessage & { id?: string; originalUrl?: string },
    res: ServerResponse,
    next: () => void,
  ): void {
    const given = req.headers[CORRELATION_HEADER];
    const correlationId = (Array.isArray(given) ? given[0] : given) || randomUUID();
    req.id = correlationId;
    res.setHeader(CORRELATION_HEADER, correlationId);
    const url = req.originalUrl ?? req.url ?? '';
    if (this.pino.isLevelEnabled('info') && !UNLOGGED(url)) {
      const started = performance.now();
      res.once('finish', () => {
        this.pino.info(
          {
            correlationId,
            req: { method: req.method, url },
            res: { statusCode: res.statusCode },
            responseTime: Math.round(performance.now() - started),
          },
          'request completed',
        );
      });
    }
    next();
  }
}
