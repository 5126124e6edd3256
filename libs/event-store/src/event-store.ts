import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { Clock, ConcurrencyError, systemClock } from '@aftersales/kernel';
import { CopyOutReader } from './copy-out';
import { STREAM_VERSION_CONSTRAINT } from './schema';
import {
  parameterBinder,
  quoteSchema,
  run,
  SqlExecutor,
  SqlPool,
  sqlStateOf,
  Statement,
  statement,
  withTransaction,
} from './sql';
import {
  AppendResult,
  EventMetadata,
  EventShape,
  ExpectedVersion,
  GlobalCheckpoint,
  InlineProjection,
  NewEvent,
  RecordedEvent,
  Snapshot,
  START,
  StreamEvent,
} from './types';
import { UpcasterRegistry } from './upcasting';

export interface EventStoreOptions {
  /** PostgreSQL schema holding the tables (schema per service on a shared server). */
  schema?: string;
  upcasters?: UpcasterRegistry;
  /** Run inside every append's transaction, e.g. a unique-index read model such as line locks. */
  inlineProjections?: InlineProjection[];
  /** Stamps recorded_at; tests pass a ManualClock. */
  clock?: Clock;
  /** How often an 'any' append retries when another writer takes the same version first. */
  anyRetries?: number;
  /** Named prepared statements on pg executors (default true); turn off behind a transaction-mode pooler. */
  preparedStatements?: boolean;
}

export interface AppendOptions {
  /**
   * The caller's open transaction: the append, the inline projections and the caller's own writes
   * (outbox rows, read models) commit or roll back together. The caller commits.
   */
  inTransaction?: SqlExecutor;
  /** Added to the store's inline projections for this append only. */
  inlineProjections?: InlineProjection[];
  /**
   * The caller's own writes, run in the same statement as the append (one round trip, atomic
   * without a transaction). They see the appended rows as the CTE `appended` and must write only
   * `WHERE EXISTS (SELECT 1 FROM appended)`, since data-modifying CTEs run even when the append
   * inserted nothing (a stale expected version).
   */
  followedBy?: FollowUp;
}

/**
 * Data-modifying CTEs for `AppendOptions.followedBy`. `param(value, type)` binds a value and returns
 * its placeholder (`$9::text[]`); bind the same values in the same order on every call so that
 * the statement text stays the same and is prepared once.
 */
export interface FollowUp {
  build(param: (value: unknown, type: string) => string): {
    /** `name AS (...)` items, comma-separated. */
    ctes: string;
    /** Extra expressions for the final SELECT, needed for CTEs that only SELECT (they run only if read). */
    select?: string;
  };
}

export interface ReadStreamOptions {
  /** First stream version to return (inclusive); 1 when absent. */
  fromVersion?: number;
  /** Read inside the caller's transaction, e.g. to decide and append in one. */
  executor?: SqlExecutor;
}

export interface AggregateOptions {
  /** Only a snapshot of this type is used; any snapshot when absent. Also the type of saved snapshots. */
  snapshotType?: string;
  /** Save a snapshot (of snapshotType) when at least this many events were folded past the last one. */
  snapshotEvery?: number;
  executor?: SqlExecutor;
}

export interface Aggregate<S> {
  state: S;
  /** Stream version folded up to; the expectedVersion for the next append. 0 for a new stream. */
  version: number;
}

interface EventRow {
  position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

type StreamEventRow = Omit<EventRow, 'transaction_id' | 'recorded_at' | 'position'> & {
  position: string | number;
};

interface InsertedRow {
  position: string;
  stream_version: number;
  transaction_id: string;
}

const EVENT_COLUMNS =
  'position, transaction_id::text AS transaction_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at';
/** What readStreamsInOrder reads of each event, in the order of its COPY's fields. */
const STREAM_EVENT_FIELDS = [
  'position',
  'stream_id',
  'stream_version',
  'type',
  'schema_version',
  'data',
  'metadata',
] as const;

/**
 * Bytes of the COPY that may wait in the stream for the reader: with what the socket holds,
 * PostgreSQL produces the next batch or two while the caller works on one.
 */
const COPY_READ_AHEAD_BYTES = 1 << 20;

export class EventStore {
  readonly schema: string;
  private readonly upcasters: UpcasterRegistry;
  private readonly inlineProjections: InlineProjection[];
  private readonly clock: Clock;
  private readonly anyRetries: number;
  readonly preparedStatements: boolean;
  private readonly listeners = new Set<(streamId: string) => void>();
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    readonly pool: SqlPool,
    options: EventStoreOptions = {},
  ) {
    this.schema = options.schema ?? 'public';
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.inlineProjections = options.inlineProjections ?? [];
    this.clock = options.clock ?? systemClock;
    this.anyRetries = options.anyRetries ?? 5;
    this.preparedStatements = options.preparedStatements ?? true;
    this.sql = statements(quoteSchema(this.schema));
  }

  /**
   * Appends `events` to the stream if it is at `expectedVersion`, else throws ConcurrencyError.
   * Without `inTransaction` and without inline projections this is a single autocommitted
   * statement: one round trip.
   */
  async append<E extends EventShape>(
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: ReadonlyArray<NewEvent<E>>,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    if (typeof expectedVersion === 'number' && !(Number.isInteger(expectedVersion) && expectedVersion >= 0)) {
      throw new RangeError(`expectedVersion must be a non-negative integer, 'no-stream' or 'any'`);
    }
    const inline = [...this.inlineProjections, ...(options.inlineProjections ?? [])];
    const write = (tx: SqlExecutor) =>
      this.appendWith(tx, streamId, expectedVersion, events, inline, options.followedBy);

    if (options.inTransaction) return write(options.inTransaction);

    // An 'any' append that lost a race for the next version may simply try again; the others may not.
    const attempts = expectedVersion === 'any' ? this.anyRetries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = inline.length === 0 ? await write(this.pool) : await withTransaction(this.pool, write);
        this.notifyAppended(streamId);
        return result;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= attempts) throw await this.withActualVersion(error);
      }
    }
  }

  /**
   * Wakes in-process catch-up runners. The store calls it after its own commits; a caller that
   * appended with `inTransaction` may call it after committing (runners also poll).
   */
  notifyAppended(streamId: string): void {
    for (const listener of this.listeners) listener(streamId);
  }

  /** Returns the unsubscribe function. */
  onAppended(listener: (streamId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async readStream<E extends EventShape = EventShape>(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<RecordedEvent<E>[]> {
    const { rows } = await this.run<EventRow>(options.executor ?? this.pool, this.sql.readStream, [
      streamId,
      options.fromVersion ?? 1,
    ]);
    return rows.map((row) => this.toRecorded<E>(row));
  }

  /**
   * Several whole streams in one statement, each in version order: a page of aggregates read at
   * once. Streams with no events are absent from the map.
   */
  async readStreams<E extends EventShape = EventShape>(
    streamIds: readonly string[],
    executor: SqlExecutor = this.pool,
  ): Promise<Map<string, RecordedEvent<E>[]>> {
    const streams = new Map<string, RecordedEvent<E>[]>();
    if (streamIds.length === 0) return streams;
    const { rows } = await this.run<EventRow>(executor, this.sql.readStreams, [streamIds]);
    for (const row of rows) {
      const event = this.toRecorded<E>(row);
      const stream = streams.get(event.streamId);
      if (stream) stream.push(event);
      else streams.set(event.streamId, [event]);
    }
    return streams;
  }

  /** Current version of the stream; 0 when it has no events. */
  async streamVersion(streamId: string, executor: SqlExecutor = this.pool): Promise<number> {
    const { rows } = await this.run<{ version: number }>(executor, this.sql.streamVersion, [streamId]);
    return rows[0]?.version ?? 0;
  }

  /**
   * The whole log after `from`, in batches, up to what is safe to read now (see README "Ordering
   * and gaps"). `from` is a checkpoint (any RecordedEvent is one), or a position: 0 for the start,
   * otherwise the position of an existing event to continue after.
   */
  async *readAll(from: GlobalCheckpoint | number = START, batchSize = 500): AsyncGenerator<RecordedEvent[]> {
    let checkpoint = await this.checkpointOf(from);
    for (;;) {
      const batch = await this.readAllBatch(checkpoint, batchSize);
      if (batch.length > 0) yield batch;
      if (batch.length < batchSize) return;
      const last = batch[batch.length - 1];
      checkpoint = { transactionId: last.transactionId, position: last.position };
    }
  }

  /**
   * Every stream whose id starts with `prefix`, one after the other (by stream id), each in version
   * order, in batches of `batchSize` events, all from one snapshot of the log. A rebuild folds a
   * stream to its end before the next begins, so it can write each result as soon as its stream
   * ends; the global feed (`readAll`) interleaves streams and gives no such point. Each event keeps
   * its position, for a caller that needs the order across streams.
   *
   * The log comes as one `COPY (SELECT …) TO STDOUT` in the binary format, read field by field
   * where it lies (CopyOutReader): a cursor's rows cost pg a message, an array of strings and an
   * object each, 21–32 % of the read's CPU in the service (docs/performance.md, session 12). So it
   * needs a pg Pool, not any SqlPool. The COPY streams with back-pressure: PostgreSQL runs ahead
   * of the reader only by what the socket and the stream buffer hold, whatever the log's size.
   */
  async *readStreamsInOrder(
    options: { prefix?: string; batchSize?: number } = {},
  ): AsyncGenerator<StreamEvent[]> {
    const batchSize = options.batchSize ?? 5000;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new RangeError('batchSize must be a positive integer');
    const client = await this.pool.connect();
    if (!(client instanceof Client)) {
      client.release();
      throw new TypeError('readStreamsInOrder reads the log with COPY, which needs a pg Pool');
    }
    let open = false;
    let copying = false;
    let failed = false;
    let broken: Error | undefined;
    try {
      // One snapshot for the whole read: a stream read half before and half after a commit would
      // fold into a state that never existed.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      open = true;
      // The (stream_id, stream_version) index gives the order; without this, a planner that expects
      // every row to be read may choose a sequential scan and a sort of the whole log on disk.
      await client.query('SET LOCAL enable_sort = off');
      copying = true;
      const copy = client.query(
        copyTo(this.sql.copyStreamsInOrder(client.escapeLiteral(options.prefix ?? '')), {
          highWaterMark: COPY_READ_AHEAD_BYTES,
        }),
      );
      const reader = new CopyOutReader(`${this.schema}.events`, STREAM_EVENT_FIELDS);
      let batch: StreamEvent[] = [];
      for await (const chunk of copy as AsyncIterable<Buffer>) {
        reader.push(chunk);
        while (reader.next()) {
          batch.push(
            this.toStreamEvent({
              position: reader.int8(0),
              stream_id: reader.text(1),
              stream_version: reader.int4(2),
              type: reader.text(3),
              schema_version: reader.int4(4),
              data: reader.json(5),
              metadata: reader.json(6) as EventMetadata,
            }),
          );
          if (batch.length === batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      copying = false;
      if (!reader.complete) throw new Error(`the COPY of ${this.schema}.events ended early`);
      if (batch.length > 0) yield batch;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // Also when the consumer stops early (a failed rebuild): the read's transaction ends here. A
      // COPY cut short leaves its rows still coming on the connection, so that connection is closed
      // (ending its transaction) instead of reused, as is one that could not end it.
      if (copying) {
        broken = new Error('readStreamsInOrder stopped during its COPY');
      } else if (open) {
        try {
          await client.query(failed ? 'ROLLBACK' : 'COMMIT');
        } catch (error) {
          broken = error instanceof Error ? error : new Error(String(error));
        }
      }
      client.release(broken);
    }
  }

  /** One batch of the feed after `from`; catch-up runners call it inside their transaction. */
  async readAllBatch(
    from: GlobalCheckpoint,
    limit: number,
    executor: SqlExecutor = this.pool,
  ): Promise<RecordedEvent[]> {
    const { rows } = await this.run<EventRow>(executor, this.sql.readAll, [
      from.transactionId,
      from.position,
      limit,
    ]);
    return rows.map((row) => this.toRecorded(row));
  }

  /** Folds the stream into a state, starting from its latest snapshot when there is a usable one. */
  async aggregateStream<S, E extends EventShape = EventShape>(
    streamId: string,
    evolve: (state: S, event: RecordedEvent<E>) => S,
    initialState: S,
    options: AggregateOptions = {},
  ): Promise<Aggregate<S>> {
    const executor = options.executor ?? this.pool;
    const snapshot = await this.loadSnapshot<S>(streamId, executor);
    const usable = snapshot && (options.snapshotType === undefined || snapshot.type === options.snapshotType);
    let state = usable ? snapshot.data : initialState;
    let version = usable ? snapshot.version : 0;
    const events = await this.readStream<E>(streamId, { fromVersion: version + 1, executor });
    for (const event of events) {
      state = evolve(state, event);
      version = event.streamVersion;
    }
    if (options.snapshotType && options.snapshotEvery && events.length >= options.snapshotEvery) {
      await this.saveSnapshot({ streamId, version, type: options.snapshotType, data: state }, executor);
    }
    return { state, version };
  }

  /** Keeps one snapshot per stream: a newer version, or a snapshot of another type, replaces it. */
  async saveSnapshot<S>(snapshot: Snapshot<S>, executor: SqlExecutor = this.pool): Promise<void> {
    await this.run(executor, this.sql.saveSnapshot, [
      snapshot.streamId,
      snapshot.version,
      snapshot.type,
      JSON.stringify(snapshot.data),
      this.clock.now(),
    ]);
  }

  async loadSnapshot<S>(
    streamId: string,
    executor: SqlExecutor = this.pool,
  ): Promise<Snapshot<S> | undefined> {
    const { rows } = await this.run<{ version: number; type: string; data: S }>(
      executor,
      this.sql.loadSnapshot,
      [streamId],
    );
    const row = rows[0];
    return row && { streamId, version: row.version, type: row.type, data: row.data };
  }

  private async appendWith<E extends EventShape>(
    executor: SqlExecutor,
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: ReadonlyArray<NewEvent<E>>,
    inline: InlineProjection[],
    followedBy?: FollowUp,
  ): Promise<AppendResult> {
    const recordedAt = this.clock.now();
    const one = events.length === 1;
    const columns = one
      ? [
          events[0].type,
          events[0].schemaVersion ?? 1,
          JSON.stringify(events[0].data),
          JSON.stringify(events[0].metadata ?? {}),
        ]
      : [
          events.map((event) => event.type),
          events.map((event) => event.schemaVersion ?? 1),
          events.map((event) => JSON.stringify(event.data)),
          events.map((event) => JSON.stringify(event.metadata ?? {})),
        ];
    const append = one ? this.sql.appendOne : this.sql.appendMany;
    const [sql, params]: [Statement, unknown[]] =
      expectedVersion === 'any'
        ? [append.any, [streamId, ...columns, recordedAt]]
        : expectedVersion === 'no-stream' || expectedVersion === 0
          ? [append.new, [streamId, ...columns, recordedAt]]
          : [append.at, [streamId, ...columns, recordedAt, expectedVersion]];

    const [text, values] = followedBy ? withFollowUp(sql, params, followedBy) : [sql, params];
    let rows: InsertedRow[];
    try {
      ({ rows } = await this.run<InsertedRow>(executor, text, values));
    } catch (error) {
      const { code, constraint } = sqlStateOf(error);
      if (code === '23505' && constraint === STREAM_VERSION_CONSTRAINT) {
        throw new ConcurrencyError(
          `stream ${streamId} was appended concurrently; expected version is stale`,
          {
            streamId,
            expectedVersion,
          },
        );
      }
      throw error;
    }
    if (rows.length === 0) throw await this.mismatch(executor, streamId, expectedVersion);

    rows.sort((a, b) => a.stream_version - b.stream_version);
    if (inline.length > 0) {
      const recorded = rows.map((row, index): RecordedEvent => ({
        type: events[index].type,
        data: events[index].data,
        schemaVersion: events[index].schemaVersion ?? 1,
        metadata: events[index].metadata ?? {},
        position: Number(row.position),
        transactionId: row.transaction_id,
        streamId,
        streamVersion: row.stream_version,
        recordedAt,
      }));
      for (const project of inline) await project(recorded, executor);
    }
    return {
      nextExpectedVersion: rows[rows.length - 1].stream_version,
      positions: rows.map((row) => Number(row.position)),
    };
  }

  /** The insert matched no row: the stream is not at the expected version, or see README on xids. */
  private async mismatch(
    executor: SqlExecutor,
    streamId: string,
    expectedVersion: ExpectedVersion,
  ): Promise<ConcurrencyError> {
    const actualVersion = await this.streamVersion(streamId, executor);
    const details = { streamId, expectedVersion, actualVersion };
    if (actualVersion === expectedVersion || expectedVersion === 'any') {
      return new ConcurrencyError(
        `stream ${streamId} was last appended by a transaction that took its id after this one; retry in a new transaction`,
        details,
      );
    }
    return new ConcurrencyError(
      `stream ${streamId} is at version ${actualVersion}, expected ${String(expectedVersion)}`,
      details,
    );
  }

  /**
   * A unique violation aborts the transaction it happens in, so the stream's version can only be
   * looked up afterwards, and only when the transaction was the store's own.
   */
  private async withActualVersion(error: ConcurrencyError): Promise<ConcurrencyError> {
    if (!error.details || 'actualVersion' in error.details) return error;
    const actualVersion = await this.streamVersion(String(error.details.streamId));
    return new ConcurrencyError(`${error.message} (now at version ${actualVersion})`, {
      ...error.details,
      actualVersion,
    });
  }

  private async checkpointOf(from: GlobalCheckpoint | number): Promise<GlobalCheckpoint> {
    if (typeof from !== 'number') return from;
    if (from === 0) return START;
    const { rows } = await this.run<{ transaction_id: string }>(this.pool, this.sql.transactionOf, [from]);
    if (rows.length === 0) throw new RangeError(`no event at position ${from}`);
    return { transactionId: rows[0].transaction_id, position: from };
  }

  private run<R extends object>(executor: SqlExecutor, sql: Statement, values: unknown[]) {
    return run<R>(executor, sql, values, this.preparedStatements);
  }

  private toRecorded<E extends EventShape>(row: EventRow): RecordedEvent<E> {
    const recorded: RecordedEvent = Object.assign(this.toStreamEvent(row), {
      transactionId: row.transaction_id,
      recordedAt: row.recorded_at,
    });
    // The log is untyped JSON; the caller names the event union it was written with.
    return recorded as RecordedEvent<E>;
  }

  private toStreamEvent(row: StreamEventRow): StreamEvent {
    const { schemaVersion, data } = this.upcasters.upcast(
      row.type,
      row.schema_version,
      row.data,
      row.metadata,
    );
    return {
      type: row.type,
      data,
      schemaVersion,
      metadata: row.metadata,
      position: Number(row.position),
      streamId: row.stream_id,
      streamVersion: row.stream_version,
    };
  }
}

/** The append as the CTE `appended`, the caller's CTEs after it, the appended rows as the result. */
function withFollowUp(append: Statement, params: unknown[], followUp: FollowUp): [Statement, unknown[]] {
  const values = [...params];
  const { ctes, select } = followUp.build(parameterBinder(values));
  const text = `WITH appended AS (${append.text}), ${ctes}
    SELECT position, stream_version, transaction_id${select ? `, ${select}` : ''} FROM appended`;
  return [statement(text), values];
}

function statements(s: string) {
  const insert = `INSERT INTO ${s}.events (stream_id, stream_version, type, schema_version, data, metadata, recorded_at)`;
  // The xid comparisons keep each stream's versions in feed order (transaction_id, position): a
  // transaction may not extend a stream whose last event came from a transaction with a later id.
  const append = (events: string, order: string) => {
    const returning = `${order} RETURNING position, stream_version, transaction_id::text AS transaction_id`;
    const values = `e.type, e.schema_version, e.data::json, e.metadata::json, $6::timestamptz FROM ${events}`;
    return {
      // No prior SELECT: the unique (stream_id, stream_version) index rejects a version someone
      // else took, and the one-time EXISTS filter proves the stream really is at $7.
      at: statement(`${insert}
        SELECT $1, $7::int + e.i, ${values}
        WHERE EXISTS (SELECT 1 FROM ${s}.events p
                      WHERE p.stream_id = $1 AND p.stream_version = $7::int AND p.transaction_id <= pg_current_xact_id())
        ${returning}`),
      new: statement(`${insert} SELECT $1, e.i, ${values} ${returning}`),
      any: statement(`WITH head AS (
          SELECT stream_version, transaction_id FROM ${s}.events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1)
        ${insert}
        SELECT $1, coalesce((SELECT stream_version FROM head), 0) + e.i, ${values}
        WHERE NOT EXISTS (SELECT 1 FROM head WHERE transaction_id > pg_current_xact_id())
        ${returning}`),
    };
  };
  return {
    // The single event, the common case, binds plain values: arrays cost a measurable share of a
    // one-row insert. Batches bind one array per column, so one statement serves every size.
    appendOne: append(
      `(VALUES (1, $2::text, $3::int, $4::text, $5::text)) AS e(i, type, schema_version, data, metadata)`,
      '',
    ),
    appendMany: append(
      `unnest($2::text[], $3::int[], $4::text[], $5::text[]) WITH ORDINALITY AS e(type, schema_version, data, metadata, i)`,
      // Positions are drawn in the order rows reach the insert.
      'ORDER BY e.i',
    ),
    // COPY takes no parameters: the prefix comes as a literal quoted by pg.
    copyStreamsInOrder: (prefixLiteral: string) => `COPY (
      SELECT ${STREAM_EVENT_FIELDS.join(', ')} FROM ${s}.events WHERE starts_with(stream_id, ${prefixLiteral})
      ORDER BY stream_id, stream_version) TO STDOUT (FORMAT binary)`,
    readStream: statement(`SELECT ${EVENT_COLUMNS} FROM ${s}.events
      WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`),
    readStreams: statement(`SELECT ${EVENT_COLUMNS} FROM ${s}.events
      WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`),
    streamVersion: statement(`SELECT max(stream_version) AS version FROM ${s}.events WHERE stream_id = $1`),
    // Only transactions older than every transaction still running are final: nothing can appear
    // below this line later. See README "Ordering and gaps". The ORDER BY is qualified because the
    // bare name would pick the text output column and sort 1001 before 997.
    readAll: statement(`SELECT ${EVENT_COLUMNS} FROM ${s}.events e
      WHERE (e.transaction_id, e.position) > ($1::xid8, $2::bigint)
        AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY e.transaction_id, e.position LIMIT $3`),
    transactionOf: statement(
      `SELECT transaction_id::text AS transaction_id FROM ${s}.events WHERE position = $1`,
    ),
    saveSnapshot: statement(`INSERT INTO ${s}.snapshots AS old (stream_id, version, type, data, created_at)
      VALUES ($1, $2, $3, $4::jsonb, $5)
      ON CONFLICT (stream_id) DO UPDATE
        SET version = excluded.version, type = excluded.type, data = excluded.data, created_at = excluded.created_at
        WHERE old.version < excluded.version OR old.type <> excluded.type`),
    loadSnapshot: statement(`SELECT version, type, data FROM ${s}.snapshots WHERE stream_id = $1`),
  };
}
