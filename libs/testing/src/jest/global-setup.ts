import { startSharedPostgres } from '../postgres/shared-postgres';

// When a project's tests are run on their own (`npx jest` in its folder) there is no server from
// tools/run-tests.mjs: start one for this run. Workers are forked after this, so they inherit
// DATABASE_URL.
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const pg = await startSharedPostgres();
  process.env.DATABASE_URL = pg.url;
  (globalThis as { __aftersalesPostgres?: { stop(): Promise<void> } }).__aftersalesPostgres = pg;
}
