/**
 * The worker thread behind RemoteSchemaRegistryClient's synchronous calls: it performs each HTTP
 * request with fetch, posts the answer back on its port, then wakes the waiting caller through
 * the request's shared flag (Atomics.notify). See sync-http.ts for the caller's side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { SyncHttpRequest, SyncHttpResponse } from './sync-http.js';

const port = (workerData as { port: MessagePort }).port;

port.on('message', (msg: { seq: number; request: SyncHttpRequest; flag: SharedArrayBuffer }) => {
  void answer(msg.request).then((response) => {
    port.postMessage({ seq: msg.seq, response });
    const flag = new Int32Array(msg.flag);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
});

async function answer(req: SyncHttpRequest): Promise<SyncHttpResponse> {
  try {
    const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(req.timeoutMs) });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    const err = e as Error & { cause?: Error };
    return { error: err.cause?.message ? `${err.message}: ${err.cause.message}` : err.message };
  }
}

parentPort?.unref();
