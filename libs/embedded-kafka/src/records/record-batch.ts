import { gunzipSync } from 'node:zlib';
import { ErrorCode, ErrorCodeValue } from '../protocol/error-codes';
import { crc32c } from './crc32c';

/** Fixed part of a magic v2 record batch, up to and including the record count. */
export const BATCH_HEADER_SIZE = 61;
/** baseOffset + batchLength: the bytes that batchLength does not count. */
export const LOG_OVERHEAD = 12;

const MAGIC_AT = 16;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;

export const Compression = { NONE: 0, GZIP: 1, SNAPPY: 2, LZ4: 3, ZSTD: 4 } as const;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;

export interface BatchHeader {
  baseOffset: number;
  /** Whole batch size in bytes, including baseOffset and batchLength. */
  size: number;
  magic: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  return {
    baseOffset: Number(buf.readBigInt64BE(at)),
    size: buf.readInt32BE(at + 8) + LOG_OVERHEAD,
    magic: buf.readInt8(at + MAGIC_AT),
    attributes: buf.readInt16BE(at + ATTRIBUTES_AT),
    lastOffsetDelta: buf.readInt32BE(at + 23),
    baseTimestamp: Number(buf.readBigInt64BE(at + 27)),
    maxTimestamp: Number(buf.readBigInt64BE(at + 35)),
    producerId: Number(buf.readBigInt64BE(at + 43)),
    producerEpoch: buf.readInt16BE(at + 51),
    baseSequence: buf.readInt32BE(at + 53),
    recordCount: buf.readInt32BE(at + 57),
  };
}

export interface ProducedBatch {
  buf: Buffer;
  header: BatchHeader;
}

export type SplitResult = { ok: true; batches: ProducedBatch[] } | { ok: false; error: ErrorCodeValue };

/**
 * Splits a produced record set into batches and validates each one the way the broker must
 * before appending: magic v2 only, lengths consistent, CRC intact, no transactional or control
 * batches (transactions are not implemented), a sane offset delta for the record count.
 */
export function splitProducedBatches(records: Buffer): SplitResult {
  const batches: ProducedBatch[] = [];
  let at = 0;
  while (at < records.length) {
    if (records.length - at < BATCH_HEADER_SIZE) return { ok: false, error: ErrorCode.CORRUPT_MESSAGE };
    const magic = records.readInt8(at + MAGIC_AT);
    if (magic !== 2) return { ok: false, error: ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT };
    const header = readBatchHeader(records, at);
    if (header.size < BATCH_HEADER_SIZE || at + header.size > records.length) {
      return { ok: false, error: ErrorCode.CORRUPT_MESSAGE };
    }
    const buf = records.subarray(at, at + header.size);
    if (crc32c(buf, ATTRIBUTES_AT) !== buf.readUInt32BE(CRC_AT)) {
      return { ok: false, error: ErrorCode.CORRUPT_MESSAGE };
    }
    if (header.attributes & (TRANSACTIONAL_FLAG | CONTROL_FLAG)) {
      return { ok: false, error: ErrorCode.INVALID_TXN_STATE };
    }
    if (header.recordCount <= 0 || header.lastOffsetDelta !== header.recordCount - 1) {
      return { ok: false, error: ErrorCode.INVALID_RECORD };
    }
    if ((header.attributes & 0x07) > Compression.ZSTD) {
      return { ok: false, error: ErrorCode.INVALID_RECORD };
    }
    batches.push({ buf, header });
    at += header.size;
  }
  if (batches.length === 0) return { ok: false, error: ErrorCode.INVALID_RECORD };
  return { ok: true, batches };
}

/**
 * Assigns the batch its log position. baseOffset and partitionLeaderEpoch sit before the
 * CRC-covered range (attributes onward), so the producer's CRC stays valid.
 */
export function stampBatch(buf: Buffer, baseOffset: number, leaderEpoch: number): void {
  buf.writeBigInt64BE(BigInt(baseOffset), 0);
  buf.writeInt32BE(leaderEpoch, 12);
}

class VarReader {
  constructor(
    private readonly buf: Buffer,
    public pos: number,
  ) {}

  /** Zig-zag varint of up to 64 bits, decoded into a JS number (exact below 2^53). */
  varlong(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new RangeError('varint past end of batch');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      mul *= 128;
    }
    throw new RangeError('varint too long');
  }
}

function recordsPayload(batch: Buffer, compression: number): Buffer | null {
  const body = batch.subarray(BATCH_HEADER_SIZE);
  if (compression === Compression.NONE) return body;
  if (compression === Compression.GZIP) return gunzipSync(body);
  return null;
}

/**
 * The first record of the batch whose timestamp is >= target. Uncompressed and gzip batches
 * are searched record by record; for codecs Node cannot decode the batch base offset stands in,
 * which can only return records slightly earlier than asked for, never skip any.
 */
export function findTimestampInBatch(
  batch: Buffer,
  target: number,
): { offset: number; timestamp: number } | null {
  const h = readBatchHeader(batch);
  if (h.maxTimestamp < target) return null;
  const payload = recordsPayload(batch, h.attributes & 0x07);
  if (payload === null) return { offset: h.baseOffset, timestamp: h.maxTimestamp };
  const r = new VarReader(payload, 0);
  for (let i = 0; i < h.recordCount; i++) {
    const length = r.varlong();
    const end = r.pos + length;
    r.pos += 1;
    const timestamp = h.baseTimestamp + r.varlong();
    const offsetDelta = r.varlong();
    if (timestamp >= target) return { offset: h.baseOffset + offsetDelta, timestamp };
    r.pos = end;
  }
  return { offset: h.baseOffset, timestamp: h.maxTimestamp };
}
