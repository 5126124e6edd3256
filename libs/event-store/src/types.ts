import type { SqlExecutor } from './sql';

/** The part of an event a domain defines; a union of these gives discriminated event types. */
export interface EventShape {
  type: string;
  data: unknown;
}

export type EventMetadata = Record<string, unknown>;

export type NewEvent<E extends EventShape = EventShape> = E & {
  /** Version of the data's shape for this type; 1 when absent. Readers upcast older versions. */
  schemaVersion?: number;
  metadata?: EventMetadata;
};

/**
 * Where a catch-up reader stands in the feed. The feed is ordered by (transactionId, position),
 * not by position alone: see README "Ordering and gaps". Every RecordedEvent is itself a checkpoint.
 */
export interface GlobalCheckpoint {
  /** The writing transaction's xid8, as decimal text (64 bits do not fit a JS number exactly). */
  transactionId: string;
  position: number;
}

export const START: GlobalCheckpoint = Object.freeze({ transactionId: '0', position: 0 });

export type RecordedEvent<E extends EventShape = EventShape> = E &
  GlobalCheckpoint & {
    streamId: string;
    streamVersion: number;
    schemaVersion: number;
    metadata: EventMetadata;
    recordedAt: Date;
  };

/**
 * An event as a fold needs it, read stream by stream (`EventStore.readStreamsInOrder`): without
 * the feed's checkpoint and the recording time, which a rebuild never reads and PostgreSQL and pg
 * would otherwise print and parse for every event (a third of the read's cost in the service, with
 * the timestamp's `Date`). `position` stays: it orders events across streams.
 */
export type StreamEvent<E extends EventShape = EventShape> = E & {
  position: number;
  streamId: string;
  streamVersion: number;
  schemaVersion: number;
  metadata: EventMetadata;
};

/**
 * - a number: the stream must be exactly at that version (0 = the stream has no events yet);
 * - 'no-stream': the stream must not exist;
 * - 'any': append after whatever the stream holds.
 */
export type ExpectedVersion = number | 'no-stream' | 'any';

export interface AppendResult {
  /** Stream version after this append: pass it as expectedVersion of the next append. */
  nextExpectedVersion: number;
  /** Global positions of the appended events, in the order given. */
  positions: number[];
}

/** Runs inside the append's transaction; a throw rolls the append back. */
export type InlineProjection = (events: RecordedEvent[], tx: SqlExecutor) => Promise<void>;

export interface Snapshot<S = unknown> {
  streamId: string;
  /** Stream version the state was folded up to (inclusive). */
  version: number;
  /** Names the state's shape (e.g. `ticket-state@3`); a snapshot of another type is ignored. */
  type: string;
  data: S;
}
