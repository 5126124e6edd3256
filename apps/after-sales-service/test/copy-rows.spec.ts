import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@aftersales/testing';
import { copyRows } from '../src/infrastructure/read-models/copy-rows';

describe('copyRows (COPY FROM STDIN)', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('copy_rows');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await pool.query('CREATE TABLE t (id int, note text, doc json, at timestamptz)');
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('loads what it is given, byte for byte: tabs, newlines, backslashes, \\N text, nulls, JSON', async () => {
    const tricky = ['a\tb', 'line 1\nline 2\r\n', 'C:\\path\\N', '\\N', '', '退货退款 ✓'];
    const rows = tricky.map((note, i) => [i, note, { note, n: i }, '2026-11-25T06:00:00.000Z']);
    const withNulls: unknown[][] = [...rows, [99, null, null, null]];
    const client = await pool.connect();
    try {
      await copyRows(client, 't', ['id', 'note', 'doc', 'at'], withNulls);
    } finally {
      client.release();
    }
    const { rows: back } = await pool.query<{
      id: number;
      note: string | null;
      doc: unknown;
      at: Date | null;
    }>('SELECT id, note, doc, at FROM t ORDER BY id');
    expect(back.map((r) => r.note)).toEqual([...tricky, null]);
    expect(back.map((r) => r.doc)).toEqual([...tricky.map((note, i) => ({ note, n: i })), null]);
    expect(back[0].at?.toISOString()).toBe('2026-11-25T06:00:00.000Z');
  });

  it('loads more rows than one chunk holds', async () => {
    const client = await pool.connect();
    try {
      await copyRows(
        client,
        't',
        ['id', 'note'],
        Array.from({ length: 20_000 }, (_, i) => [1000 + i, 'x'.repeat(20)]),
      );
    } finally {
      client.release();
    }
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM t WHERE id >= 1000');
    expect(Number(rows[0].n)).toBe(20_000);
  });
});
