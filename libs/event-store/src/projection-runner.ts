import { EventStore } from './event-store';
import { quoteSchema, run, SqlExecutor, Statement, statement, withTransaction } from './sql';
import { GlobalCheckpoint, RecordedEvent } from './types';

/** A read model kept up to date from the log, outside the append transaction. */
export interface Projection {
  /** Names its checkpoint row; change it to project from the start into a new model. */
  readonly name: string;
  /** Writes through `tx`: the same transaction moves the checkpoint, so a batch is applied once. */
  handle(events: RecordedEvent[], tx: SqlExecutor): Promise<void>;
  /** Empties the read model; `rebuild()` needs it. */
  reset?(tx: SqlExecutor): Promise<void>;
}

export interface ProjectionRunnerOptions {
  batchSize?: number;
  /** How long `start()` waits between rounds when nothing wakes it. */
  pollIntervalMs?: number;
  /** Wait before the next round after a failed one. */
  retryDelayMs?: number;
  onError?: (error: unknown, projection: string) => void;
}

interface CheckpointRow {
  transaction_id: string;
  position: string;
}

/**
 * Catch-up subscription for one projection. Several instances may run the same projection: the
 * checkpoint row lock lets one of them work at a time and the others skip the round.
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;
  private readonly onError: (error: unknown, projection: string) => void;
  private readonly sql: ReturnType<typeof statements>;
  private checkpointCreated = false;
  private running?: Promise<void>;
  private stopping = false;
  private woken = false;
  private interruptSleep?: () => void;
  private unsubscribe?: () => void;

  constructor(
    private readonly store: EventStore,
    readonly projection: Projection,
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.onError =
      options.onError ??
      ((error, projection) => console.error(`projection ${projection} failed; retrying`, error));
    this.sql = statements(quoteSchema(store.schema));
  }

  /**
   * Projects everything that is safe to read now, batch by batch. Returns the number of events
   * handled; 0 as well when another instance holds the projection.
   */
  async runOnce(): Promise<number> {
    return this.catchUp(false);
  }

  /** Keeps catching up until `stop()`: after each append of this store, and every pollIntervalMs. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.unsubscribe = this.store.onAppended(() => this.wake());
    this.running = this.follow();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.wake();
    await this.running;
    this.running = undefined;
  }

  /** Starts the next round now (or right after the current one). */
  wake(): void {
    if (this.interruptSleep) this.interruptSleep();
    else this.woken = true;
  }

  /** Empties the read model with `reset` and replays the whole log into it. */
  async rebuild(): Promise<number> {
    const reset = this.projection.reset;
    if (!reset) throw new Error(`projection ${this.projection.name} has no reset(), so it cannot be rebuilt`);
    await this.ensureCheckpoint();
    await withTransaction(this.store.pool, async (tx) => {
      // Waits for a batch in flight elsewhere, so it cannot write into the model after the reset.
      await this.run(tx, this.sql.lock, [this.projection.name]);
      await reset.call(this.projection, tx);
      await this.run(tx, this.sql.advance, [this.projection.name, '0', 0]);
    });
    return this.catchUp(true);
  }

  async checkpoint(): Promise<GlobalCheckpoint> {
    const { rows } = await this.run<CheckpointRow>(this.store.pool, this.sql.read, [this.projection.name]);
    const row = rows[0];
    return row
      ? { transactionId: row.transaction_id, position: Number(row.position) }
      : { transactionId: '0', position: 0 };
  }

  private async catchUp(wait: boolean): Promise<number> {
    await this.ensureCheckpoint();
    let total = 0;
    for (;;) {
      const handled = await this.processBatch(wait);
      if (handled === undefined) return total;
      total += handled;
      if (handled < this.batchSize) return total;
    }
  }

  /** undefined: another instance holds the checkpoint. */
  private processBatch(wait: boolean): Promise<number | undefined> {
    return withTransaction(this.store.pool, async (tx) => {
      const { rows } = await this.run<CheckpointRow>(tx, wait ? this.sql.lock : this.sql.tryLock, [
        this.projection.name,
      ]);
      const row = rows[0];
      if (!row) return undefined;
      const from = { transactionId: row.transaction_id, position: Number(row.position) };
      const events = await this.store.readAllBatch(from, this.batchSize, tx);
      if (events.length === 0) return 0;
      await this.projection.handle(events, tx);
      const last = events[events.length - 1];
      await this.run(tx, this.sql.advance, [this.projection.name, last.transactionId, last.position]);
      return events.length;
    });
  }

  private async ensureCheckpoint(): Promise<void> {
    if (this.checkpointCreated) return;
    await this.run(this.store.pool, this.sql.create, [this.projection.name]);
    this.checkpointCreated = true;
  }

  private run<R extends object>(executor: SqlExecutor, sql: Statement, values: unknown[]) {
    return run<R>(executor, sql, values, this.store.preparedStatements);
  }

  private async follow(): Promise<void> {
    while (!this.stopping) {
      let delay = this.pollIntervalMs;
      try {
        await this.runOnce();
      } catch (error) {
        this.onError(error, this.projection.name);
        delay = this.retryDelayMs;
      }
      if (!this.stopping) await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interruptSleep = done;
    });
  }
}

function statements(s: string) {
  const select = `SELECT transaction_id::text AS transaction_id, position FROM ${s}.projection_checkpoints WHERE name = $1`;
  return {
    create: statement(
      `INSERT INTO ${s}.projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`,
    ),
    read: statement(select),
    lock: statement(`${select} FOR UPDATE`),
    tryLock: statement(`${select} FOR UPDATE SKIP LOCKED`),
    advance:
      statement(`UPDATE ${s}.projection_checkpoints SET transaction_id = $2::xid8, position = $3, updated_at = now()
      WHERE name = $1`),
  };
}
