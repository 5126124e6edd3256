import { ErrorCode, ErrorCodeValue } from '../protocol/error-codes';
import { BatchHeader } from '../records/record-batch';

/** Kafka keeps this many recent batches per producer to recognise retried ones. */
const CACHED_BATCHES = 5;
const INT32_MAX = 0x7fffffff;

interface BatchSequence {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  recent: BatchSequence[];
}

export type SequenceCheck =
  { kind: 'append' } | { kind: 'duplicate'; baseOffset: number } | { kind: 'reject'; error: ErrorCodeValue };

/** Sequence numbers wrap to 0 after Int32.MAX_VALUE. */
function lastSequence(h: BatchHeader): number {
  const last = h.baseSequence + h.lastOffsetDelta;
  return last > INT32_MAX ? last - INT32_MAX - 1 : last;
}

function nextSequence(seq: number): number {
  return seq === INT32_MAX ? 0 : seq + 1;
}

/** Idempotent-producer state of one partition: epoch and recent sequence ranges per producer id. */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  check(h: BatchHeader): SequenceCheck {
    if (h.producerId < 0) return { kind: 'append' };
    if (h.baseSequence < 0) return { kind: 'reject', error: ErrorCode.INVALID_RECORD };
    const entry = this.producers.get(h.producerId);
    if (!entry || h.producerEpoch > entry.epoch) {
      return h.baseSequence === 0
        ? { kind: 'append' }
        : { kind: 'reject', error: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    if (h.producerEpoch < entry.epoch) return { kind: 'reject', error: ErrorCode.INVALID_PRODUCER_EPOCH };
    const last = lastSequence(h);
    const dup = entry.recent.find((b) => b.firstSeq === h.baseSequence && b.lastSeq === last);
    if (dup) return { kind: 'duplicate', baseOffset: dup.baseOffset };
    const expected = nextSequence(entry.recent[entry.recent.length - 1].lastSeq);
    return h.baseSequence === expected
      ? { kind: 'append' }
      : { kind: 'reject', error: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
  }

  /** Records an appended batch; also used when replaying the log after a restart. */
  record(h: BatchHeader, baseOffset: number): void {
    if (h.producerId < 0) return;
    let entry = this.producers.get(h.producerId);
    if (!entry || entry.epoch !== h.producerEpoch) {
      entry = { epoch: h.producerEpoch, recent: [] };
      this.producers.set(h.producerId, entry);
    }
    entry.recent.push({ firstSeq: h.baseSequence, lastSeq: lastSequence(h), baseOffset });
    if (entry.recent.length > CACHED_BATCHES) entry.recent.shift();
  }

  get maxProducerId(): number {
    let max = -1;
    for (const id of this.producers.keys()) max = Math.max(max, id);
    return max;
  }
}
