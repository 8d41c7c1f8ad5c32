/**
 * Synchronous HTTP for code that must stay synchronous (the SchemaRegistryClient contract): the
 * request goes to a worker thread (remote-worker.ts) doing it with fetch, and the calling thread
 * blocks on a shared flag with Atomics.wait until the worker has posted the answer, which it
 * then takes with receiveMessageOnPort. Blocking is acceptable where it is used: registry calls
 * happen when a query starts or meets a new schema id, not per record (answers are cached).
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface SyncHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export type SyncHttpResponse = { status: number; body: string; error?: undefined } | { error: string };

export class SyncHttp {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private seq = 0;

  private start(): MessagePort {
    if (this.port) return this.port;
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(new URL('./remote-worker.js', import.meta.url), { workerData: { port: port2 }, transferList: [port2] });
    // neither the worker nor its port keeps the process alive
    this.worker.unref();
    port1.unref();
    this.port = port1;
    return port1;
  }

  request(req: SyncHttpRequest): SyncHttpResponse {
    const port = this.start();
    const seq = ++this.seq;
    const flag = new SharedArrayBuffer(4);
    port.postMessage({ seq, request: req, flag });
    // the worker's own fetch timeout answers first; this bound only guards against a dead worker
    const waited = Atomics.wait(new Int32Array(flag), 0, 0, req.timeoutMs + 5000);
    if (waited === 'timed-out') return { error: `no answer within ${req.timeoutMs} ms` };
    for (;;) {
      const msg = receiveMessageOnPort(port) as { message: { seq: number; response: SyncHttpResponse } } | undefined;
      if (!msg) return { error: 'the HTTP worker answered nothing' };
      // answers to earlier calls that timed out are dropped
      if (msg.message.seq === seq) return msg.message.response;
    }
  }

  async close(): Promise<void> {
    this.port?.close();
    await this.worker?.terminate();
    this.port = undefined;
    this.worker = undefined;
  }
}
