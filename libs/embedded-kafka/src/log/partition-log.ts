import * as fs from 'node:fs';
import { BatchHeader, findTimestampInBatch, stampBatch } from '../records/record-batch';
import { ProducerStateTable } from '../producers/producer-state';
import { FileSegment } from './file-segment';
import { MemorySegment } from './memory-segment';
import { Segment } from './segment';

/** Single node: the leader epoch never changes. */
export const LEADER_EPOCH = 0;

export interface LogOptions {
  /** Directory of this partition's segment files; undefined keeps the log in memory. */
  dir?: string;
  segmentBytes: number;
}

/**
 * The log of one partition: an ordered list of segments, of which only the last is written.
 * Appends notify listeners, which is what wakes long-polling fetches.
 */
export class PartitionLog {
  readonly producers = new ProducerStateTable();
  private readonly segments: Segment[] = [];
  private next = 0;
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly options: LogOptions) {}

  static open(options: LogOptions): PartitionLog {
    const log = new PartitionLog(options);
    if (options.dir) log.recover(options.dir);
    if (log.segments.length === 0) log.segments.push(log.newSegment(0));
    return log;
  }

  private recover(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    const bases = fs
      .readdirSync(dir)
      .filter((f) => /^\d{20}\.log$/.test(f))
      .map((f) => Number(f.slice(0, 20)))
      .sort((a, b) => a - b);
    bases.forEach((base, i) => {
      // Only the last segment can hold a torn write, so only it pays for CRC verification.
      const seg = FileSegment.recover(dir, base, i === bases.length - 1, (h: BatchHeader) => {
        this.producers.record(h, h.baseOffset);
        this.next = h.baseOffset + h.lastOffsetDelta + 1;
      });
      this.segments.push(seg);
    });
  }

  private newSegment(baseOffset: number): Segment {
    return this.options.dir
      ? FileSegment.create(this.options.dir, baseOffset)
      : new MemorySegment(baseOffset);
  }

  get logStartOffset(): number {
    return this.segments[0].index.count > 0 ? this.segments[0].index.baseOffsetAt(0) : this.next;
  }

  get highWatermark(): number {
    return this.next;
  }

  /** Stamps the batch with the next offset and appends it; returns its base offset. */
  append(batch: Buffer, header: BatchHeader): number {
    const baseOffset = this.next;
    let active = this.segments[this.segments.length - 1];
    if (active.size > 0 && active.size + batch.length > this.options.segmentBytes) {
      active = this.newSegment(baseOffset);
      this.segments.push(active);
    }
    stampBatch(batch, baseOffset, LEADER_EPOCH);
    active.append(batch, baseOffset, header.maxTimestamp);
    this.next = baseOffset + header.lastOffsetDelta + 1;
    this.producers.record({ ...header, baseOffset }, baseOffset);
    for (const listener of [...this.listeners]) listener();
    return baseOffset;
  }

  /** Calls `listener` after every append until the returned function is called. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private segmentFor(offset: number): Segment | undefined {
    let found: Segment | undefined;
    for (const seg of this.segments) {
      if (seg.index.count > 0 && seg.index.baseOffsetAt(0) <= offset) found = seg;
      else break;
    }
    return found;
  }

  /**
   * Whole batches starting with the one holding `offset`, up to `maxBytes`. The first batch is
   * returned even when larger than `maxBytes` if `oversizedFirst`, so a consumer always
   * progresses (KIP-74).
   */
  read(offset: number, maxBytes: number, oversizedFirst: boolean): Buffer[] {
    if (offset >= this.next || offset < this.logStartOffset) return [];
    const seg = this.segmentFor(offset);
    if (!seg) return [];
    const first = seg.index.floor(offset);
    const start = seg.index.positionAt(first);
    const endOf = (i: number): number => (i + 1 < seg.index.count ? seg.index.positionAt(i + 1) : seg.size);
    if (endOf(first) - start > maxBytes && !oversizedFirst) return [];
    let last = first;
    while (last + 1 < seg.index.count && endOf(last + 1) - start <= maxBytes) last++;
    return seg.read(first, last + 1);
  }

  /** Earliest offset whose record timestamp is >= ts (ListOffsets by time), or null. */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null {
    for (const seg of this.segments) {
      if (seg.index.maxTimestamp < ts) continue;
      const i = seg.index.firstReaching(ts);
      const [batch] = seg.read(i, i + 1);
      return findTimestampInBatch(batch, ts);
    }
    return null;
  }

  close(): void {
    for (const seg of this.segments) seg.close();
    this.listeners.clear();
  }

  /** Closes the log and removes its files (DeleteTopics). */
  destroy(): void {
    this.close();
    if (this.options.dir) fs.rmSync(this.options.dir, { recursive: true, force: true });
  }
}
