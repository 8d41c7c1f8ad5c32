/**
 * Runtime values as ksqlDB's REST API writes them in rows: BIGINT and DECIMAL as plain JSON
 * numbers (written as text so no digit is lost), DOUBLE with Jackson's trailing `.0` on whole
 * numbers, TIMESTAMP as `yyyy-MM-ddTHH:mm:ss.SSS` (UTC, no zone), DATE `yyyy-MM-dd`, TIME an
 * ISO local time, BYTES base64, STRUCT and MAP objects, ARRAY arrays.
 */
import { isDecimal } from '../common/decimal.js';
import type { SqlType } from '../common/types.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : String(y);
  return `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export function formatDate(days: number): string {
  return formatTimestamp(days * 86_400_000).slice(0, 10);
}

/** java.time.LocalTime#toString: HH:mm, HH:mm:ss or HH:mm:ss.SSS, whichever is shortest exact. */
export function formatTime(msOfDay: number): string {
  const h = Math.floor(msOfDay / 3_600_000);
  const m = Math.floor(msOfDay / 60_000) % 60;
  const s = Math.floor(msOfDay / 1000) % 60;
  const ms = msOfDay % 1000;
  let out = `${pad(h)}:${pad(m)}`;
  if (s !== 0 || ms !== 0) out += `:${pad(s)}`;
  if (ms !== 0) out += `.${pad(ms, 3)}`;
  return out;
}

function doubleText(n: number): string {
  if (!Number.isFinite(n)) return JSON.stringify(String(n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : 'NaN'));
  const t = String(n);
  return Number.isInteger(n) && !/e/i.test(t) ? `${t}.0` : t;
}

/**
 * A cell that is already JSON text, as another server wrote it (a forwarded pull query's rows):
 * passed through untouched, so no digit of a BIGINT or DECIMAL is lost on the way.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The JSON text of one value of a known SQL type (null-safe). */
export function valueJson(v: unknown, t: SqlType | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof RawJson) return v.text;
  switch (t?.kind) {
    case 'BIGINT':
    case 'INTEGER':
      return typeof v === 'bigint' || typeof v === 'number' ? String(v) : anyJson(v);
    case 'DOUBLE':
      return typeof v === 'number' ? doubleText(v) : anyJson(v);
    case 'DECIMAL':
      return isDecimal(v) ? v.toFixed(t.scale) : anyJson(v);
    case 'TIMESTAMP':
      return typeof v === 'number' ? JSON.stringify(formatTimestamp(v)) : anyJson(v);
    case 'DATE':
      return typeof v === 'number' ? JSON.stringify(formatDate(v)) : anyJson(v);
    case 'TIME':
      return typeof v === 'number' ? JSON.stringify(formatTime(v)) : anyJson(v);
    case 'BYTES':
      return Buffer.isBuffer(v) ? JSON.stringify(v.toString('base64')) : anyJson(v);
    case 'ARRAY':
      return Array.isArray(v) ? `[${v.map((x) => valueJson(x, t.element)).join(',')}]` : anyJson(v);
    case 'MAP': {
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as object);
      return `{${entries.map(([k, x]) => `${JSON.stringify(String(k))}:${valueJson(x, t.value)}`).join(',')}}`;
    }
    case 'STRUCT': {
      const o = v as Record<string, unknown>;
      return `{${t.fields.map((f) => `${JSON.stringify(f.name)}:${valueJson(o[f.name], f.type)}`).join(',')}}`;
    }
    default:
      return anyJson(v);
  }
}

/** Best effort for values whose type is unknown. */
export function anyJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (isDecimal(v)) return v.toString();
  if (Buffer.isBuffer(v)) return JSON.stringify(v.toString('base64'));
  if (Array.isArray(v)) return `[${v.map(anyJson).join(',')}]`;
  if (v instanceof Map) return `{${[...v.entries()].map(([k, x]) => `${JSON.stringify(String(k))}:${anyJson(x)}`).join(',')}}`;
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${JSON.stringify(k)}:${anyJson(x)}`).join(',')}}`;
  return JSON.stringify(v);
}

/** A row's columns as a JSON array text. */
export function rowJson(values: unknown[], types: (SqlType | undefined)[]): string {
  return `[${values.map((v, i) => valueJson(v, types[i])).join(',')}]`;
}

/**
 * JSON.stringify that writes bigint as a plain number and decimal.js values as numbers, for
 * entities that carry runtime values (e.g. SHOW PROPERTIES values stay strings anyway).
 */
export function stringifyEntity(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
}
