import { crc32c } from '../../src/records/crc32c';

function varint(value: number): Buffer {
  // Zig-zag, then base-128 groups, least significant first.
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

function sized(b: Buffer | null): Buffer {
  return b === null ? varint(-1) : Buffer.concat([varint(b.length), b]);
}

export interface BatchSpec {
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  timestamp?: number;
  records: { key: string | null; value: string }[];
}

/** Encodes an uncompressed magic v2 record batch, CRC included, as a producer would. */
export function buildBatch(spec: BatchSpec): Buffer {
  const ts = spec.timestamp ?? Date.now();
  const records = spec.records.map((rec, i) => {
    const body = Buffer.concat([
      Buffer.from([0]),
      varint(0),
      varint(i),
      sized(rec.key === null ? null : Buffer.from(rec.key)),
      sized(Buffer.from(rec.value)),
      varint(0),
    ]);
    return Buffer.concat([varint(body.length), body]);
  });
  const header = Buffer.alloc(61);
  header.writeBigInt64BE(0n, 0);
  header.writeInt32BE(-1, 12);
  header.writeInt8(2, 16);
  header.writeInt16BE(0, 21);
  header.writeInt32BE(spec.records.length - 1, 23);
  header.writeBigInt64BE(BigInt(ts), 27);
  header.writeBigInt64BE(BigInt(ts), 35);
  header.writeBigInt64BE(BigInt(spec.producerId ?? -1), 43);
  header.writeInt16BE(spec.producerEpoch ?? -1, 51);
  header.writeInt32BE(spec.baseSequence ?? -1, 53);
  header.writeInt32BE(spec.records.length, 57);
  const batch = Buffer.concat([header, ...records]);
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeUInt32BE(crc32c(batch, 21), 17);
  return batch;
}
