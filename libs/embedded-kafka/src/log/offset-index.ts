/**
 * Per-segment index of batches: base offset -> byte position, plus the running maximum of batch
 * max timestamps so a timestamp lookup is a binary search. Three growable Float64Arrays keep it
 * at 24 bytes per batch, whatever the batch size.
 */
export class OffsetIndex {
  private baseOffsets = new Float64Array(64);
  private positions = new Float64Array(64);
  private runningMaxTs = new Float64Array(64);
  private n = 0;

  get count(): number {
    return this.n;
  }

  get maxTimestamp(): number {
    return this.n === 0 ? -Infinity : this.runningMaxTs[this.n - 1];
  }

  add(baseOffset: number, position: number, maxTimestamp: number): void {
    if (this.n === this.baseOffsets.length) this.grow();
    this.baseOffsets[this.n] = baseOffset;
    this.positions[this.n] = position;
    this.runningMaxTs[this.n] = Math.max(maxTimestamp, this.maxTimestamp);
    this.n++;
  }

  baseOffsetAt(i: number): number {
    return this.baseOffsets[i];
  }

  positionAt(i: number): number {
    return this.positions[i];
  }

  /** Index of the batch holding `offset`: the last one whose base offset is <= it, or -1. */
  floor(offset: number): number {
    let lo = 0;
    let hi = this.n - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.baseOffsets[mid] <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Index of the first batch holding a timestamp >= ts, or -1. */
  firstReaching(ts: number): number {
    let lo = 0;
    let hi = this.n - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.runningMaxTs[mid] >= ts) {
        found = mid;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return found;
  }

  private grow(): void {
    const size = this.baseOffsets.length * 2;
    const copy = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.baseOffsets = copy(this.baseOffsets);
    this.positions = copy(this.positions);
    this.runningMaxTs = copy(this.runningMaxTs);
  }
}
