import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return listenOnce(0);
}

/**
 * A free port below the kernel's ephemeral range, for a server a test stops and starts again on
 * the same port. A port from the ephemeral range can be taken in between by any outgoing
 * connection on the machine (parallel test projects open thousands), and the restart then fails.
 */
export async function freeRestartablePort(): Promise<number> {
  return (await freePortRange(1)) + 1;
}

/**
 * A base port whose next `count` ports are all free, below the ephemeral range for the same
 * reason (the launcher's services listen on base+1 … base+count some seconds after the check).
 */
export async function freePortRange(count: number): Promise<number> {
  const low = ephemeralRangeStart();
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * (low - 10_000 - count - 1));
    let free = true;
    for (let port = base + 1; free && port <= base + count; port++) {
      free = (await listenOnce(port).catch(() => undefined)) === port;
    }
    if (free) return base;
  }
  throw new Error(`no ${count} free ports in a row between 10000 and ${low} after 50 tries`);
}

function ephemeralRangeStart(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 11_000 ? low : 32_768;
  } catch {
    return 32_768; // not Linux: the IANA dynamic range starts at 49152, so this is below it too
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const address = srv.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(bound));
    });
  });
}
