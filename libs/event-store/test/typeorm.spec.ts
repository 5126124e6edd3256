import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { EventStore, queryRunnerExecutor } from '../src';
import { Harness, openHarness } from './support';

describe('inside a TypeORM transaction', () => {
  let h: Harness;
  let dataSource: DataSource;

  beforeAll(async () => {
    h = await openHarness();
    await h.pool.query('CREATE TABLE outbox (id serial PRIMARY KEY, topic text NOT NULL)');
    dataSource = new DataSource({ type: 'postgres', url: h.db.url });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await h.close();
  });

  it('appends, reads and rolls back with the QueryRunner', async () => {
    const store = new EventStore(h.pool);
    for (const [stream, commit] of [
      ['kept', true],
      ['dropped', false],
    ] as const) {
      const runner = dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        const tx = queryRunnerExecutor(runner);
        const result = await store.append(stream, 'no-stream', [{ type: 'A', data: { n: 1 } }], {
          inTransaction: tx,
        });
        await store.append(stream, result.nextExpectedVersion, [{ type: 'B', data: {} }], {
          inTransaction: tx,
        });
        expect((await store.readStream(stream, { executor: tx })).map((e) => e.type)).toEqual(['A', 'B']);
        await runner.query('INSERT INTO outbox (topic) VALUES ($1)', [stream]);
        if (commit) await runner.commitTransaction();
        else await runner.rollbackTransaction();
      } finally {
        await runner.release();
      }
    }
    expect(await store.streamVersion('kept')).toBe(2);
    expect(await store.streamVersion('dropped')).toBe(0);
    expect((await h.pool.query('SELECT topic FROM outbox')).rows).toEqual([{ topic: 'kept' }]);
  });
});
