/** Shared by the CLI end-to-end tests: a free port and a `sluice server --in-memory` child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const SLUICE_BIN = fileURLToPath(new URL('../../../bin/sluice.js', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value; fails with `what` after `tries` attempts. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, tries = 150, everyMs = 200): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `sluice server --in-memory` on a free port and waits until /info answers. */
export async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [SLUICE_BIN, 'server', '--in-memory', '--listeners', url, '--schema-registry-listener', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    await waitFor('the server to answer /info', async () => {
      if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
      const res = await fetch(url + '/info');
      return res.ok || undefined;
    });
  } catch (err) {
    child.kill();
    throw err;
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs statements on the server directly (another connection than the CLI's). */
export async function ksql(url: string, statements: string): Promise<unknown> {
  const res = await fetch(url + '/ksql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: statements, streamsProperties: {} }) });
  const body = await res.json();
  if (!res.ok) throw new Error(`ksql failed: ${JSON.stringify(body)}`);
  return body;
}
