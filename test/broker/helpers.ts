/** Test helpers: temp data dirs, a broker on an ephemeral port, kafkajs clients, and a raw protocol client. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker, type BrokerHandle, type StartBrokerOptions } from '../../src/broker/index.js';
import { Writer } from '../../src/broker/protocol/writer.js';
import { Reader } from '../../src/broker/protocol/reader.js';
import { decodeStruct, encodeStruct, type Msg } from '../../src/broker/protocol/schema.js';
import { ALL_APIS } from '../../src/broker/apis/index.js';

export function tempDir(prefix = 'sluice-broker-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestBroker(dataDir = tempDir(), extra: Partial<StartBrokerOptions> = {}): Promise<BrokerHandle> {
  return startBroker({ host: '127.0.0.1', port: 0, dataDir, ...extra });
}

export function kafkaFor(handle: BrokerHandle, clientId = 'test'): Kafka {
  return new Kafka({
    clientId,
    brokers: [`127.0.0.1:${handle.port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 500 },
  });
}

/** Sends frames over one socket and decodes responses with the broker's own API descriptions. */
export class RawClient {
  private socket!: net.Socket;
  private buf = Buffer.alloc(0);
  private waiting: ((b: Buffer) => void)[] = [];
  private correlation = 1;
  closed = false;

  static async connect(port: number): Promise<RawClient> {
    const c = new RawClient();
    await new Promise<void>((resolve, reject) => {
      c.socket = net.connect(port, '127.0.0.1', () => resolve());
      c.socket.once('error', reject);
    });
    c.socket.on('error', () => {});
    c.socket.on('close', () => {
      c.closed = true;
      for (const w of c.waiting) w(Buffer.alloc(0));
      c.waiting = [];
    });
    c.socket.on('data', (d) => {
      c.buf = Buffer.concat([c.buf, d]);
      while (c.buf.length >= 4 && c.buf.length >= 4 + c.buf.readInt32BE(0)) {
        const size = c.buf.readInt32BE(0);
        const frame = c.buf.subarray(4, 4 + size);
        c.buf = c.buf.subarray(4 + size);
        c.waiting.shift()?.(frame);
      }
    });
    return c;
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Next response frame (empty buffer when the connection closed). */
  nextFrame(): Promise<Buffer> {
    if (this.closed) return Promise.resolve(Buffer.alloc(0));
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A complete request frame encoded with the broker's own API description. */
  encode(apiKey: number, version: number, body: Msg, correlationId: number): Buffer {
    const api = ALL_APIS.find((a) => a.key === apiKey)!;
    const flexible = version >= api.flexibleFrom;
    const w = new Writer();
    w.i32(0).i16(apiKey).i16(version).i32(correlationId).string('raw-test', false);
    if (flexible) w.emptyTags();
    encodeStruct(w, api.request, body, version, flexible);
    const out = Buffer.from(w.result());
    out.writeInt32BE(out.length - 4, 0);
    return out;
  }

  async request(apiKey: number, version: number, body: Msg): Promise<Msg> {
    const api = ALL_APIS.find((a) => a.key === apiKey)!;
    const flexible = version >= api.flexibleFrom;
    const out = this.encode(apiKey, version, body, this.correlation++);
    const pending = this.nextFrame();
    this.socket.write(out);
    const frame = await pending;
    if (frame.length === 0) throw new Error('connection closed');
    const r = new Reader(frame, 4);
    if (flexible && apiKey !== 18) r.taggedFields();
    return decodeStruct(r, api.response, version, flexible);
  }

  close(): void {
    this.socket.destroy();
  }
}
