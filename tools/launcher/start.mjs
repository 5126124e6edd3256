// `npm start`: the whole platform on one machine. PostgreSQL and Kafka are embedded (data under
// .data/) unless DATABASE_URL / KAFKA_BROKERS point at real servers. Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
require('@swc-node/register');
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { startSharedPostgres } = require(join(root, 'libs/testing/src/postgres/shared-postgres.ts'));
const { EmbeddedKafka } = require(join(root, 'libs/embedded-kafka/src/index.ts'));
const { LOCAL_JWT_SECRET } = require(join(root, 'libs/auth/src/index.ts'));
const { answersReady, waitUntil } = require(join(root, 'libs/testing/src/wait/wait-until.ts'));

// Ports 3001-3005 unless SERVICE_PORT_BASE moves them (the launcher's own test does).
const portBase = Number(process.env.SERVICE_PORT_BASE ?? 3000);
export const SERVICES = [
  { name: 'order-service', port: portBase + 1 },
  { name: 'after-sales-service', port: portBase + 2 },
  { name: 'refund-service', port: portBase + 3 },
  { name: 'warehouse-adapter', port: portBase + 4 },
  { name: 'settlement-service', port: portBase + 5 },
];

const log = (msg) => process.stdout.write(`[launcher] ${msg}\n`);

async function main() {
  const pg = await startSharedPostgres({
    dataDir: join(root, '.data/postgres'),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54320),
  });
  log(`PostgreSQL: ${pg.embedded ? `embedded, ${pg.url}` : 'DATABASE_URL'}`);

  let kafka;
  let brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    kafka = await EmbeddedKafka.start({
      port: Number(process.env.EMBEDDED_KAFKA_PORT ?? 9092),
      dataDir: process.env.KAFKA_DATA_DIR ?? join(root, '.data/kafka'),
      defaultPartitions: 3,
    });
    brokers = kafka.brokers.join(',');
    log(`Kafka: embedded broker at ${brokers}`);
  } else {
    log(`Kafka: KAFKA_BROKERS=${brokers}`);
  }

  const children = SERVICES.map(({ name, port }) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(root, 'apps', name, 'src/main.ts')],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: pg.url,
          KAFKA_BROKERS: brokers,
          PORT: String(port),
          AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET,
          NODE_ENV: process.env.NODE_ENV ?? 'development',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
    }
    child.on('exit', (code, signal) => {
      if (!stopping) {
        log(`${name} exited (${signal ?? code}); stopping the platform`);
        void stop(1);
      }
    });
    return { name, port, child };
  });

  let stopping = false;
  async function stop(code = 0) {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
    if (kafka) await kafka.stop();
    await pg.stop();
    process.exit(code);
  }
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  await Promise.all(children.map(({ name, port }) => waitReady(name, port)));
  log('the platform is up:');
  for (const { name, port } of SERVICES) log(`  ${name.padEnd(20)} http://localhost:${port}/docs`);
  log('a token for the APIs: npm run token -- --role merchant_agent --id a1 --merchant m1');
}

async function waitReady(name, port) {
  await waitUntil(() => answersReady(`http://127.0.0.1:${port}`), `${name} to become ready on :${port}`, {
    timeoutMs: 120_000,
    intervalMs: 200,
  });
  log(`${name} ready on :${port}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
