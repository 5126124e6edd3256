import { OffsetIndex } from './offset-index';
import { Segment } from './segment';

/** In-memory mode for tests: batches are kept as buffers, nothing touches the disk. */
export class MemorySegment implements Segment {
  readonly index = new OffsetIndex();
  private readonly batches: Buffer[] = [];
  private bytes = 0;

  constructor(readonly baseOffset: number) {}

  get size(): number {
    return this.bytes;
  }

  append(batch: Buffer, baseOffset: number, maxTimestamp: number): void {
    this.index.add(baseOffset, this.bytes, maxTimestamp);
    // Copied so the log does not pin the whole request buffer the batch was sliced from.
    this.batches.push(Buffer.from(batch));
    this.bytes += batch.length;
  }

  read(from: number, to: number): Buffer[] {
    return this.batches.slice(from, to);
  }

  close(): void {
    this.batches.length = 0;
  }
}
