import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@aftersales/testing';

/**
 * A database of one migration test's own: made before the suite's tests, with `setUp` creating the
 * tables as they stood before the migration, and dropped after them. `runner()` is the QueryRunner
 * a migration's `up` and `down` take; they only call its `query`.
 */
export function migrationDatabase(
  name: string,
  setUp: (pool: Pool) => Promise<void>,
): { readonly pool: Pool; runner(): QueryRunner } {
  let db: TestDatabase | undefined;
  let pool: Pool | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(name);
    pool = new Pool({ connectionString: db.url, max: 1 });
    await setUp(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
  const handle = {
    get pool(): Pool {
      if (!pool) throw new Error(`the database of migration test ${name} is made in beforeAll`);
      return pool;
    },
    runner: () => ({ query: (sql: string) => handle.pool.query(sql) }) as unknown as QueryRunner,
  };
  return handle;
}
