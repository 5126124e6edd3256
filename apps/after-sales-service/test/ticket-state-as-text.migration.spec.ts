import { TicketStateAsText1764000500000 } from '../src/infrastructure/migrations/1764000500000-ticket-state-as-text';
import { migrationDatabase } from './support/migration-database';

describe('migration TicketStateAsText', () => {
  const state = { ticketId: 't-1', status: 'PENDING_REVIEW', lines: [{ lineId: 'L1', title: '电水壶' }] };
  const db = migrationDatabase('ticket_state_as_text', async (pool) => {
    // The read model's table as it was while the state was json.
    await pool.query(`CREATE TABLE tickets (ticket_id text PRIMARY KEY, state json NOT NULL)`);
    await pool.query(`INSERT INTO tickets VALUES ('t-1', $1)`, [JSON.stringify(state)]);
  });
  const stateType = async () => {
    const { rows } = await db.pool.query<{ data_type: string }>(
      `SELECT data_type FROM information_schema.columns WHERE table_name = 'tickets' AND column_name = 'state'`,
    );
    return rows[0]?.data_type;
  };

  it('turns the state into text, keeping every ticket as it was written, and back', async () => {
    await new TicketStateAsText1764000500000().up(db.runner());
    expect(await stateType()).toBe('text');
    const { rows } = await db.pool.query<{ state: string }>(`SELECT state FROM tickets`);
    expect(JSON.parse(rows[0].state)).toEqual(state);

    await new TicketStateAsText1764000500000().down(db.runner());
    expect(await stateType()).toBe('json');
    const { rows: back } = await db.pool.query<{ state: unknown }>(`SELECT state FROM tickets`);
    expect(back[0].state).toEqual(state);
  });

  it('refuses to go back while a row holds text that is not JSON, and changes nothing', async () => {
    await new TicketStateAsText1764000500000().up(db.runner());
    await db.pool.query(`INSERT INTO tickets VALUES ('t-2', 'not json')`);
    await expect(new TicketStateAsText1764000500000().down(db.runner())).rejects.toThrow(/json/);
    expect(await stateType()).toBe('text');
  });
});
