// Runs one service's database migrations and exits: for a Kubernetes Job (deploy/k8s/migrations/)
// that migrates before a rollout, so replicas never race each other on the first start-up.
//   SERVICE=order-service node deploy/migrate.js
//
// The services have no "migrate only" mode: the service kit runs TypeORM migrations while the
// application initialises (migrationsRun), and the HTTP server listens only after that succeeded.
// So this starts the service on a private port, waits for GET /health/live (liveness does not
// depend on Kafka), stops it with SIGTERM and exits 0. If the service exits first (a failed
// migration, bad configuration) its exit code is passed on. While it runs, the instance is a
// normal replica for a few seconds: the outbox relay and consumers are safe to run there (advisory
// lock, idempotent inbox), at worst one consumer-group rebalance.
'use strict';

const { spawn } = require('node:child_process');
const { join } = require('node:path');

const service = process.env.SERVICE;
if (!service) {
  process.stderr.write('migrate: set SERVICE to the service whose migrations should run\n');
  process.exit(78);
}
const port = Number(process.env.MIGRATE_PORT || 39000);
const timeoutMs = Number(process.env.MIGRATE_TIMEOUT_SECONDS || 600) * 1000;

const child = spawn(
  process.execPath,
  ['--enable-source-maps', join(__dirname, '..', 'apps', service, 'src', 'main.js')],
  {
    env: { ...process.env, PORT: String(port) },
    stdio: 'inherit',
  },
);

let done = false;
child.on('exit', (code, signal) => {
  if (done) process.exit(0);
  process.stderr.write(`migrate: ${service} exited (${signal ?? code}) before it was up\n`);
  process.exit(code || 1);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => child.kill(sig));

const deadline = Date.now() + timeoutMs;
(async function poll() {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        process.stdout.write(`migrate: ${service} is up, its migrations are applied; stopping it\n`);
        done = true;
        child.kill('SIGTERM');
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  process.stderr.write(`migrate: ${service} not up within ${timeoutMs / 1000}s\n`);
  child.kill('SIGKILL');
  process.exit(1);
})();
