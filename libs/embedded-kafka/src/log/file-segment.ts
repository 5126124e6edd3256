import * as fs from 'node:fs';
import * as path from 'node:path';
import { BATCH_HEADER_SIZE, readBatchHeader, BatchHeader } from '../records/record-batch';
import { crc32c } from '../records/crc32c';
import { OffsetIndex } from './offset-index';
import { Segment } from './segment';

const SCAN_CHUNK = 4 * 1024 * 1024;

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

/**
 * One append-only segment file. Writes and reads are synchronous positional I/O: they hit the
 * page cache, keep offsets assigned in the same tick as the write, and let a fetch see exactly
 * what was appended before it.
 */
export class FileSegment implements Segment {
  readonly index = new OffsetIndex();
  private bytes = 0;

  private constructor(
    readonly baseOffset: number,
    private readonly file: string,
    private fd: number,
  ) {}

  static create(dir: string, baseOffset: number): FileSegment {
    const file = path.join(dir, segmentFileName(baseOffset));
    return new FileSegment(baseOffset, file, fs.openSync(file, 'w+'));
  }

  /**
   * Opens an existing segment and rebuilds its index from the batch headers. A torn tail (a
   * batch cut short by a crash, or failing its CRC when `verifyCrc`) is truncated away.
   */
  static recover(
    dir: string,
    baseOffset: number,
    verifyCrc: boolean,
    onBatch: (h: BatchHeader) => void,
  ): FileSegment {
    const file = path.join(dir, segmentFileName(baseOffset));
    const seg = new FileSegment(baseOffset, file, fs.openSync(file, 'r+'));
    const fileSize = fs.fstatSync(seg.fd).size;
    let pos = 0;
    let window = Buffer.alloc(0);
    let windowAt = 0;
    while (pos + BATCH_HEADER_SIZE <= fileSize) {
      if (pos < windowAt || pos + BATCH_HEADER_SIZE > windowAt + window.length) {
        window = Buffer.allocUnsafe(Math.min(SCAN_CHUNK, fileSize - pos));
        windowAt = pos;
        fs.readSync(seg.fd, window, 0, window.length, pos);
      }
      const h = readBatchHeader(window, pos - windowAt);
      if (h.magic !== 2 || h.size < BATCH_HEADER_SIZE || pos + h.size > fileSize) break;
      if (verifyCrc) {
        const batch = Buffer.allocUnsafe(h.size);
        fs.readSync(seg.fd, batch, 0, h.size, pos);
        if (crc32c(batch, 21) !== batch.readUInt32BE(17)) break;
      }
      seg.index.add(h.baseOffset, pos, h.maxTimestamp);
      onBatch(h);
      pos += h.size;
    }
    if (pos < fileSize) fs.ftruncateSync(seg.fd, pos);
    seg.bytes = pos;
    return seg;
  }

  get size(): number {
    return this.bytes;
  }

  append(batch: Buffer, baseOffset: number, maxTimestamp: number): void {
    let written = 0;
    try {
      while (written < batch.length) {
        written += fs.writeSync(this.fd, batch, written, batch.length - written, this.bytes + written);
      }
    } catch (err) {
      fs.ftruncateSync(this.fd, this.bytes);
      throw err;
    }
    this.index.add(baseOffset, this.bytes, maxTimestamp);
    this.bytes += batch.length;
  }

  read(from: number, to: number): Buffer[] {
    const start = this.index.positionAt(from);
    const end = to < this.index.count ? this.index.positionAt(to) : this.bytes;
    const buf = Buffer.allocUnsafe(end - start);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(this.fd, buf, got, buf.length - got, start + got);
      if (n === 0) throw new Error(`segment ${this.file} shorter than its index`);
      got += n;
    }
    return [buf];
  }

  close(): void {
    if (this.fd < 0) return;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}
