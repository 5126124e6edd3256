import { Client } from 'pg';
import { createTestDatabase } from '../src';

describe('createTestDatabase', () => {
  it('gives each caller its own empty database and drops it afterwards', async () => {
    const a = await createTestDatabase('spec');
    const b = await createTestDatabase('spec');
    expect(a.name).not.toEqual(b.name);
    const c = new Client({ connectionString: a.url });
    await c.connect();
    await c.query('CREATE TABLE only_in_a (id int)');
    await c.end();
    const d = new Client({ connectionString: b.url });
    await d.connect();
    const { rows } = await d.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_a'`);
    await d.end();
    expect(rows[0].n).toBe(0);
    await a.drop();
    await b.drop();
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const left = await admin.query('SELECT count(*)::int AS n FROM pg_database WHERE datname = ANY($1)', [
      [a.name, b.name],
    ]);
    await admin.end();
    expect(left.rows[0].n).toBe(0);
  });
});
