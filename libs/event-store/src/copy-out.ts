/**
 * Reads the output of `COPY … TO STDOUT (FORMAT binary)` tuple by tuple, from chunks cut anywhere
 * (pg-copy-streams hands over what each socket read brought). Layout: PostgreSQL docs, "COPY",
 * Binary Format: an 11-byte signature, flags, a header extension, then per tuple a 16-bit field
 * count and per field a 32-bit length (-1 for NULL) and its bytes, then a count of -1.
 *
 * Fields are read where they lie in the chunk, by offset: no row object, no array of field
 * strings, no Buffer per field, which is most of what a row costs pg before any value is parsed.
 */
export class CopyOutReader {
  private buffer: Buffer = EMPTY;
  /** Where the next unread tuple starts in `buffer`. */
  private at = 0;
  /** Chunks held back while the bytes from `at` on are fewer than the tuple being read needs. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** How many bytes from `at` on the tuple being read needs at least, as far as it was read. */
  private needed = 0;
  private headerRead = false;
  private trailerRead = false;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;

  constructor(
    /** What is read, for error messages. */
    private readonly source: string,
    private readonly columns: readonly string[],
  ) {
    this.starts = new Int32Array(columns.length);
    this.lengths = new Int32Array(columns.length);
  }

  /** True once the end-of-data marker was read: anything less is a truncated COPY. */
  get complete(): boolean {
    return this.trailerRead;
  }

  push(chunk: Buffer): void {
    if (this.trailerRead) {
      if (chunk.length === 0) return;
      throw new Error(`${this.source}: ${chunk.length} bytes after the end of the COPY data`);
    }
    const tail = this.buffer.length - this.at;
    if (tail === 0) {
      this.buffer = chunk;
      this.at = 0;
      return;
    }
    // The tail of a tuple cut by a chunk's end is copied in front of what follows, but only once
    // enough has come to read it: a payload over many chunks is copied once, not once per chunk.
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (tail + this.heldBytes < this.needed) return;
    this.buffer = Buffer.concat([this.buffer.subarray(this.at), ...this.held]);
    this.at = 0;
    this.held = [];
    this.heldBytes = 0;
  }

  /** Moves to the next whole tuple in the bytes pushed so far; false when it needs more bytes or the data ended. */
  next(): boolean {
    if (!this.headerRead && !this.readHeader()) return false;
    const buffer = this.buffer;
    let p = this.at;
    if (this.trailerRead) return false;
    if (p + 2 > buffer.length) return this.short(p + 2);
    const count = buffer.readInt16BE(p);
    if (count === -1) {
      this.trailerRead = true;
      this.at = p + 2;
      if (this.at < buffer.length) {
        throw new Error(`${this.source}: ${buffer.length - this.at} bytes after the end of the COPY data`);
      }
      return false;
    }
    if (count !== this.columns.length) {
      throw new Error(`${this.source}: a tuple of ${count} fields, expected ${this.columns.length}`);
    }
    p += 2;
    for (let i = 0; i < count; i++) {
      if (p + 4 > buffer.length) return this.short(p + 4);
      const length = buffer.readInt32BE(p);
      if (length < -1) throw new Error(`${this.source}: ${this.columns[i]} has a length of ${length}`);
      p += 4;
      this.starts[i] = p;
      this.lengths[i] = length;
      if (length > 0) p += length;
      if (p > buffer.length) return this.short(p);
    }
    this.at = p;
    return true;
  }

  text(field: number): string {
    const start = this.present(field);
    return this.buffer.toString('utf8', start, start + this.lengths[field]);
  }

  int4(field: number): number {
    const start = this.present(field, 4);
    return this.buffer.readInt32BE(start);
  }

  /** An int8 as a number: exact up to 2^53, which a log's positions do not reach. */
  int8(field: number): number {
    const start = this.present(field, 8);
    return this.buffer.readInt32BE(start) * 4_294_967_296 + this.buffer.readUInt32BE(start + 4);
  }

  /** A `json` field: in the binary format it is the value's text. */
  json(field: number): unknown {
    return JSON.parse(this.text(field));
  }

  private present(field: number, size?: number): number {
    const length = this.lengths[field];
    if (length === -1) throw new Error(`${this.source}: ${this.columns[field]} is NULL`);
    if (size !== undefined && length !== size) {
      throw new Error(`${this.source}: ${this.columns[field]} has ${length} bytes, expected ${size}`);
    }
    return this.starts[field];
  }

  /** Notes that the bytes up to `end` of the buffer are needed before the read can go on. */
  private short(end: number): false {
    this.needed = end - this.at;
    return false;
  }

  private readHeader(): boolean {
    const buffer = this.buffer;
    if (buffer.length - this.at < SIGNATURE.length + 8) return this.short(this.at + SIGNATURE.length + 8);
    if (!buffer.subarray(this.at, this.at + SIGNATURE.length).equals(SIGNATURE)) {
      throw new Error(`${this.source}: not binary COPY data (no PGCOPY signature)`);
    }
    const extension = buffer.readInt32BE(this.at + SIGNATURE.length + 4);
    const end = this.at + SIGNATURE.length + 8 + extension;
    if (buffer.length < end) return this.short(end);
    this.at = end;
    this.headerRead = true;
    return true;
  }
}

const EMPTY = Buffer.alloc(0);
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
