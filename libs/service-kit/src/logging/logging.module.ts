import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';

export const CORRELATION_HEADER = 'x-correlation-id';

function correlationIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[CORRELATION_HEADER];
  const id = (Array.isArray(given) ? given[0] : given) || randomUUID();
  res.setHeader(CORRELATION_HEADER, id);
  return id;
}

/**
 * Structured JSON logs (pino). Every request gets a correlation id (taken from the
 * `x-correlation-id` header or made here), echoed in the response and on every log line of the
 * request; message handlers bind the envelope's correlation id the same way.
 */
export function loggingModule(service: string, level: string) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      base: { service },
      genReqId: correlationIdOf,
      customAttributeKeys: { reqId: 'correlationId' },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ method: req.method, url: req.url }),
      },
      redact: ['req.headers.authorization'],
    },
  });
}
