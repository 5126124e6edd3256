import { Client } from 'pg';

/**
 * TypeORM keeps its migrations table inside the service's schema, so the schema has to exist
 * before the first migration can run.
 */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}
