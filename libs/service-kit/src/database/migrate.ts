import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Opens the service's DataSource after creating its schema (TypeORM keeps the migrations table in
 * it) and running its migrations, one process at a time: replicas that start together, in a
 * rollout or a scale-up, wait on a PostgreSQL advisory lock instead of racing to create the same
 * schema and tables. The lock belongs to a session of its own, so it goes when that connection
 * does, crash or not.
 */
export async function openMigratedDataSource(
  url: string,
  schema: string,
  options: DataSourceOptions,
): Promise<DataSource> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
    try {
      await dataSource.runMigrations({ transaction: 'all' });
    } catch (e) {
      await dataSource.destroy();
      throw e;
    }
    return dataSource;
  } finally {
    await lock.end();
  }
}
