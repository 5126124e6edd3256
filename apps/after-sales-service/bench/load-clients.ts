// The bench's HTTP clients, in a worker thread so that their own work does not sit on the
// service's event loop and show up as service latency. Plain node:http with keep-alive: fetch
// (undici) spent about 0.35 ms more CPU per request, on the same two cores as the service.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
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

function post(
  agent: Agent,
  url: URL,
  auth: string,
  body: unknown,
): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: auth,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function runJob(job: Job): Promise<{ latencies: number[]; failures: number; seconds: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.clients });
  const latencies: number[] = [];
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
    base: string,
    path: string,
    auth: string,
    body: unknown,
  ): Promise<{ ticketId?: string } | null> => {
    const t0 = await due();
    const res = await post(agent, new URL(path, base), auth, body);
    latencies.push(performance.now() - t0);
    if (res.status >= 300) {
      failures++;
      return null;
    }
    return JSON.parse(res.body) as { ticketId?: string };
  };
  let next = 0;
  const client = async (_: unknown, index: number) => {
    const base = job.bases[index % job.bases.length];
    while (next < job.orders.length) {
      const order = job.orders[next++];
      const ticket = await call(base, '/tickets', order.customerToken, {
        orderId: order.orderId,
        type: 'REFUND_ONLY',
        lines: [{ lineId: 'L1', quantity: 1 }],
        reasonCode: 'DAMAGED',
      });
      if (ticket?.ticketId)
        await call(base, `/tickets/${ticket.ticketId}/approve`, job.agent, { note: 'ok' });
    }
  };
  await Promise.all(Array.from({ length: job.clients }, client));
  agent.destroy();
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

void runJob(workerData as Job).then((result) => parentPort?.postMessage(result));
