const CHUNK = 16 * 1024;
/** Buffers at least this large are referenced, not copied (record sets in fetch responses). */
const REFERENCE_THRESHOLD = 4 * 1024;

/** Builds a response as a list of buffers so large record sets are sent without copying. */
export class Writer {
  private readonly done: Buffer[] = [];
  private cur = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private total = 0;

  get length(): number {
    return this.total;
  }

  private room(n: number): void {
    if (this.pos + n <= this.cur.length) return;
    this.flush(Math.max(CHUNK, n));
  }

  private flush(nextSize = CHUNK): void {
    if (this.pos === 0 && this.cur.length >= nextSize) return;
    if (this.pos > 0) this.done.push(this.cur.subarray(0, this.pos));
    this.cur = Buffer.allocUnsafe(nextSize);
    this.pos = 0;
  }

  int8(v: number): this {
    this.room(1);
    this.cur.writeInt8(v, this.pos);
    this.pos += 1;
    this.total += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.room(2);
    this.cur.writeInt16BE(v, this.pos);
    this.pos += 2;
    this.total += 2;
    return this;
  }

  int32(v: number): this {
    this.room(4);
    this.cur.writeInt32BE(v, this.pos);
    this.pos += 4;
    this.total += 4;
    return this;
  }

  int64(v: number): this {
    this.room(8);
    this.cur.writeBigInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    this.total += 8;
    return this;
  }

  nullableString(v: string | null): this {
    if (v === null) return this.int16(-1);
    const len = Buffer.byteLength(v);
    this.int16(len);
    this.room(len);
    this.cur.write(v, this.pos, 'utf8');
    this.pos += len;
    this.total += len;
    return this;
  }

  string(v: string): this {
    return this.nullableString(v);
  }

  raw(buf: Buffer): this {
    if (buf.length >= REFERENCE_THRESHOLD) {
      this.flush();
      this.done.push(buf);
    } else {
      this.room(buf.length);
      buf.copy(this.cur, this.pos);
      this.pos += buf.length;
    }
    this.total += buf.length;
    return this;
  }

  nullableBytes(v: Buffer | null): this {
    if (v === null) return this.int32(-1);
    return this.int32(v.length).raw(v);
  }

  bytes(v: Buffer): this {
    return this.nullableBytes(v);
  }

  array<T>(items: readonly T[], each: (w: Writer, item: T, index: number) => void): this {
    this.int32(items.length);
    items.forEach((item, i) => each(this, item, i));
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, each: (w: Writer, item: T, index: number) => void): this {
    if (items === null) return this.int32(-1);
    return this.array(items, each);
  }

  int32Array(items: readonly number[]): this {
    return this.array(items, (w, v) => w.int32(v));
  }

  buffers(): Buffer[] {
    const out = this.done.slice();
    if (this.pos > 0) out.push(this.cur.subarray(0, this.pos));
    return out;
  }
}
