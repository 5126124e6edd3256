import type { MigrationInterface, QueryRunner } from 'typeorm';

// The negotiation timeline is folded from the ticket's stream when it is asked for
// (docs/decisions/0007-timeline-from-stream.md): its table held one row per event, written by
// every command and by every event of a rebuild, and read back only by GET /tickets/:id/timeline.
export class TimelineFromStream1764000700000 implements MigrationInterface {
  name = 'TimelineFromStream1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ticket_timeline`);
  }

  // The entries come back with the code that reads them: `rebuild-read-models` of that version
  // fills the table again from the log.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_timeline (
        ticket_id text NOT NULL,
        stream_version int NOT NULL,
        at timestamptz NOT NULL,
        actor_role text NOT NULL,
        actor_id text NOT NULL,
        event_type text NOT NULL,
        from_status text,
        to_status text,
        title text NOT NULL,
        detail text NOT NULL,
        PRIMARY KEY (ticket_id, stream_version)
      )`);
  }
}
