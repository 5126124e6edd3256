import { EventsAsJson1764000400000 } from '../src/infrastructure/migrations/1764000400000-events-as-json';
import { migrationDatabase } from './support/migration-database';

describe('migration EventsAsJson', () => {
  const db = migrationDatabase('events_as_json', async (pool) => {
    // The event store's table as it was created before payloads became json.
    await pool.query(`CREATE TABLE events (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      stream_id text NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL DEFAULT '{}'::jsonb)`);
    await pool.query(
      `INSERT INTO events (stream_id, data, metadata) VALUES ('ticket-1', '{"amount": 12300, "note": "退款"}', '{"actor": {"id": "c-1"}}')`,
    );
  });
  const columnTypes = async () => {
    const { rows } = await db.pool.query<{ column_name: string; data_type: string; column_default: string }>(
      `SELECT column_name, data_type, column_default FROM information_schema.columns
       WHERE table_name = 'events' AND column_name IN ('data', 'metadata') ORDER BY column_name`,
    );
    return rows;
  };

  it('turns a jsonb store into json, keeping every payload, and back', async () => {
    await new EventsAsJson1764000400000().up(db.runner());
    expect(await columnTypes()).toEqual([
      { column_name: 'data', data_type: 'json', column_default: null },
      { column_name: 'metadata', data_type: 'json', column_default: "'{}'::json" },
    ]);
    const { rows } = await db.pool.query(`SELECT data, metadata FROM events`);
    expect(rows).toEqual([{ data: { amount: 12300, note: '退款' }, metadata: { actor: { id: 'c-1' } } }]);
    await db.pool.query(`INSERT INTO events (stream_id, data) VALUES ('ticket-2', '{}')`);

    await new EventsAsJson1764000400000().down(db.runner());
    expect((await columnTypes()).map((c) => c.data_type)).toEqual(['jsonb', 'jsonb']);
    const { rows: back } = await db.pool.query(`SELECT data, metadata FROM events ORDER BY position`);
    expect(back).toEqual([
      { data: { amount: 12300, note: '退款' }, metadata: { actor: { id: 'c-1' } } },
      { data: {}, metadata: {} },
    ]);
  });
});
