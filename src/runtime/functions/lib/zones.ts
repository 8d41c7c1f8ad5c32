/**
 * Time zones for the date/time functions: Java ZoneId names (regions, UTC/GMT, fixed offsets),
 * offsets at an instant and short display names, computed with the platform's Intl time-zone data.
 */

export type Zone = { kind: 'fixed'; id: string; offsetMs: number } | { kind: 'region'; id: string };

const zoneCache = new Map<string, Zone>();
const partsCache = new Map<string, Intl.DateTimeFormat>();

/** Common abbreviations Java's zone-text parser resolves to regions (PST parses as America/Los_Angeles). */
const ABBREVIATIONS: Record<string, string> = {
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  AKST: 'America/Anchorage',
  AKDT: 'America/Anchorage',
  HST: 'Pacific/Honolulu',
  BST: 'Europe/London',
  CET: 'Europe/Paris',
  CEST: 'Europe/Paris',
  EET: 'Europe/Bucharest',
  EEST: 'Europe/Bucharest',
  WET: 'Europe/Lisbon',
  WEST: 'Europe/Lisbon',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  KST: 'Asia/Seoul',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
};

function parseOffset(s: string): number | undefined {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  const h = Number(m[2]);
  const mi = Number(m[3] ?? 0);
  const se = Number(m[4] ?? 0);
  if (h > 18 || mi > 59 || se > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * ((h * 60 + mi) * 60 + se) * 1000;
}

/** Resolves a Java ZoneId string; throws for unknown zones. */
export function zoneOf(id: string, allowAbbreviation = false): Zone {
  const cached = zoneCache.get(id);
  if (cached) return cached;
  let z: Zone | undefined;
  const upper = id.toUpperCase();
  if (upper === 'Z' || upper === 'UTC' || upper === 'GMT' || upper === 'UT') z = { kind: 'fixed', id: upper === 'Z' ? 'Z' : upper, offsetMs: 0 };
  else {
    const prefixed = /^(UTC|GMT|UT)([+-].*)$/i.exec(id);
    const off = parseOffset(prefixed ? prefixed[2]! : id);
    if (off !== undefined) z = { kind: 'fixed', id, offsetMs: off };
    else if (allowAbbreviation && ABBREVIATIONS[upper]) z = { kind: 'region', id: ABBREVIATIONS[upper]! };
    else {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: id });
        z = { kind: 'region', id };
      } catch {
        throw new Error(`Unknown time-zone ID: ${id}`);
      }
    }
  }
  zoneCache.set(id, z);
  return z;
}

function partsFormatter(id: string): Intl.DateTimeFormat {
  let f = partsCache.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: id,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    partsCache.set(id, f);
  }
  return f;
}

/**
 * Offsets per zone per 15-minute slot: zone transitions fall on whole minutes, almost always on
 * a quarter hour, and Intl lookups are slow on the per-record path.
 */
const SLOT_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();

/** The zone's offset from UTC at the instant, in ms. */
export function offsetAt(zone: Zone, epochMs: number): number {
  if (zone.kind === 'fixed') return zone.offsetMs;
  let perZone = offsetCache.get(zone.id);
  if (!perZone) {
    perZone = new Map();
    offsetCache.set(zone.id, perZone);
  }
  const slot = Math.floor(epochMs / SLOT_MS);
  let off = perZone.get(slot);
  if (off === undefined) {
    // sample the slot's start and end: if they differ a transition falls inside, so do not cache
    const a = lookupOffset(zone.id, slot * SLOT_MS);
    const b = lookupOffset(zone.id, slot * SLOT_MS + SLOT_MS - 1000);
    if (a !== b) return lookupOffset(zone.id, epochMs);
    if (perZone.size > 10_000) perZone.clear();
    perZone.set(slot, a);
    off = a;
  }
  return off;
}

function lookupOffset(id: string, epochMs: number): number {
  const parts = partsFormatter(id).formatToParts(new Date(epochMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, get('month') - 1, get('day'));
  d.setUTCHours(get('hour'), get('minute'), get('second'), 0);
  const secFloor = Math.floor(epochMs / 1000) * 1000;
  return d.getTime() - secFloor;
}

/**
 * The instant of a local date-time (given as epoch ms of the same wall clock in UTC) in the zone,
 * resolved as java.time's ZonedDateTime.ofLocal: in an overlap the earlier instant, in a gap the
 * local time shifted forward by the gap (i.e. read with the offset from before the transition).
 */
export function localToInstant(zone: Zone, localMs: number): number {
  if (zone.kind === 'fixed') return localMs - zone.offsetMs;
  const before = offsetAt(zone, localMs - 43_200_000);
  const after = offsetAt(zone, localMs + 43_200_000);
  let best: number | undefined;
  for (const o of before === after ? [before] : [before, after]) {
    const instant = localMs - o;
    if (offsetAt(zone, instant) === o && (best === undefined || instant < best)) best = instant;
  }
  return best ?? localMs - before;
}

const nameCache = new Map<string, Intl.DateTimeFormat>();

/** Zones without DST whose Java short names no English Intl locale provides. */
const FIXED_SHORT_NAMES: Record<string, string> = {
  'Asia/Tokyo': 'JST',
  'Asia/Seoul': 'KST',
  'Asia/Shanghai': 'CST',
  'Asia/Hong_Kong': 'HKT',
  'Asia/Singapore': 'SGT',
  'Asia/Dubai': 'GST',
  'Asia/Jakarta': 'WIB',
  'Asia/Manila': 'PST',
};

/** Short display name (PDT, BST, UTC) as Java's 'z' prints, falling back to GMT+hh:mm. */
export function shortZoneName(zone: Zone, epochMs: number, long = false): string {
  if (zone.kind === 'fixed') {
    if (zone.id === 'UTC' || zone.id === 'GMT' || zone.id === 'UT' || zone.id === 'Z') return zone.id;
    return formatOffset(zone.offsetMs, true, true);
  }
  if (!long && FIXED_SHORT_NAMES[zone.id]) return FIXED_SHORT_NAMES[zone.id]!;
  for (const locale of ['en-US', 'en-GB', 'en-AU', 'en-IN']) {
    const key = `${locale}|${zone.id}|${long}`;
    let f = nameCache.get(key);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { timeZone: zone.id, timeZoneName: long ? 'long' : 'short' });
      nameCache.set(key, f);
    }
    const name = f.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value;
    if (name && !/^(GMT|UTC)[+-]/.test(name)) return name;
  }
  const off = offsetAt(zone, epochMs);
  return off === 0 ? 'GMT' : `GMT${formatOffset(off, true, false)}`;
}

/** +HH:MM / +HHMM, with :ss only when the offset has seconds (historic LMT offsets); 'Z' for zero when zForZero. */
export function formatOffset(ms: number, colon: boolean, zForZero: boolean): string {
  if (ms === 0 && zForZero) return 'Z';
  const sign = ms < 0 ? '-' : '+';
  const total = Math.round(Math.abs(ms) / 1000);
  const h = String(Math.floor(total / 3600)).padStart(2, '0');
  const m = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const sec = total % 60;
  const sep = colon ? ':' : '';
  return `${sign}${h}${sep}${m}${sec ? sep + String(sec).padStart(2, '0') : ''}`;
}
