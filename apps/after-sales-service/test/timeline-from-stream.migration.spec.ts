import { TimelineFromStream1764000700000 } from '../src/infrastructure/migrations/1764000700000-timeline-from-stream';
import { migrationDatabase } from './support/migration-database';

describe('migration TimelineFromStream', () => {
  const db = migrationDatabase('timeline_from_stream', async (pool) => {
    // The timeline's table as the ticket store's migration made it, with an entry in it.
    await pool.query(`
      CREATE TABLE ticket_timeline (
        ticket_id text NOT NULL, stream_version int NOT NULL, at timestamptz NOT NULL,
        actor_role text NOT NULL, actor_id text NOT NULL, event_type text NOT NULL,
        from_status text, to_status text, title text NOT NULL, detail text NOT NULL,
        PRIMARY KEY (ticket_id, stream_version))`);
    await pool.query(
      `INSERT INTO ticket_timeline VALUES ('t-1', 1, now(), 'customer', 'c-1', 'AfterSalesApplied', NULL, 'PENDING_REVIEW', 'Applied', '')`,
    );
  });
  const columns = async () => {
    const { rows } = await db.pool.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_name = 'ticket_timeline' ORDER BY ordinal_position`,
    );
    return rows.map((r) => `${r.column_name} ${r.data_type}${r.is_nullable === 'NO' ? ' not null' : ''}`);
  };

  it('drops the table; down makes it again, empty, for a rebuild of that version to fill', async () => {
    const before = await columns();
    await new TimelineFromStream1764000700000().up(db.runner());
    expect(await columns()).toEqual([]);

    await new TimelineFromStream1764000700000().down(db.runner());
    expect(await columns()).toEqual(before);
    expect((await db.pool.query(`SELECT * FROM ticket_timeline`)).rows).toEqual([]);
    const { rows } = await db.pool.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'ticket_timeline'::regclass AND contype = 'p'`,
    );
    expect(rows).toEqual([{ def: 'PRIMARY KEY (ticket_id, stream_version)' }]);
  });
});
