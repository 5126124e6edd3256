import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { withTransaction } from '@aftersales/event-store';
import { SYSTEM_ACTOR } from '@aftersales/kernel';
import { PG_POOL } from '@aftersales/messaging';
import type { WaitingStatus } from '../domain';
import { AfterSalesServiceConfig } from '../after-sales-service.config';
import { TicketCommandHandler } from './ticket-command.handler';

interface DueRow {
  ticket_id: string;
  state: WaitingStatus;
  due_at: Date;
}

/**
 * Fires due deadlines. Each one is taken with FOR UPDATE SKIP LOCKED and expired in the same
 * transaction that deletes or moves its row, so across any number of replicas a deadline fires
 * exactly once; a crash before commit leaves it due for the next round. Time is the injected clock.
 */
@Injectable()
export class DeadlinePoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Deadlines');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly tickets: TicketCommandHandler,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly config: AfterSalesServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.DEADLINE_POLL_INTERVAL_MS === 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.DEADLINE_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.fireDue().catch((e: Error) => {
      this.logger.error(`deadline round failed: ${e.message}`);
      return 0;
    });
    await this.running;
    this.running = undefined;
  }

  /** Fires every deadline due at the clock's now; returns how many fired. */
  async fireDue(limit = 1000): Promise<number> {
    let fired = 0;
    while (fired < limit) {
      const done = await withTransaction(this.pool, async (tx) => {
        const now = this.tickets.now();
        const { rows } = await tx.query<DueRow>(
          `SELECT ticket_id, state, due_at FROM deadlines WHERE due_at <= $1
           ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [now],
        );
        const due = rows[0];
        if (!due) return false;
        await this.tickets.execute(
          due.ticket_id,
          {
            type: 'ExpireDeadline',
            data: { state: due.state, dueAt: due.due_at.toISOString() },
            metadata: { actor: SYSTEM_ACTOR, now },
          },
          { tx },
        );
        // A deadline the ticket no longer runs produced no events; make sure it cannot come back.
        await tx.query(`DELETE FROM deadlines WHERE ticket_id = $1 AND state = $2 AND due_at = $3`, [
          due.ticket_id,
          due.state,
          due.due_at,
        ]);
        return true;
      });
      if (!done) break;
      fired++;
    }
    return fired;
  }
}
