/**
 * One client connection: splits the byte stream into size-prefixed frames, decodes request headers,
 * dispatches to the API handlers and writes responses strictly in request order (requests on one
 * connection are processed one at a time, like Kafka's muted channels, so a parked Fetch delays later
 * requests on the same socket only). Malformed input closes the connection; the broker stays up.
 */
import type { Socket } from 'node:net';
import { Reader, ProtocolError } from './protocol/reader.js';
import { Writer } from './protocol/writer.js';
import { decodeStruct, encodeStruct } from './protocol/schema.js';
import { ErrorCode } from './protocol/errors.js';
import type { Broker } from './broker.js';
import type { RequestContext } from './apis/api.js';
import { apiVersions } from './apis/18_api_versions.js';

export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being received, once its prefix has arrived; -1 before. */
  private expected = -1;
  private queue: Buffer[] = [];
  private processing = false;
  private dead = false;
  private resolveClosed!: () => void;
  readonly closed = new Promise<void>((r) => { this.resolveClosed = r; });

  constructor(private readonly socket: Socket, private readonly broker: Broker) {
    socket.setNoDelay(true);
    socket.on('data', (d) => this.onData(d));
    socket.on('error', () => this.shutdown());
    socket.on('close', () => this.shutdown());
  }

  private get log() {
    return this.broker.options.logger;
  }

  shutdown(): void {
    if (this.dead) return;
    this.dead = true;
    this.queue = [];
    this.chunks = [];
    this.socket.destroy();
    this.resolveClosed();
  }

  private onData(data: Buffer): void {
    if (this.dead) return;
    this.chunks.push(data);
    this.buffered += data.length;
    for (;;) {
      if (this.buffered < 4) break;
      if (this.expected < 0) {
        const size = this.peekSize();
        if (size < 8 || size > this.broker.options.maxRequestBytes) {
          this.log.warn(`closing connection from ${this.socket.remoteAddress}: invalid frame size ${size}`);
          this.shutdown();
          return;
        }
        this.expected = size;
      }
      // Concatenate only once the whole frame is here (large frames arrive in many chunks).
      if (this.buffered < this.expected + 4) break;
      const all = this.flatten();
      this.queue.push(all.subarray(4, 4 + this.expected));
      const rest = all.subarray(4 + this.expected);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.expected = -1;
    }
    if (!this.processing && this.queue.length) void this.drain();
  }

  /** The int32 size prefix, which may straddle chunks. */
  private peekSize(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    return this.flatten().readInt32BE(0);
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  private async drain(): Promise<void> {
    this.processing = true;
    try {
      while (this.queue.length && !this.dead) {
        const frame = this.queue.shift()!;
        try {
          const response = await this.handle(frame);
          if (response && !this.dead) this.socket.write(response);
        } catch (err) {
          if (err instanceof ProtocolError) this.log.warn(`closing connection from ${this.socket.remoteAddress}: ${err.message}`);
          else this.log.error(`request failed, closing connection: ${(err as Error).stack ?? err}`);
          this.shutdown();
        }
      }
    } finally {
      this.processing = false;
    }
  }

  private async handle(frame: Buffer): Promise<Buffer | null> {
    const r = new Reader(frame);
    const apiKey = r.i16();
    const version = r.i16();
    const correlationId = r.i32();
    const clientId = r.string(false);
    const api = this.broker.api(apiKey);
    if (!api) throw new ProtocolError(`unknown api key ${apiKey}`);
    if (version < api.minVersion || version > api.maxVersion) {
      if (apiKey === apiVersions.key) {
        // Kafka answers an unsupported ApiVersions version with a v0 body so any client can parse it.
        const w = new Writer(256);
        encodeStruct(w, apiVersions.response, { error_code: ErrorCode.UNSUPPORTED_VERSION, api_keys: this.broker.advertisedApis() }, 0, false);
        return frameResponse(correlationId, false, w.result());
      }
      throw new ProtocolError(`unsupported version ${version} of ${api.name}`);
    }
    const flexible = version >= api.flexibleFrom;
    if (flexible) r.taggedFields();
    const req = decodeStruct(r, api.request, version, flexible);
    const ctx: RequestContext = {
      broker: this.broker,
      apiVersion: version,
      clientId,
      clientHost: `/${this.socket.remoteAddress ?? 'unknown'}`,
      closed: this.closed,
    };
    const res = await api.handle(req, ctx);
    if (res === null) return null;
    const w = new Writer(512);
    encodeStruct(w, api.response, res, version, flexible);
    // ApiVersions responses always use header v0 (no tagged fields), even when the body is flexible.
    return frameResponse(correlationId, flexible && apiKey !== apiVersions.key, w.result());
  }
}

function frameResponse(correlationId: number, headerTags: boolean, body: Buffer): Buffer {
  const headerLen = headerTags ? 5 : 4;
  const out = Buffer.allocUnsafe(4 + headerLen + body.length);
  out.writeInt32BE(headerLen + body.length, 0);
  out.writeInt32BE(correlationId, 4);
  if (headerTags) out[8] = 0;
  body.copy(out, 4 + headerLen);
  return out;
}
