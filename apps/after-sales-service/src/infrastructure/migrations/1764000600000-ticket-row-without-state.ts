import type { MigrationInterface, QueryRunner } from 'typeorm';

// The ticket row is the index the queries search; the ticket itself is folded from its stream
// (docs/decisions/0006-ticket-rows-without-state.md). Its ~1.8 KB copy of the state was written
// by every command and by every ticket of a rebuild, and read back only by the ticket queries.
export class TicketRowWithoutState1764000600000 implements MigrationInterface {
  name = 'TicketRowWithoutState1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP COLUMN state`);
  }

  // The states come back with the code that reads them: `rebuild-read-models` of that version
  // fills the column again from the log; until then it holds an empty object.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN state text NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE tickets ALTER COLUMN state DROP DEFAULT`);
    await q.query(`ALTER TABLE tickets ALTER COLUMN state SET STORAGE EXTERNAL`);
  }
}
