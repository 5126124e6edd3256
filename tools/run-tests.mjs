// `npm test`: runs every project's Jest suite through Nx and prints one closing line
// `N passed, N failed` for the whole workspace. PostgreSQL: DATABASE_URL when set, otherwise one
// embedded server is started here and shared by all projects (each suite makes its own database).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

// The whole run takes minutes; a project that hangs (a blocked event loop, a server that never
// answers) must end the run red and say which project it was, not sit until CI gives up.
const timeoutMinutes = Number(process.env.TEST_RUN_TIMEOUT_MINUTES ?? 12);
let timedOut = false;
const code = await new Promise((resolve) => {
  const child = spawn(
    'npx',
    ['nx', 'run-many', '-t', 'test', '--parallel=2', '--output-style=stream', ...extraArgs],
    { stdio: 'inherit', env, detached: true },
  );
  const killTree = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killTree('SIGKILL');
  }, timeoutMinutes * 60_000);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => killTree(signal));
  child.on('exit', (c, signal) => {
    clearTimeout(timer);
    resolve(c ?? (signal ? 1 : 0));
  });
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
if (timedOut) {
  const reported = new Set(readdirSync(resultsDir).map((f) => f.replace(/\.json$/, '').replace(/__/g, '/')));
  const unfinished = ['apps', 'libs', 'tools']
    .flatMap((dir) => readdirSync(dir).map((name) => `${dir}/${name}`))
    .filter((project) => existsSync(join(project, 'jest.config.js')) && !reported.has(project));
  console.error(
    `the test run was stopped after ${timeoutMinutes} minutes; projects without results: ${unfinished.join(', ') || 'none'}`,
  );
}
rmSync(resultsDir, { recursive: true, force: true });
if (code !== 0 && failed === 0) failed = 1; // a project that crashed before reporting still fails the run
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
