/**
 * The REST endpoint a server advertises to the others sharing its service id (pull queries are
 * forwarded there): ksqlDB's `ksql.advertised.listener` when set, else the first listener with a
 * wildcard host (0.0.0.0, ::) replaced by this machine's host name when it resolves, else by
 * 127.0.0.1 (then only servers on this machine can reach it).
 */
import { promises as dns } from 'node:dns';
import os from 'node:os';
import type { EngineDriver } from '../engine/driver.js';
import { routingOf } from '../engine/routing.js';

export const ADVERTISED_LISTENER = 'ksql.advertised.listener';

/** `port` overrides the listener's (a listener on port 0 learns its port once bound). */
export async function advertisedListenerFor(config: Record<string, unknown>, listener: string, port?: number): Promise<string> {
  const set = config[ADVERTISED_LISTENER];
  if (typeof set === 'string' && set.trim()) {
    let u: URL;
    try {
      u = new URL(set.trim());
    } catch {
      throw new Error(`Invalid ${ADVERTISED_LISTENER} '${set}': expected http://HOST:PORT or https://HOST:PORT`);
    }
    return u.origin;
  }
  const u = new URL(listener);
  if (port !== undefined) u.port = String(port);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === '0.0.0.0' || host === '::' || host === '') u.hostname = await localHostName();
  return u.origin;
}

async function localHostName(): Promise<string> {
  const name = os.hostname();
  if (!name) return '127.0.0.1';
  try {
    await dns.lookup(name);
    return name;
  } catch {
    return '127.0.0.1';
  }
}

/**
 * Tells a routing driver its endpoint before queries start (headless mode runs its queries
 * before the REST server listens, and a group member advertises what it knew when it joined).
 * A listener on port 0 is left to startServer, which knows the bound port.
 */
export async function advertiseEndpoint(driver: EngineDriver, config: Record<string, unknown>, listener: string): Promise<void> {
  const routing = routingOf(driver);
  if (!routing) return;
  const explicit = typeof config[ADVERTISED_LISTENER] === 'string' && String(config[ADVERTISED_LISTENER]).trim() !== '';
  if (!explicit) {
    let u: URL;
    try {
      u = new URL(listener);
    } catch {
      return; // startServer reports a bad listener
    }
    if (u.port === '0') return;
  }
  routing.setAdvertisedListener(await advertisedListenerFor(config, listener));
}
