/**
 * Calendar arithmetic on the runtime representations (DATE = days since epoch, TIME = ms of day,
 * TIMESTAMP = epoch ms) and ISO text forms, all in UTC.
 */

export const MS_PER_DAY = 86_400_000;

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** yyyy-MM-dd with Java's ISO year rules (sign and 5+ digits outside 0000..9999). */
function isoYear(y: number): string {
  if (y >= 0 && y <= 9999) return pad(y, 4);
  return (y < 0 ? '-' : '+') + pad(Math.abs(y), 4);
}

export function formatIsoDate(days: number): string {
  const d = new Date(days * MS_PER_DAY);
  return `${isoYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** java.time.LocalTime#toString: HH:mm, then :ss and .SSS only when not zero. */
export function formatIsoTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const frac = ms % 1000;
  let out = `${pad(h, 2)}:${pad(m, 2)}`;
  if (s !== 0 || frac !== 0) out += `:${pad(s, 2)}`;
  if (frac !== 0) out += `.${pad(frac, 3)}`;
  return out;
}

/** yyyy-MM-ddTHH:mm:ss.SSS in UTC, as ksqlDB prints TIMESTAMP values. */
export function formatIsoTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${isoYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(
    d.getUTCSeconds(),
    2,
  )}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

export function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Java TimeUnit names accepted by the *ADD / *SUB functions, in milliseconds. */
const UNIT_MS: Record<string, number> = {
  MILLISECONDS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: MS_PER_DAY,
};

export function unitMillis(unit: string): number {
  const ms = UNIT_MS[unit.toUpperCase()];
  if (ms === undefined) throw new Error(`Unsupported time unit: ${unit}`);
  return ms;
}
