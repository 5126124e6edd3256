import { Pool, type PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '@aftersales/testing';
import {
  copyColumns,
  encodeCopy,
  instantOf,
  joinCopies,
  sendCopy,
  CopyQueue,
  type EncodedCopy,
} from '../src/infrastructure/read-models/copy-rows';

describe('encodeCopy and sendCopy (binary COPY FROM STDIN)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const columns = copyColumns({ id: 'int4', note: 'text', doc: 'text', at: 'timestamptz' });
  const withClient = async (work: (client: PoolClient) => Promise<void>) => {
    const client = await pool.connect();
    try {
      await work(client);
    } finally {
      client.release();
    }
  };
  beforeAll(async () => {
    db = await createTestDatabase('copy_rows');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await pool.query('CREATE TABLE t (id int, note text, doc json, at timestamptz)');
  });
  afterEach(() => pool.query('TRUNCATE t'));
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('loads what it is given, byte for byte: tabs, newlines, backslashes, \\N text, nulls, JSON, non-ASCII', async () => {
    const tricky = ['a\tb', 'line 1\nline 2\r\n', 'C:\\path\\N', '\\N', '', '退货退款 ✓', '😀 emoji'];
    const rows = tricky.map((note, i) => [
      i,
      note,
      JSON.stringify({ note, n: i }),
      '2026-11-25T06:00:00.000Z',
    ]);
    await withClient((c) => sendCopy(c, encodeCopy('t', columns, [...rows, [99, null, null, undefined]])));
    const { rows: back } = await pool.query<{
      id: number;
      note: string | null;
      doc: unknown;
      at: Date | null;
    }>('SELECT id, note, doc, at FROM t ORDER BY id');
    expect(back.map((r) => r.note)).toEqual([...tricky, null]);
    expect(back.map((r) => r.doc)).toEqual([...tricky.map((note, i) => ({ note, n: i })), null]);
    expect(back[0].at?.toISOString()).toBe('2026-11-25T06:00:00.000Z');
    expect(back[back.length - 1]).toEqual({ id: 99, note: null, doc: null, at: null });
  });

  it('writes instants exactly, before and after 2000 and with or without milliseconds; JSON given as text', async () => {
    const instants = [
      '1999-12-31T23:59:59.999Z',
      '2000-01-01T00:00:00.000Z',
      '2026-11-25T06:00:00Z',
      '2099-02-28T13:14:15.016Z',
      '1970-01-01T00:00:00.001Z',
    ];
    await withClient((c) =>
      sendCopy(
        c,
        encodeCopy(
          't',
          columns,
          instants.map((at, i) => [-(2 ** 31) + i, '', '{"already":"text"}', at]),
        ),
      ),
    );
    const { rows } = await pool.query<{ id: number; at: string; doc: unknown }>(
      `SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, doc FROM t ORDER BY id`,
    );
    expect(rows.map((r) => r.at)).toEqual(instants.map((at) => new Date(at).toISOString()));
    expect(rows[0]).toMatchObject({ id: -(2 ** 31), doc: { already: 'text' } });
  });

  it.each([
    '1999-12-31T23:59:59.999Z',
    '2000-02-29T00:00:00Z',
    '2024-02-29T12:00:00.5Z',
    '2026-11-25T06:00:00.01Z',
    '0001-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
  ])('reads the instant %s as Date.parse does', (at) => {
    expect(instantOf(at)).toBe(Date.parse(at));
  });

  it.each([
    '2026-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-01T00:00:00.Z',
    '2026-01-01T00:00:00.1234Z',
    '2026-01-01T00:00:00',
    '2026-01-01 00:00:00Z',
    '2026-1-01T00:00:00.00Z',
    '2026-01-01T00:00:0xZ',
    '+02026-01-01T00:00:00Z',
  ])('refuses %s as an instant', (at) => {
    expect(instantOf(at)).toBeNull();
  });

  it('refuses a value its column type cannot hold, naming the column, and loads nothing', async () => {
    const bad: [unknown[], string][] = [
      [[1.5, 'x', null, null], 'COPY t.id: not a 32-bit integer: 1.5'],
      [[2 ** 31, 'x', null, null], 'COPY t.id: not a 32-bit integer'],
      [[1, 42, null, null], 'COPY t.note: not a string: 42'],
      [[1, 'x', null, '2026-11-25 06:00'], 'COPY t.at: not an ISO-8601 UTC instant'],
      [[1, 'x', null, '2026-11-25T06:00:00+08:00'], 'COPY t.at: not an ISO-8601 UTC instant'],
      [[1, 'x', null, '2026-02-30T06:00:00Z'], 'COPY t.at: not an ISO-8601 UTC instant'],
      [[1, 'x'], 'COPY t: a row has 2 fields for 4 columns'],
    ];
    for (const [row, message] of bad) {
      await expect(
        withClient((c) => sendCopy(c, encodeCopy('t', columns, [[0, 'fine', null, null], row]))),
      ).rejects.toThrow(message);
    }
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM t');
    expect(rows[0].n).toBe('0');
  });

  it('joins copies of one table into one COPY that loads all their rows in order, and no other table', async () => {
    const at = '2026-11-25T06:00:00.000Z';
    const parts = [
      encodeCopy('t', columns, [[1, 'one', null, at]]),
      encodeCopy('t', columns, [
        [2, 'two', null, at],
        [3, '三', null, at],
      ]),
      encodeCopy(
        't',
        columns,
        Array.from({ length: 5000 }, (_, i) => [4 + i, 'x'.repeat(i % 40), null, at]),
      ),
    ];
    const joined = joinCopies(parts);
    expect(joined.rows).toBe(5003);
    await withClient((c) => sendCopy(c, joined));
    const { rows } = await pool.query<{ id: number; note: string }>('SELECT id, note FROM t ORDER BY id');
    expect(rows).toHaveLength(5003);
    expect(rows.slice(0, 3)).toEqual([
      { id: 1, note: 'one' },
      { id: 2, note: 'two' },
      { id: 3, note: '三' },
    ]);
    expect(rows[5002]).toEqual({ id: 5003, note: 'x'.repeat(4999 % 40) });
    const other = encodeCopy('u', columns, [[1, 'one', null, at]]);
    expect(() => joinCopies([parts[0], other])).toThrow(/is not "COPY t/);
    expect(() => joinCopies([])).toThrow(RangeError);
  });

  it('loads more rows than one chunk holds, and a value larger than a chunk', async () => {
    const big = 'é'.repeat(100_000);
    await withClient((c) =>
      sendCopy(
        c,
        encodeCopy('t', columns, [
          ...Array.from({ length: 20_000 }, (_, i) => [1000 + i, 'x'.repeat(20), null, null]),
          [1, big, null, null],
        ]),
      ),
    );
    const { rows } = await pool.query<{ n: string; big: string }>(
      'SELECT count(*) FILTER (WHERE id >= 1000) AS n, max(note) FILTER (WHERE id = 1) AS big FROM t',
    );
    expect(Number(rows[0].n)).toBe(20_000);
    expect(rows[0].big).toBe(big);
  });
});

describe('CopyQueue', () => {
  const columns = copyColumns({ id: 'int4' });
  const copyOf = (table: string, ...ids: number[]) =>
    encodeCopy(
      table,
      columns,
      ids.map((id) => [id]),
    );
  /** The ids of a copy's tuples, read back from its bytes (one int4 field each). */
  const idsOf = (copy: EncodedCopy) => {
    const bytes = Buffer.concat(copy.buffers).subarray(19, -2);
    return Array.from({ length: bytes.length / 10 }, (_, i) => bytes.readInt32BE(i * 10 + 6));
  };
  /** A connection whose COPYs end when the test says so. */
  const connection = () => {
    const sent: { table: string; ids: number[]; end: (error?: Error) => void }[] = [];
    const send = (copy: EncodedCopy) =>
      new Promise<void>((resolve, reject) => {
        const table = copy.statement.split(' ')[1];
        sent.push({ table, ids: idsOf(copy), end: (error) => (error ? reject(error) : resolve()) });
      });
    return { sent, send };
  };
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it('sends at once when idle, and joins what is added while a COPY runs, in order, one COPY per table', async () => {
    const { sent, send } = connection();
    const queue = new CopyQueue(send, 100);
    await queue.add([copyOf('a', 1, 2)]);
    expect(sent.map((s) => [s.table, s.ids])).toEqual([['a', [1, 2]]]);
    await queue.add([copyOf('a', 3), copyOf('b', 10)]);
    await queue.add([copyOf('b', 11), copyOf('a', 4, 5)]);
    expect(sent).toHaveLength(1);
    sent[0].end();
    await turn();
    expect(sent.map((s) => [s.table, s.ids])).toEqual([
      ['a', [1, 2]],
      ['a', [3, 4, 5]],
    ]);
    sent[1].end();
    await turn();
    expect(sent[2]).toMatchObject({ table: 'b', ids: [10, 11] });
    const flushed = queue.flush();
    sent[2].end();
    await flushed;
    expect(sent).toHaveLength(3);
  });

  it('makes the producer wait once as many rows wait as it allows', async () => {
    const { sent, send } = connection();
    const queue = new CopyQueue(send, 3);
    await queue.add([copyOf('a', 1)]);
    await queue.add([copyOf('a', 2, 3)]);
    let added = false;
    const third = queue.add([copyOf('a', 4)]).then(() => (added = true));
    await turn();
    expect(added).toBe(false);
    sent[0].end();
    await third;
    expect(sent.map((s) => s.ids)).toEqual([[1], [2, 3, 4]]);
    sent[1].end();
    await queue.flush();
  });

  it('fails every later add and the flush with the first COPY failure, and sends nothing more', async () => {
    const { sent, send } = connection();
    const queue = new CopyQueue(send, 1);
    await queue.add([copyOf('a', 1)]);
    const waiting = queue.add([copyOf('a', 2)]);
    sent[0].end(new Error('duplicate key value violates unique constraint "a_pkey"'));
    await expect(waiting).rejects.toThrow(/a_pkey/);
    await expect(queue.add([copyOf('a', 3)])).rejects.toThrow(/a_pkey/);
    await expect(queue.flush()).rejects.toThrow(/a_pkey/);
    await queue.settled();
    expect(sent).toHaveLength(1);
  });
});
