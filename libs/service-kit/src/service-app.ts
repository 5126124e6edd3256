import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ServiceConfig } from './config/service.config';
import { ConfigurationError } from './config/validate-config';
import { createValidationPipe } from './http/validation.pipe';
import { HttpMetrics } from './metrics/metrics';
import { PinoNestLogger } from './logging/logging';

export interface ServiceAppOptions {
  title: string;
  description?: string;
  /** Keep Nest's own start-up lines out of test output. */
  quiet?: boolean;
  /** Connects the service's Kafka consumers (Nest microservices); they start before HTTP listens. */
  connectConsumers?: (app: INestApplication) => void;
}

/**
 * Builds the Nest application with the platform-wide pipes, logger, metrics and OpenAPI at /docs,
 * on Fastify: Express with its router and body parser took ~0.35 ms of the event loop per command
 * (bench:after-sales, docs/performance.md).
 */
export async function createServiceApp(
  rootModule: Type<unknown> | DynamicModule,
  options: ServiceAppOptions,
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, new FastifyAdapter(), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(options.quiet ? false : app.get(PinoNestLogger));
  app.get(HttpMetrics).observe(app.getHttpAdapter().getInstance());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description ?? '')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** `main.ts` of every service: build, listen on PORT, and fail fast with a readable message. */
export async function runService(
  loadModule: () => Type<unknown> | DynamicModule,
  options: ServiceAppOptions,
): Promise<void> {
  try {
    const app = await createServiceApp(loadModule(), options);
    const config = app.get(ServiceConfig);
    if (options.connectConsumers) {
      options.connectConsumers(app);
      await app.startAllMicroservices();
    }
    await app.listen(config.PORT, '0.0.0.0');
  } catch (e) {
    if (e instanceof ConfigurationError) {
      process.stderr.write(`${options.title}: ${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    process.stderr.write(`${options.title} failed to start: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  }
}
