import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { CORRELATION_HEADER, PinoNestLogger, RequestLogMiddleware } from '../src';

/** A pino logger whose records land in `lines`, parsed. */
function capturedLogger(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level, base: { service: 'test' } }, sink), lines };
}

async function serve(
  middleware: RequestLogMiddleware,
  status = 201,
): Promise<{ base: string; server: Server }> {
  const server = createServer((req, res) =>
    middleware.use(req, res, () => {
      res.statusCode = status;
      res.end(JSON.stringify({ correlationId: (req as { id?: string }).id }));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const eventually = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('RequestLogMiddleware', () => {
  it('echoes the caller’s correlation id and logs the request with it', async () => {
    const { logger, lines } = capturedLogger();
    const { base, server } = await serve(new RequestLogMiddleware(logger), 409);
    try {
      const res = await fetch(`${base}/tickets/t-1/approve?x=1`, {
        method: 'POST',
        headers: { [CORRELATION_HEADER]: 'corr-42' },
      });
      expect(res.headers.get(CORRELATION_HEADER)).toBe('corr-42');
      expect(await res.json()).toEqual({ correlationId: 'corr-42' });
      await eventually(() => lines.length > 0);
      expect(lines).toEqual([
        expect.objectContaining({
          level: 30,
          service: 'test',
          correlationId: 'corr-42',
          req: { method: 'POST', url: '/tickets/t-1/approve?x=1' },
          res: { statusCode: 409 },
          responseTime: expect.any(Number),
          msg: 'request completed',
        }),
      ]);
    } finally {
      server.close();
    }
  });

  it('makes a correlation id when the caller sends none', async () => {
    const { logger } = capturedLogger();
    const { base, server } = await serve(new RequestLogMiddleware(logger));
    try {
      const res = await fetch(`${base}/tickets`);
      const id = res.headers.get(CORRELATION_HEADER);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await res.json()).toEqual({ correlationId: id });
    } finally {
      server.close();
    }
  });

  it('logs no probe of /health or /metrics, and nothing below its level', async () => {
    const quiet = capturedLogger('warn');
    const info = capturedLogger('info');
    const a = await serve(new RequestLogMiddleware(quiet.logger));
    const b = await serve(new RequestLogMiddleware(info.logger));
    try {
      await fetch(`${a.base}/tickets`);
      await fetch(`${b.base}/health/ready`);
      await fetch(`${b.base}/metrics`);
      await fetch(`${b.base}/tickets`);
      await eventually(() => info.lines.length > 0);
      expect(quiet.lines).toEqual([]);
      expect(info.lines.map((l) => (l.req as { url: string }).url)).toEqual(['/tickets']);
    } finally {
      a.server.close();
      b.server.close();
    }
  });
});

describe('PinoNestLogger', () => {
  it('writes Nest’s lines as pino records with their context, and errors with their stack', () => {
    const { logger, lines } = capturedLogger('debug');
    const nest = new PinoNestLogger(logger);
    nest.log('Nest application successfully started', 'NestApplication');
    nest.error('relay failed', 'Error: boom\n    at x', 'Messaging');
    nest.verbose('not at debug');
    nest.warn({ backlog: 12 }, 'Outbox');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        context: 'NestApplication',
        msg: 'Nest application successfully started',
      }),
      expect.objectContaining({
        level: 50,
        context: 'Messaging',
        stack: 'Error: boom\n    at x',
        msg: 'relay failed',
      }),
      expect.objectContaining({ level: 40, context: 'Outbox', backlog: 12 }),
    ]);
  });
});
