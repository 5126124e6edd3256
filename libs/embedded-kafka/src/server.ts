import * as net from 'node:net';
import { ApiDefinition, BrokerState } from './apis/api';
import { Connection } from './connection';

/** The TCP listener: one Connection per client socket. */
export class Server {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();

  constructor(apis: Map<number, ApiDefinition>, broker: BrokerState, maxRequestBytes: number) {
    this.server = net.createServer((socket) => {
      const conn = new Connection(socket, apis, broker, maxRequestBytes);
      this.connections.add(conn);
      socket.on('close', () => this.connections.delete(conn));
    });
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.connections) c.close();
    return closed;
  }
}
