import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { openMigratedDataSource } from '../src/database/migrate';

// Slow on purpose: the second replica arrives while the first is still inside it.
class CreateParcels1700000000000 implements MigrationInterface {
  name = 'CreateParcels1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('SELECT pg_sleep(0.5)');
    await q.query('CREATE TABLE parcels (id text PRIMARY KEY)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE parcels');
  }
}

describe('openMigratedDataSource', () => {
  // The database the test run provides (libs/testing's global setup); a schema of this test's own.
  const url = process.env.DATABASE_URL ?? '';
  const schema = `depot_${Date.now().toString(36)}`;
  const client = new Client({ connectionString: url });
  beforeAll(() => client.connect());
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('lets replicas that start together migrate one at a time: both start, the migration runs once', async () => {
    const open = () =>
      openMigratedDataSource(url, schema, {
        type: 'postgres',
        url,
        schema,
        migrations: [CreateParcels1700000000000],
        migrationsTableName: 'migrations',
        extra: { options: `-c search_path=${schema}` },
      });
    const replicas = await Promise.all([open(), open(), open()]);
    await Promise.all(replicas.map((r) => r.destroy()));

    const { rows } = await client.query<{ name: string }>(`SELECT name FROM "${schema}".migrations`);
    expect(rows.map((r) => r.name)).toEqual(['CreateParcels1700000000000']);
    const { rows: held } = await client.query(
      `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = hashtext($1)::oid`,
      [`migrations:${schema}`],
    );
    expect(held).toHaveLength(0);
  });
});
