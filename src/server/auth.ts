/**
 * HTTP Basic authentication for the REST API. Users come from a file in Jetty's realm format,
 * which ksqlDB's JAAS set-up uses: `user: password[,role…]` per line (`#` comments). Failures get
 * ksqlDB's 401/40100; the readiness probes stay open, as in ksqlDB.
 */
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type Users = Map<string, string>;

export function parseUsers(text: string): Users {
  const users: Users = new Map();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const user = line.slice(0, i).trim();
    const password = line.slice(i + 1).split(',')[0]!.trim();
    users.set(user, password);
  }
  return users;
}

export function loadUsers(file: string): Users {
  return parseUsers(readFileSync(file, 'utf8'));
}

/** Whether an Authorization header names a known user with the right password. */
export function authorized(users: Users, header: string | undefined): boolean {
  if (!header) return false;
  const m = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return false;
  const expected = users.get(decoded.slice(0, i));
  if (expected === undefined) return false;
  const a = Buffer.from(decoded.slice(i + 1));
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
