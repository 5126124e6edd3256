import { createTestDatabase, TestDatabase } from '@aftersales/testing';
import { Client, Pool } from 'pg';
import { migrateEventStore } from '../src';

export interface Harness {
  db: TestDatabase;
  pool: Pool;
  /** A dedicated connection, for holding a transaction open while the pool carries on. */
  client(): Promise<Client>;
  close(): Promise<void>;
}

export async function openHarness(schema = 'public', poolSize = 10): Promise<Harness> {
  const db = await createTestDatabase('es');
  const pool = new Pool({ connectionString: db.url, max: poolSize });
  await migrateEventStore(pool, schema);
  const clients: Client[] = [];
  return {
    db,
    pool,
    async client() {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.end()));
      await pool.end();
      await db.drop();
    },
  };
}

export function uniqueStream(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
