import * as net from 'node:net';
import { Reader } from '../../src/protocol/reader';
import { Writer } from '../../src/protocol/writer';

/** A minimal Kafka client speaking raw frames, for requests kafkajs would never send. */
export class RawClient {
  private buffered = Buffer.alloc(0);
  private readonly waiting: ((frame: Buffer) => void)[] = [];
  private correlationId = 0;
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        this.waiting.shift()?.(frame);
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends a request with a v1 header and returns the response body after the correlation id. */
  async request(apiKey: number, apiVersion: number, body: Writer): Promise<Reader> {
    const id = ++this.correlationId;
    const header = new Writer().int16(apiKey).int16(apiVersion).int32(id).nullableString('raw-client');
    const payload = Buffer.concat([...header.buffers(), ...body.buffers()]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    const response = new Promise<Buffer>((resolve) => this.waiting.push(resolve));
    this.socket.write(Buffer.concat([size, payload]));
    const frame = await response;
    const r = new Reader(frame);
    if (r.int32() !== id) throw new Error('correlation id mismatch');
    return r;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}
