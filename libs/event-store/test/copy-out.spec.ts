import { CopyOutReader } from '../src/copy-out';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** Binary COPY bytes as PostgreSQL writes them: header (with an extension), tuples, trailer. */
function copyBytes(tuples: (Buffer | null)[][], extension = Buffer.alloc(0)): Buffer {
  const parts: Buffer[] = [SIGNATURE, int32(0), int32(extension.length), extension];
  for (const tuple of tuples) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(tuple.length);
    parts.push(count);
    for (const field of tuple)
      parts.push(field === null ? int32(-1) : Buffer.concat([int32(field.length), field]));
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function int8(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
}

const COLUMNS = ['position', 'name', 'version', 'data'];
const tuples = [
  [int8(1n), Buffer.from('ticket-a'), int32(1), Buffer.from('{"a":1}')],
  [
    int8(2n ** 40n + 7n),
    Buffer.from('ticket-ü€😀'),
    int32(-3),
    Buffer.from(JSON.stringify({ s: 'x'.repeat(300) })),
  ],
  [int8(3n), Buffer.from(''), int32(2_147_483_647), Buffer.from('[]')],
];

/** Every tuple the reader gives for `bytes` pushed in the given chunks, as plain values. */
function readAll(chunks: Buffer[]): { rows: unknown[][]; complete: boolean } {
  const reader = new CopyOutReader('test', COLUMNS);
  const rows: unknown[][] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    while (reader.next()) rows.push([reader.int8(0), reader.text(1), reader.int4(2), reader.json(3)]);
  }
  return { rows, complete: reader.complete };
}

const expected = [
  [1, 'ticket-a', 1, { a: 1 }],
  [2 ** 40 + 7, 'ticket-ü€😀', -3, { s: 'x'.repeat(300) }],
  [3, '', 2_147_483_647, []],
];

describe('CopyOutReader', () => {
  it('reads every tuple whole, in one chunk', () => {
    expect(readAll([copyBytes(tuples)])).toEqual({ rows: expected, complete: true });
  });

  it('reads the same tuples whatever byte the chunks are cut at', () => {
    const bytes = copyBytes(tuples, Buffer.from('ext'));
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(readAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual({
        rows: expected,
        complete: true,
      });
    }
    const oneByteEach = [...bytes].map((b) => Buffer.from([b]));
    expect(readAll(oneByteEach)).toEqual({ rows: expected, complete: true });
  });

  it('is not complete before the end-of-data marker', () => {
    const bytes = copyBytes(tuples);
    const { rows, complete } = readAll([bytes.subarray(0, bytes.length - 1)]);
    expect(rows).toEqual(expected);
    expect(complete).toBe(false);
  });

  it('refuses what is not binary COPY data, or not the columns it was given', () => {
    expect(() => readAll([Buffer.from('position\tname\n1\tx\n'.repeat(4))])).toThrow(
      'test: not binary COPY data (no PGCOPY signature)',
    );
    expect(() => readAll([copyBytes([[int8(1n), Buffer.from('a')]])])).toThrow(
      'test: a tuple of 2 fields, expected 4',
    );
    expect(() => readAll([Buffer.concat([copyBytes(tuples), Buffer.from([0])])])).toThrow(
      'test: 1 bytes after the end of the COPY data',
    );
  });

  it('refuses a field length below -1, which no server writes', () => {
    const bytes = copyBytes([[int8(1n), Buffer.from('a'), int32(1), Buffer.from('{}')]]);
    // The second field's length: signature, flags, extension length, field count, int8 field.
    bytes.writeInt32BE(-2, 11 + 4 + 4 + 2 + 4 + 8);
    expect(() => readAll([bytes])).toThrow('test: name has a length of -2');
  });

  it('names the column of a NULL or of a value of the wrong width', () => {
    expect(() => readAll([copyBytes([[int8(1n), null, int32(1), Buffer.from('{}')]])])).toThrow(
      'test: name is NULL',
    );
    expect(() => readAll([copyBytes([[int32(1), Buffer.from('a'), int32(1), Buffer.from('{}')]])])).toThrow(
      'test: position has 4 bytes, expected 8',
    );
  });
});
