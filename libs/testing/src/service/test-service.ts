import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { mintToken } from '@aftersales/auth';
import type { Role } from '@aftersales/kernel';
import { createServiceApp } from '@aftersales/service-kit';
import { createTestDatabase, type TestDatabase } from '../postgres/test-database';

export const TEST_JWT_SECRET = 'test-secret-at-least-16-chars';

export interface TestService {
  app: INestApplication;
  server: Server;
  db: TestDatabase;
  env: Record<string, string>;
  /** A bearer header value for this role. */
  bearer(role: Role, id: string, merchantId?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Boots a service in-process against its own fresh database, with the real HTTP stack
 * (pipes, guards, filters), ready for supertest.
 */
export interface StartTestServiceOptions {
  /** Connect Kafka consumers (Nest microservices) here; they start after the app initialises. */
  beforeInit?: (app: INestApplication) => void | Promise<void>;
}

export async function startTestService(
  build: (env: Record<string, string>) => DynamicModule,
  extraEnv: Record<string, string> = {},
  options: StartTestServiceOptions = {},
): Promise<TestService> {
  const db = await createTestDatabase('svc');
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: db.url,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    ...extraEnv,
  };
  const app = await createServiceApp(build(env), { title: 'test', quiet: true });
  if (options.beforeInit) await options.beforeInit(app);
  await app.init();
  // Fastify registers its routes only when ready; supertest talks to the server without listen().
  await app.getHttpAdapter().getInstance().ready();
  if (options.beforeInit) await app.startAllMicroservices();
  return {
    app,
    server: app.getHttpServer() as Server,
    db,
    env,
    bearer: async (role, id, merchantId) =>
      `Bearer ${await mintToken({ role, id, ...(merchantId ? { merchantId } : {}), secret: TEST_JWT_SECRET })}`,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
