/** Parses `HOST:PORT` (IPv6 as `[::1]:9092`) for listener options; throws a clear error otherwise. */
export interface HostPort {
  host: string;
  port: number;
}

export function parseHostPort(value: string, option: string): HostPort {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(value) ?? /^([^:]+):(\d+)$/.exec(value);
  if (!m) throw new Error(`${option} must be HOST:PORT (got "${value}")`);
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${option}: port must be between 0 and 65535 (got ${m[2]})`);
  return { host: m[1]!, port };
}
