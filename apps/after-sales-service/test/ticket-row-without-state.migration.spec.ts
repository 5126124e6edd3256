import { TicketRowWithoutState1764000600000 } from '../src/infrastructure/migrations/1764000600000-ticket-row-without-state';
import { migrationDatabase } from './support/migration-database';

describe('migration TicketRowWithoutState', () => {
  const db = migrationDatabase('ticket_row_without_state', async (pool) => {
    // The read model's table as it was while it kept the state, with a ticket in it.
    await pool.query(
      `CREATE TABLE tickets (ticket_id text PRIMARY KEY, status text NOT NULL, version int NOT NULL, state text NOT NULL)`,
    );
    await pool.query(`INSERT INTO tickets VALUES ('t-1', 'PENDING_REVIEW', 1, '{"ticketId":"t-1"}')`);
  });
  const columns = async () => {
    const { rows } = await db.pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'tickets' ORDER BY ordinal_position`,
    );
    return rows.map((r) => r.column_name);
  };

  it('drops the state and keeps the rows; down brings the column back for a rebuild to fill', async () => {
    await new TicketRowWithoutState1764000600000().up(db.runner());
    expect(await columns()).toEqual(['ticket_id', 'status', 'version']);
    expect((await db.pool.query(`SELECT * FROM tickets`)).rows).toEqual([
      { ticket_id: 't-1', status: 'PENDING_REVIEW', version: 1 },
    ]);

    await new TicketRowWithoutState1764000600000().down(db.runner());
    expect(await columns()).toEqual(['ticket_id', 'status', 'version', 'state']);
    expect((await db.pool.query(`SELECT state FROM tickets`)).rows).toEqual([{ state: '{}' }]);
    // No default is left behind: the code of that version writes every state itself.
    await expect(db.pool.query(`INSERT INTO tickets VALUES ('t-2', 'PENDING_REVIEW', 1)`)).rejects.toThrow(
      /state/,
    );
  });
});
