import type { MigrationInterface, QueryRunner } from 'typeorm';
import { INBOX_PRUNING_SQL } from '@aftersales/messaging';

// The inbox is pruned by age per consumer (libs/messaging, InboxConsumer.pruneHandled).
export class InboxPruningIndex1764000300000 implements MigrationInterface {
  name = 'InboxPruningIndex1764000300000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of INBOX_PRUNING_SQL) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS inbox_handled_at_idx`);
  }
}
