import type { MigrationInterface, QueryRunner } from 'typeorm';

// The event store now creates its payload columns as `json` (see libs/event-store schema.ts): an
// event is written once and read whole, and jsonb parsed every ~2 KB payload on append (~0.15 ms
// of PostgreSQL CPU per command) and printed it back on every stream read and rebuild. This brings
// stores created before that change to the same columns.
export class EventsAsJson1764000400000 implements MigrationInterface {
  name = 'EventsAsJson1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events
      ALTER COLUMN data TYPE json USING data::json,
      ALTER COLUMN metadata DROP DEFAULT,
      ALTER COLUMN metadata TYPE json USING metadata::json,
      ALTER COLUMN metadata SET DEFAULT '{}'::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events
      ALTER COLUMN data TYPE jsonb USING data::jsonb,
      ALTER COLUMN metadata DROP DEFAULT,
      ALTER COLUMN metadata TYPE jsonb USING metadata::jsonb,
      ALTER COLUMN metadata SET DEFAULT '{}'::jsonb`);
  }
}
