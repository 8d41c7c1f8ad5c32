/**
 * Calendar arithmetic on the runtime representations (DATE = days since epoch, TIME = ms of day,
 * TIMESTAMP = epoch ms) and ISO text forms, all in UTC.
 */

export const MS_PER_DAY = 86_400_000;

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** yyyy-MM-dd with Java's ISO year rules (sign and 5+ digits outside 0000..9999). */




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

/** ksqlDB's DATE / TIME / TIMESTAMP text (java.time's toString), shared with CAST. */
export { formatDate as formatIsoDate, formatTime as formatIsoTime, formatTimestamp as formatIsoTimestamp } from '../../../common/javaformat.js';
