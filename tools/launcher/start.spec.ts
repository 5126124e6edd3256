import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mintToken } from '@aftersales/auth';
import { createTestDatabase, freePort, freePortRange, type TestDatabase } from '@aftersales/testing';

// `npm start` brings the whole platform up: this runs the launcher as a person would (on a fresh
// database, a free Kafka port and free service ports) and asks every service whether it is ready.
const root = join(__dirname, '../..');
const secret = 'launcher-test-secret-0123456789';

describe('npm start', () => {
  let db: TestDatabase;
  let base: number;
  let kafkaPort: number;
  let launcher: ChildProcess;
  let output = '';
  const kafkaDir = mkdtempSync(join(tmpdir(), 'launcher-kafka-'));

  beforeAll(async () => {
    db = await createTestDatabase('launcher');
    // Below the ephemeral range: a random base inside it lost a port to some outgoing connection
    // (EADDRINUSE) when the suites ran against a PostgreSQL server of their own.
    base = await freePortRange(5);
    kafkaPort = await freePort();
    launcher = spawn(process.execPath, [join(root, 'tools/launcher/start.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        EMBEDDED_KAFKA_PORT: String(kafkaPort),
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

  it('takes a refund through as docs/runbooks/try-it.md shows, command by command', async () => {
    const doc = readFileSync(join(root, 'docs/runbooks/try-it.md'), 'utf8');
    const steps = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)]
      .map((m) => m[1])
      .filter((block) => block.trim() !== 'npm start');
    // The same commands, pointed at this launcher's ports; the second the doc gives the service to
    // hear each event is five here, for a busy machine. Each step's output is checked below, so a
    // failed command shows there, and the last one, a grep that finds nothing, may fail.
    const script = steps
      .join('\n')
      .replaceAll('localhost:3002', `127.0.0.1:${base + 2}`)
      .replace(/^sleep 1$/gm, 'sleep 5');
    const { stdout } = await promisify(execFile)('bash', ['-c', `${script}\nexit 0`], {
      cwd: root,
      env: { ...process.env, AUTH_JWT_SECRET: secret, KAFKA_BROKERS: `127.0.0.1:${kafkaPort}` },
    });
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^published order-status-changed \S+ to order\.events /);
    expect(JSON.parse(lines[1])).toMatchObject({
      orderId: 'o-try-1',
      lines: [{ lineId: 'L1', afterSales: null }],
    });
    expect(lines.slice(2, 4)).toEqual(['PENDING_REVIEW', 'AWAITING_REFUND']);
    expect(lines[4]).toMatch(/^published refund-paid \S+ to refund\.events /);
    expect(lines[5]).toBe('SUCCEEDED');
    expect(lines.slice(6, 11).map((l) => l.replace(/^\S+ +/, '').replace(/:.*$/, ''))).toEqual([
      'customer       Refund applied for',
      'merchant_agent Approved',
      'merchant_agent Refund requested',
      'system         Refund paid',
      'system         Ticket succeeded',
    ]);
    expect(stdout).not.toMatch(/dlq_messages_total/);
  });
});
