import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { freePortRange } from '../src';

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });

describe('freePortRange', () => {
  it('finds a base below the ephemeral range whose next ports can all be listened on', async () => {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const base = await freePortRange(5);
    expect(base).toBeGreaterThanOrEqual(10_000);
    expect(base + 5).toBeLessThan(low);
    const servers = await Promise.all([1, 2, 3, 4, 5].map((i) => listen(base + i)));
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });
});
