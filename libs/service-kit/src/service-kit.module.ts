import {
  DynamicModule,
  MiddlewareConsumer,
  Module,
  NestModule,
  type Provider,
  type Type,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MixedList, EntitySchema } from 'typeorm';
import { AuthModule } from '@aftersales/auth';
import { CLOCK, systemClock, type Clock } from '@aftersales/kernel';
import { ServiceConfig } from './config/service.config';
import { validateConfig } from './config/validate-config';
import { openMigratedDataSource } from './database/migrate';
import { HealthController, ReadinessChecks } from './health/health.controller';
import { PlatformErrorFilter } from './http/error.filter';
import { MeController } from './http/me.controller';
import { createRootLogger, PinoNestLogger, RequestLogMiddleware, ROOT_LOGGER } from './logging/logging';
import { HttpMetrics, METRICS_REGISTRY, MetricsController, createMetricsRegistry } from './metrics/metrics';

export interface ServiceKitOptions<C extends ServiceConfig> {
  /** Service name, as in logs, metrics labels and the CloudEvents source. */
  service: string;
  configClass: new () => C;
  // TypeORM's own option types: a list of entity classes or schemas, and migration classes.
  entities: MixedList<Type<unknown> | EntitySchema>;
  migrations: Type<unknown>[];
  /** Environment to validate; process.env unless a test gives its own. */
  env?: Record<string, string | undefined>;
  /** The system clock unless a test moves time itself. */
  clock?: Clock;
}

/**
 * Everything a service has from its first commit: validated config, JSON logs with correlation
 * ids, its own PostgreSQL schema with migrations run on start-up, auth, health, metrics, one
 * error shape, and an injectable clock.
 */
@Module({})
export class ServiceKitModule implements NestModule {
  static forRoot<C extends ServiceConfig>(options: ServiceKitOptions<C>): DynamicModule {
    // Validated before anything else is built, so a bad variable stops start-up with its name.
    const config = validateConfig(options.configClass, options.env ?? process.env);
    const providers: Provider[] = [
      { provide: options.configClass, useValue: config },
      { provide: ServiceConfig, useValue: config },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      { provide: METRICS_REGISTRY, useValue: createMetricsRegistry(options.service) },
      { provide: APP_FILTER, useClass: PlatformErrorFilter },
      { provide: ROOT_LOGGER, useValue: createRootLogger(options.service, config.LOG_LEVEL) },
      PinoNestLogger,
      ReadinessChecks,
      HttpMetrics,
    ];
    return {
      module: ServiceKitModule,
      global: true,
      imports: [
        TerminusModule,
        AuthModule.forRootAsync({
          inject: [],
          useFactory: () => ({
            jwtSecret: config.AUTH_JWT_SECRET,
            jwksUrl: config.AUTH_JWKS_URL,
            issuer: config.AUTH_ISSUER,
            audience: config.AUTH_AUDIENCE,
            cacheSeconds: config.AUTH_TOKEN_CACHE_SECONDS,
          }),
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => {
            return {
              type: 'postgres' as const,
              url: config.DATABASE_URL,
              schema: config.DATABASE_SCHEMA,
              entities: options.entities,
              migrations: options.migrations,
              migrationsTableName: 'migrations',
              synchronize: false,
              // Raw SQL (migrations, the event store) then lands in the service's own schema too.
              extra: { max: config.DATABASE_POOL_SIZE, options: `-c search_path=${config.DATABASE_SCHEMA}` },
            };
          },
          // Migrations run before the service starts, never concurrently with another replica's.
          dataSourceFactory: async (dataSourceOptions) => {
            if (!dataSourceOptions) throw new Error('TypeORM gave no DataSource options');
            return openMigratedDataSource(config.DATABASE_URL, config.DATABASE_SCHEMA, dataSourceOptions);
          },
        }),
      ],
      controllers: [HealthController, MetricsController, MeController],
      providers,
      exports: [
        options.configClass,
        ServiceConfig,
        CLOCK,
        METRICS_REGISTRY,
        ReadinessChecks,
        ROOT_LOGGER,
        PinoNestLogger,
        HttpMetrics,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware).forRoutes('*path');
  }
}
