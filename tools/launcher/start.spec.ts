import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@aftersales/auth';
import { createTestDatabase, freePort, freePortRange, type TestDatabase } from '@aftersales/testing';

// `npm start` brings the whole platform up: this runs the launcher as a person would (on a fresh
// database, a free Kafka port and free service ports) and asks every service whether it is ready.
const root = join(__dirname, '../..');
const secret = 'launcher-test-secret-0123456789';

describe('npm start', () => {
  let db: TestDatabase;
  let base: number;
  let launcher: ChildProcess;
  let output = '';
  const kafkaDir = mkdtempSync(join(tmpdir(), 'launcher-kafka-'));

  beforeAll(async () => {
    db = await createTestDatabase('launcher');
    // Below the ephemeral range: a random base inside it lost a port to some outgoing connection
    // (EADDRINUSE) when the suites ran against a PostgreSQL server of their own.
    base = await freePortRange(5);
    launcher = spawn(process.execPath, [join(root, 'tools/launcher/start.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        EMBEDDED_KAFKA_PORT: String(await freePort()),
        KAFKA_DATA_DIR: kafkaDir,
        SERVICE_PORT_BASE: String(base),
        AUTH_JWT_SECRET: secret,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    launcher.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (output.includes('the platform is up')) {
          clearInterval(timer);
          resolve();
        }
        if (launcher.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`the launcher stopped:\n${output}`));
        }
      }, 200);
    });
  });

  afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((r) => launcher.once('exit', r));
      launcher.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
    rmSync(kafkaDir, { recursive: true, force: true });
  });

  it('starts all five services, each ready with its database (and after-sales with Kafka)', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await fetch(`http://127.0.0.1:${base + i}/health/ready`);
      expect(res.status).toBe(200);
    }
    const ready = (await (await fetch(`http://127.0.0.1:${base + 2}/health/ready`)).json()) as {
      info: { kafka: { reachable: boolean } };
    };
    expect(ready.info.kafka.reachable).toBe(true);
  });

  it('serves the after-sales API to a token from the local secret', async () => {
    const token = await mintToken({ role: 'merchant_agent', id: 'a1', merchantId: 'm1', secret });
    const res = await fetch(`http://127.0.0.1:${base + 2}/tickets`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [], nextCursor: null });
  });
});
