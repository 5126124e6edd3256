export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { __aftersalesPostgres?: { stop(): Promise<void> } }).__aftersalesPostgres;
  if (pg) await pg.stop();
}
