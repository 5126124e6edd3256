import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@aftersales/testing';
import { TicketRowWithoutState1764000600000 } from '../src/infrastructure/migrations/1764000600000-ticket-row-without-state';

describe('migration TicketRowWithoutState', () => {
  let db: TestDatabase;
  let pool: Pool;
  const runner = () => ({ query: (sql: string) => pool.query(sql) }) as unknown as QueryRunner;
  const columns = async () => {
    const { rows } = await pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'tickets' ORDER BY ordinal_position`,
    );
    return rows.map((r) => r.column_name);
  };

  beforeAll(async () => {
    db = await createTestDatabase('ticket_row_without_state');
    pool = new Pool({ connectionString: db.url, max: 1 });
    // The read model's table as it was while it kept the state, with a ticket in it.
    await pool.query(
      `CREATE TABLE tickets (ticket_id text PRIMARY KEY, status text NOT NULL, version int NOT NULL, state text NOT NULL)`,
    );
    await pool.query(`INSERT INTO tickets VALUES ('t-1', 'PENDING_REVIEW', 1, '{"ticketId":"t-1"}')`);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('drops the state and keeps the rows; down brings the column back for a rebuild to fill', async () => {
    await new TicketRowWithoutState1764000600000().up(runner());
    expect(await columns()).toEqual(['ticket_id', 'status', 'version']);
    expect((await pool.query(`SELECT * FROM tickets`)).rows).toEqual([
      { ticket_id: 't-1', status: 'PENDING_REVIEW', version: 1 },
    ]);

    await new TicketRowWithoutState1764000600000().down(runner());
    expect(await columns()).toEqual(['ticket_id', 'status', 'version', 'state']);
    expect((await pool.query(`SELECT state FROM tickets`)).rows).toEqual([{ state: '{}' }]);
    // No default is left behind: the code of that version writes every state itself.
    await expect(pool.query(`INSERT INTO tickets VALUES ('t-2', 'PENDING_REVIEW', 1)`)).rejects.toThrow(
      /state/,
    );
  });
});
