// `npm test`: runs every project's Jest suite through Nx and prints one closing line
// `N passed, N failed` for the whole workspace. PostgreSQL: DATABASE_URL when set, otherwise one
// embedded server is started here and shared by all projects (each suite makes its own database).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('@swc-node/register');
const { startSharedPostgres } = require('../libs/testing/src/postgres/shared-postgres.ts');

const resultsDir = mkdtempSync(join(tmpdir(), 'aftersales-test-results-'));
const extraArgs = process.argv.slice(2);

const pg = await startSharedPostgres();
const env = { ...process.env, DATABASE_URL: pg.url, TEST_RESULTS_DIR: resultsDir, NX_DAEMON: 'false' };

const code = await new Promise((resolve) => {
  const child = spawn(
    'npx',
    ['nx', 'run-many', '-t', 'test', '--parallel=2', '--output-style=stream', ...extraArgs],
    { stdio: 'inherit', env },
  );
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});
await pg.stop();

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(resultsDir)) {
  const r = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
}
rmSync(resultsDir, { recursive: true, force: true });
if (code !== 0 && failed === 0) failed = 1; // a project that crashed before reporting still fails the run
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
