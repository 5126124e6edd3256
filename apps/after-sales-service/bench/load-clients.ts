// The bench's HTTP clients, in a worker thread so that their own work does not sit on the
// service's event loop and show up as service latency. Each client is one keep-alive connection
// speaking just the HTTP/1.1 the bench needs (a request out, a Content-Length response back), as
// a load generator such as wrk does: node:http spent ~0.3 ms of CPU per request and fetch ~0.35
// ms more, on the same two cores as the service and its database.
import { connect, type Socket } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

interface Job {
  /** One or more instances of the service; client i talks to instance i mod n. */
  bases: string[];
  clients: number;
  agent: string;
  orders: { orderId: string; customerToken: string }[];
  /**
   * Commands per second to offer, spread evenly; absent: as fast as the clients get answers. A
   * paced command's latency counts from when it was due, so time spent waiting for a free client
   * is latency too.
   */
  ratePerSecond?: number;
}

const HEADERS_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection; one request at a time. */
class Connection {
  private readonly socket: Socket;
  private readonly ready: Promise<void>;
  private buffer: Buffer = Buffer.alloc(0);
  private pending?: { resolve: (r: { status: number; body: string }) => void; reject: (e: Error) => void };

  constructor(private readonly url: URL) {
    this.socket = connect(Number(url.port), url.hostname);
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    this.socket.on('error', (e) => this.pending?.reject(e));
    this.socket.on('close', () => this.pending?.reject(new Error('the service closed the connection')));
  }

  async post(path: string, auth: string, body: unknown): Promise<{ status: number; body: string }> {
    await this.ready;
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${this.url.host}\r\nContent-Type: application/json\r\n` +
          `Authorization: ${auth}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
      );
    });
  }

  private received(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const end = this.buffer.indexOf(HEADERS_END);
    if (end < 0 || !this.pending) return;
    const head = this.buffer.toString('latin1', 0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      this.pending.reject(new Error(`a response without Content-Length: ${head.split('\r\n')[0]}`));
      return;
    }
    const total = end + HEADERS_END.length + Number(length[1]);
    if (this.buffer.length < total) return;
    const status = Number(head.slice(9, 12));
    const body = this.buffer.toString('utf8', end + HEADERS_END.length, total);
    this.buffer = this.buffer.subarray(total);
    const { resolve } = this.pending;
    this.pending = undefined;
    resolve({ status, body });
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface JobResult {
  latencies: number[];
  /** When each command was due (or sent, unpaced), in ms since 1970: the same index as its latency. */
  dueAt: number[];
  failures: number;
  seconds: number;
}

async function runJob(job: Job): Promise<JobResult> {
  const latencies: number[] = [];
  const dueAt: number[] = [];
  let failures = 0;
  const started = performance.now();
  let slots = 0;
  /** When the next command is due (now, unpaced), after waiting for that moment. */
  const due = async (): Promise<number> => {
    if (!job.ratePerSecond) return performance.now();
    const at = started + (slots++ * 1000) / job.ratePerSecond;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return at;
  };
  const call = async (
    connection: Connection,
    path: string,
    auth: string,
    body: unknown,
  ): Promise<{ ticketId?: string } | null> => {
    const t0 = await due();
    const res = await connection.post(path, auth, body);
    latencies.push(performance.now() - t0);
    dueAt.push(performance.timeOrigin + t0);
    if (res.status >= 300) {
      failures++;
      return null;
    }
    return JSON.parse(res.body) as { ticketId?: string };
  };
  let next = 0;
  const connections: Connection[] = [];
  const client = async (_: unknown, index: number) => {
    const connection = new Connection(new URL(job.bases[index % job.bases.length]));
    connections.push(connection);
    while (next < job.orders.length) {
      const order = job.orders[next++];
      const ticket = await call(connection, '/tickets', order.customerToken, {
        orderId: order.orderId,
        type: 'REFUND_ONLY',
        lines: [{ lineId: 'L1', quantity: 1 }],
        reasonCode: 'DAMAGED',
      });
      if (ticket?.ticketId)
        await call(connection, `/tickets/${ticket.ticketId}/approve`, job.agent, { note: 'ok' });
    }
  };
  await Promise.all(Array.from({ length: job.clients }, client));
  for (const connection of connections) connection.close();
  return { latencies, dueAt, failures, seconds: (performance.now() - started) / 1000 };
}

// One worker serves every run of the bench, so the later runs meet clients whose code is compiled.
parentPort?.on('message', (job: Job) => {
  void runJob(job).then((result) => parentPort?.postMessage(result));
});
