// The bench's HTTP clients, in a worker thread so that their own work does not sit on the
// service's event loop and show up as service latency.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

interface Job {
  base: string;
  clients: number;
  agent: string;
  orders: { orderId: string; customerToken: string }[];
}

async function runJob(job: Job): Promise<{ latencies: number[]; failures: number; seconds: number }> {
  const latencies: number[] = [];
  let failures = 0;
  const call = async (path: string, auth: string, body: unknown): Promise<{ ticketId?: string } | null> => {
    const t0 = performance.now();
    const res = await fetch(`${job.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { ticketId?: string };
    latencies.push(performance.now() - t0);
    if (res.status >= 300) {
      failures++;
      return null;
    }
    return json;
  };
  let next = 0;
  const client = async () => {
    while (next < job.orders.length) {
      const order = job.orders[next++];
      const ticket = await call('/tickets', order.customerToken, {
        orderId: order.orderId,
        type: 'REFUND_ONLY',
        lines: [{ lineId: 'L1', quantity: 1 }],
        reasonCode: 'DAMAGED',
      });
      if (ticket?.ticketId) await call(`/tickets/${ticket.ticketId}/approve`, job.agent, { note: 'ok' });
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: job.clients }, client));
  return { latencies, failures, seconds: (performance.now() - t0) / 1000 };
}

void runJob(workerData as Job).then((result) => parentPort?.postMessage(result));
