import { OffsetIndex } from './offset-index';

/** A contiguous run of batches of one partition, in memory or in one append-only file. */
export interface Segment {
  readonly baseOffset: number;
  readonly index: OffsetIndex;
  /** Bytes held, which is also the position the next batch is written at. */
  readonly size: number;
  append(batch: Buffer, baseOffset: number, maxTimestamp: number): void;
  /** Whole batches [from, to) by index position. */
  read(from: number, to: number): Buffer[];
  close(): void;
}

/** Byte size of batches [from, to): positions are cumulative, so this is one subtraction. */
export function spanBytes(segment: Segment, from: number, to: number): number {
  const end = to < segment.index.count ? segment.index.positionAt(to) : segment.size;
  return end - segment.index.positionAt(from);
}
