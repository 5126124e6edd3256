import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** The column types the rebuild writes, each in PostgreSQL's binary COPY form. */
export type CopyType = 'text' | 'int4' | 'timestamptz';

export interface CopyColumn {
  name: string;
  type: CopyType;
}

/** Columns in the order written: `copyColumns({ id: 'text', at: 'timestamptz' })`. */
export const copyColumns = (spec: Record<string, CopyType>): CopyColumn[] =>
  Object.entries(spec).map(([name, type]) => ({ name, type }));

// Binary COPY: every field is a length and its bytes, so nothing is escaped on this side and
// nothing is scanned for delimiters on PostgreSQL's (the text format cost both sides about a
// third more for the timeline rows a rebuild wrote before decision 0007). Layout: PostgreSQL
// docs, "COPY", Binary Format.
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const TRAILER = Buffer.from([0xff, 0xff]);
const CHUNK = 65_536;
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_TO_32 = 4_294_967_296;

/** Fills ~64 KB buffers with tuples, keeping each full one in `full`. */
class TupleWriter {
  private buffer = Buffer.allocUnsafe(CHUNK);
  private at = 0;
  readonly full: Buffer[] = [];

  constructor(
    private readonly table: string,
    private readonly columns: readonly CopyColumn[],
  ) {}

  tuple(row: readonly unknown[]): void {
    if (row.length !== this.columns.length) {
      throw new TypeError(
        `COPY ${this.table}: a row has ${row.length} fields for ${this.columns.length} columns`,
      );
    }
    this.room(2);
    this.buffer.writeInt16BE(row.length, this.at);
    this.at += 2;
    for (let i = 0; i < row.length; i++) this.field(row[i], this.columns[i]);
  }

  /** What is left in the current buffer, once every tuple has been written. */
  rest(): Buffer | null {
    return this.at > 0 ? this.buffer.subarray(0, this.at) : null;
  }

  private field(value: unknown, column: CopyColumn): void {
    if (value === null || value === undefined) {
      this.room(4);
      this.buffer.writeInt32BE(-1, this.at);
      this.at += 4;
      return;
    }
    switch (column.type) {
      case 'text': {
        if (typeof value !== 'string')
          throw new TypeError(`COPY ${this.table}.${column.name}: not a string: ${String(value)}`);
        const text = value;
        // A UTF-16 code unit is at most 3 bytes of UTF-8.
        this.room(4 + text.length * 3);
        const bytes = this.buffer.write(text, this.at + 4, 'utf8');
        this.buffer.writeInt32BE(bytes, this.at);
        this.at += 4 + bytes;
        return;
      }
      case 'int4': {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
          throw new TypeError(`COPY ${this.table}.${column.name}: not a 32-bit integer: ${String(value)}`);
        }
        this.room(8);
        this.buffer.writeInt32BE(4, this.at);
        this.buffer.writeInt32BE(value, this.at + 4);
        this.at += 8;
        return;
      }
      case 'timestamptz': {
        const ms = instantOf(value);
        if (ms === null) {
          throw new TypeError(
            `COPY ${this.table}.${column.name}: not an ISO-8601 UTC instant: ${String(value)}`,
          );
        }
        // Microseconds since 2000-01-01 UTC as a signed 64-bit integer, written as two halves.
        const micros = (ms - PG_EPOCH_MS) * 1000;
        const high = Math.floor(micros / TWO_TO_32);
        this.room(12);
        this.buffer.writeInt32BE(8, this.at);
        this.buffer.writeInt32BE(high, this.at + 4);
        this.buffer.writeUInt32BE(micros - high * TWO_TO_32, this.at + 8);
        this.at += 12;
        return;
      }
    }
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    if (this.at > 0) this.full.push(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK, bytes));
    this.at = 0;
  }
}

/**
 * Milliseconds since 1970 of what Date#toISOString writes (`2026-11-25T06:00:00.000Z`, the
 * fraction 0-3 digits): the one form whose instant is read without guessing a zone. Anything else,
 * a 30 February included, is null. Read by hand: a rebuild writes two or three instants per
 * ticket, and a regular expression with Date.parse took 4 % of its event loop's time in a profile
 * (when it also wrote one per timeline entry).
 */
export function instantOf(value: unknown): number | null {
  if (typeof value !== 'string' || value.length < 20 || value.length > 24) return null;
  const s = value;
  const last = s.length - 1;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[last] !== 'Z') {
    return null;
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  let ms = 0;
  if (last > 19) {
    if (s[19] !== '.' || last === 20) return null;
    ms = digits(s, 20, last - 20) * 10 ** (23 - last);
  }
  // NaN (a non-digit) fails every comparison.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month))) return null;
  if (!(hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return null;
  // Date.UTC reads years 0-99 as 1900-1999; 400 years later the calendar repeats, to the day.
  return Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - FOUR_CENTURIES_MS;
}

const FOUR_CENTURIES_MS = 146_097 * 86_400_000;

/** The decimal number in s[from, from + count), or NaN if any of it is not a digit. */
function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A table's rows as the bytes of one COPY, ready to send: every value was checked as it was encoded. */
export interface EncodedCopy {
  statement: string;
  buffers: Buffer[];
  rows: number;
}

/**
 * Encodes rows for COPY FROM STDIN in the binary format: header, tuples in ~64 KB buffers, trailer.
 * Each row holds one value per column, in the columns' order; null and undefined are NULL. A value
 * that cannot be written fails here, before any COPY starts, so the connection is left as it was
 * (a COPY cancelled half-way leaves pg still waiting for the server when the promise rejects).
 */
export function encodeCopy(
  table: string,
  columns: readonly CopyColumn[],
  rows: Iterable<readonly unknown[]>,
): EncodedCopy {
  const writer = new TupleWriter(table, columns);
  let count = 0;
  for (const row of rows) {
    writer.tuple(row);
    count++;
  }
  const rest = writer.rest();
  return {
    statement: `COPY ${table} (${columns.map((c) => c.name).join(', ')}) FROM STDIN (FORMAT binary)`,
    buffers: [HEADER, ...writer.full, ...(rest ? [rest] : []), TRAILER],
    rows: count,
  };
}

/**
 * Copies of one table's rows as one COPY: the tuples of each, in order, between one header and one
 * trailer. PostgreSQL's COPY makes up to 1,000 tuple slots per statement and drops them at its end
 * (about a microsecond each), so fewer and larger statements cost it less for the same rows:
 * 33,600 rows of the timeline table of that time took its backend 70 ms of CPU in 17 statements,
 * 54 ms in 5.
 */
export function joinCopies(copies: readonly EncodedCopy[]): EncodedCopy {
  const [first] = copies;
  if (!first) throw new RangeError('joinCopies needs at least one copy');
  const other = copies.find((c) => c.statement !== first.statement);
  if (other) throw new RangeError(`joinCopies: "${other.statement}" is not "${first.statement}"`);
  return {
    statement: first.statement,
    buffers: [HEADER, ...copies.flatMap((c) => c.buffers.slice(1, -1)), TRAILER],
    rows: copies.reduce((sum, c) => sum + c.rows, 0),
  };
}

/**
 * Copies for one connection, sent one COPY at a time in the order they were added. While a COPY
 * runs, the rows added meanwhile wait, each table's joined into one COPY for when it ends. So
 * neither side waits for the other while both have work: COPYs grow when PostgreSQL is the slower
 * side (fewer statements, see joinCopies) and stay small when the producer is. `add` makes the
 * producer wait once `maxWaitingRows` rows wait, which bounds the bytes held to about that many
 * rows' whatever the log's length.
 */
export class CopyQueue {
  private readonly waiting = new Map<string, EncodedCopy[]>();
  private waitingRows = 0;
  private running: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly send: (copy: EncodedCopy) => Promise<void>,
    private readonly maxWaitingRows: number,
  ) {}

  /** Queues the copies; resolves once fewer than maxWaitingRows rows wait. Rejects once a COPY has failed. */
  async add(copies: readonly EncodedCopy[]): Promise<void> {
    this.throwIfFailed();
    for (const copy of copies) {
      const table = this.waiting.get(copy.statement);
      if (table) table.push(copy);
      else this.waiting.set(copy.statement, [copy]);
      this.waitingRows += copy.rows;
    }
    this.start();
    while (this.running && this.waitingRows >= this.maxWaitingRows) await this.running;
    this.throwIfFailed();
  }

  /** Resolves when every queued row is copied; rejects with the first COPY's failure. */
  async flush(): Promise<void> {
    await this.settled();
    this.throwIfFailed();
  }

  /** Resolves when no COPY runs, failed or not: the connection is free for a ROLLBACK. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private start(): void {
    if (this.running || this.failure || this.waiting.size === 0) return;
    const ready = [...this.waiting.values()].map(joinCopies);
    this.waiting.clear();
    this.waitingRows = 0;
    this.running = (async () => {
      for (const copy of ready) await this.send(copy);
    })().then(
      () => {
        this.running = null;
        this.start();
      },
      (error: unknown) => {
        this.running = null;
        this.failure = { error };
      },
    );
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}

/**
 * Bulk-loads encoded rows with COPY FROM STDIN: PostgreSQL's fastest way in, several times the rate
 * of multi-row INSERTs for the wide rows a rebuild writes.
 */
export async function sendCopy(client: ClientBase, copy: EncodedCopy): Promise<void> {
  await pipeline(Readable.from(copy.buffers), client.query(copyFrom(copy.statement)));
}
