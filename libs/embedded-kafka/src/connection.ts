import { Socket } from 'node:net';
import { ApiDefinition, BrokerState } from './apis/api';
import { writeApiVersions } from './apis/api-table';
import { ApiKey } from './protocol/api-keys';
import { ErrorCode } from './protocol/error-codes';
import { MalformedRequestError, Reader } from './protocol/reader';
import { Writer } from './protocol/writer';

/** Stop reading from a client that has this much unprocessed request data queued. */
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/**
 * One client connection: reassembles size-prefixed frames from arbitrary TCP chunks and handles
 * requests strictly one after another, so responses leave in request order as the protocol
 * requires (a long-polling fetch holds back later requests on the same connection, as in Kafka).
 */
export class Connection {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private busy = false;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly apis: Map<number, ApiDefinition>,
    private readonly broker: BrokerState,
    private readonly maxRequestBytes: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => broker.log.warn(`connection ${this.peer}: ${err.message}`));
    socket.on('close', () => (this.closed = true));
  }

  private get peer(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  close(reason?: string): void {
    if (reason) this.broker.log.warn(`closing connection ${this.peer}: ${reason}`);
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const size = this.peekInt32();
      if (size < 0 || size > this.maxRequestBytes) {
        this.close(`request size ${size} outside 0..${this.maxRequestBytes}`);
        return;
      }
      if (this.buffered < 4 + size) break;
      this.take(4);
      const frame = this.take(size);
      this.queue.push(frame);
      this.queuedBytes += frame.length;
    }
    if (this.queuedBytes > MAX_QUEUED_BYTES) this.socket.pause();
    void this.pump();
  }

  private peekInt32(): number {
    if (this.chunks[0].length >= 4) return this.chunks[0].readInt32BE(0);
    return this.take(4, true).readInt32BE(0);
  }

  /** Removes (or with `peek`, copies) the next n buffered bytes. */
  private take(n: number, peek = false): Buffer {
    const head = this.chunks[0];
    if (head.length >= n && !peek) {
      this.buffered -= n;
      if (head.length === n) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
      return head.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let got = 0;
    let i = 0;
    while (got < n) {
      const c = this.chunks[i];
      const part = Math.min(c.length, n - got);
      c.copy(out, got, 0, part);
      got += part;
      if (peek) {
        i++;
      } else if (part === c.length) {
        this.chunks.shift();
      } else {
        this.chunks[0] = c.subarray(part);
      }
    }
    if (!peek) this.buffered -= n;
    return out;
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const frame = this.queue.shift() as Buffer;
        this.queuedBytes -= frame.length;
        if (this.socket.isPaused() && this.queuedBytes <= MAX_QUEUED_BYTES / 2) this.socket.resume();
        await this.handle(frame);
      }
    } finally {
      this.busy = false;
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    let correlationId = -1;
    try {
      const r = new Reader(frame);
      const apiKey = r.int16();
      const apiVersion = r.int16();
      correlationId = r.int32();
      const clientId = r.nullableString() ?? '';
      const api = this.apis.get(apiKey);
      if (!api || apiVersion < api.minVersion || apiVersion > api.maxVersion) {
        if (apiKey === ApiKey.ApiVersions) {
          // Clients open with their newest ApiVersions; the v0 body tells them what we support.
          await this.send(
            correlationId,
            writeApiVersions([...this.apis.values()], ErrorCode.UNSUPPORTED_VERSION, 0),
          );
        } else {
          this.close(`unsupported api ${apiKey} v${apiVersion}`);
        }
        return;
      }
      const ctx = { apiVersion, clientId, clientHost: this.socket.remoteAddress ?? '' };
      const response = await api.handle(this.broker, ctx, r);
      if (response) await this.send(correlationId, response);
    } catch (err) {
      const what = err instanceof MalformedRequestError ? 'malformed request' : 'request failed';
      this.close(`${what} (correlation id ${correlationId}): ${(err as Error).message}`);
    }
  }

  private send(correlationId: number, body: Writer): Promise<void> {
    if (this.closed) return Promise.resolve();
    const header = Buffer.allocUnsafe(8);
    header.writeInt32BE(4 + body.length, 0);
    header.writeInt32BE(correlationId, 4);
    this.socket.cork();
    let ok = this.socket.write(header);
    for (const b of body.buffers()) ok = this.socket.write(b);
    this.socket.uncork();
    if (ok) return Promise.resolve();
    // Holding the next request until the client has read this response bounds our memory.
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }
}
