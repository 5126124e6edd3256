import type { MigrationInterface, QueryRunner } from 'typeorm';

// The ticket row's state is only ever written by this service, from JSON.stringify, and read
// back whole and parsed by it; nothing queries inside it. A `json` column checks every ~1.8 KB
// value by parsing it again: ~10 µs of PostgreSQL per row, a fifth of what loading the tickets
// costs a rebuild, on top of every command's write.
export class TicketStateAsText1764000500000 implements MigrationInterface {
  name = 'TicketStateAsText1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ALTER COLUMN state TYPE text USING state::text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ALTER COLUMN state TYPE json USING state::json`);
  }
}
