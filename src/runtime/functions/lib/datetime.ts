/**
 * Date and time functions: UNIX_DATE, UNIX_TIMESTAMP, FROM_DAYS, FROM_UNIXTIME, DATEADD, DATESUB,
 * TIMEADD, TIMESUB, TIMESTAMPADD, TIMESTAMPSUB, CONVERT_TZ and the Java-pattern based
 * PARSE_/FORMAT_ DATE/TIME/TIMESTAMP and their legacy spellings (STRINGTODATE, DATETOSTRING,
 * STRINGTOTIMESTAMP, TIMESTAMPTOSTRING).
 */
import type { Registry } from '../registry.js';
import { javaFormatter } from './java-time-format.js';
import { floorDiv, floorMod, MS_PER_DAY, unitMillis } from './time-util.js';
import { localToInstant, offsetAt, zoneOf } from './zones.js';

const CAT = 'DATE / TIME';
const UTC = zoneOf('UTC');
/** FORMAT_TIMESTAMP / PARSE_TIMESTAMP default to GMT */
const DEFAULT_ZONE = 'GMT';
/**
 * TIMESTAMPTOSTRING / STRINGTOTIMESTAMP default to the JVM's zone in ksqlDB; here the process's
 * zone (UTC in the usual server/container setup).
 */
const SYSTEM_ZONE = new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function formatDate(days: number, pattern: string): string {
  return javaFormatter(pattern).format(days * MS_PER_DAY, UTC, 'date');
}

/** ksqlDB parses dates with a java.text format, which ignores text after the pattern. */
function parseDate(s: string, pattern: string): number {
  const r = javaFormatter(pattern).parse(s, true);
  if (floorMod(r.localMs, MS_PER_DAY) !== 0) throw new Error('Date format contains time field.');
  return floorDiv(r.localMs, MS_PER_DAY);
}

function formatTime(ms: number, pattern: string): string {
  return javaFormatter(pattern).format(ms, UTC, 'time');
}

function parseTime(s: string, pattern: string): number {
  const r = javaFormatter(pattern).parse(s);
  if (r.hasDate) throw new Error('Time format contains date field.');
  return floorMod(r.localMs, MS_PER_DAY);
}

function formatTimestamp(ms: number, pattern: string, zone: string): string {
  return javaFormatter(pattern).format(ms, zoneOf(zone));
}

function parseTimestamp(s: string, pattern: string, zone: string): number {
  const r = javaFormatter(pattern).parse(s);
  return localToInstant(r.zone ?? zoneOf(zone), r.localMs);
}


export function registerDateTime(reg: Registry): void {
  reg.registerScalar({
    name: 'unix_date',
    category: CAT,
    description: 'The current date, or the given date, as days since the epoch.',
    overloads: [
      { sig: '-> INTEGER', impl: () => floorDiv(Date.now(), MS_PER_DAY) },
      { sig: 'DATE -> INTEGER', impl: (d: number | null) => d },
    ],
  });
  reg.registerScalar({
    name: 'unix_timestamp',
    category: CAT,
    description: 'The current time, or the given timestamp, as milliseconds since the epoch.',
    overloads: [
      { sig: '-> BIGINT', impl: () => BigInt(Date.now()) },
      { sig: 'TIMESTAMP -> BIGINT', impl: (t: number | null) => (t === null ? null : BigInt(t)) },
    ],
  });
  reg.registerScalar({
    name: 'from_days',
    category: CAT,
    description: 'Converts days since the epoch to a DATE.',
    overloads: [{ sig: 'INTEGER -> DATE', impl: (d: number | null) => d }],
  });
  reg.registerScalar({
    name: 'from_unixtime',
    category: CAT,
    description: 'Converts milliseconds since the epoch to a TIMESTAMP.',
    overloads: [{ sig: 'BIGINT -> TIMESTAMP', impl: (ms: bigint | null) => (ms === null ? null : Number(ms)) }],
  });

  const dateShift = (name: string, sign: 1 | -1): void =>
    reg.registerScalar({
      name,
      category: CAT,
      description: `${sign > 0 ? 'Adds' : 'Subtracts'} an interval (in whole days of the unit) ${sign > 0 ? 'to' : 'from'} a date.`,
      overloads: [
        {
          sig: 'INTERVALUNIT, INTEGER, DATE -> DATE',
          params: ['unit', 'interval', 'date'],
          // as ksqlDB: whole days of (date millis + interval millis), truncated toward zero
          impl: (unit: string, n: number | null, d: number | null) => (n === null || d === null ? null : Math.trunc((d * MS_PER_DAY + sign * n * unitMillis(unit)) / MS_PER_DAY)),
        },
      ],
    });
  dateShift('dateadd', 1);
  dateShift('datesub', -1);

  const timeShift = (name: string, sign: 1 | -1): void =>
    reg.registerScalar({
      name,
      category: CAT,
      description: `${sign > 0 ? 'Adds' : 'Subtracts'} an interval ${sign > 0 ? 'to' : 'from'} a time, wrapping around midnight.`,
      overloads: [
        {
          sig: 'INTERVALUNIT, INTEGER, TIME -> TIME',
          params: ['unit', 'interval', 'time'],
          impl: (unit: string, n: number | null, t: number | null) => (n === null || t === null ? null : floorMod(t + sign * n * unitMillis(unit), MS_PER_DAY)),
        },
      ],
    });
  timeShift('timeadd', 1);
  timeShift('timesub', -1);

  const tsShift = (name: string, sign: 1 | -1): void =>
    reg.registerScalar({
      name,
      category: CAT,
      description: `${sign > 0 ? 'Adds' : 'Subtracts'} an interval ${sign > 0 ? 'to' : 'from'} a timestamp.`,
      overloads: [
        {
          sig: 'INTERVALUNIT, BIGINT, TIMESTAMP -> TIMESTAMP',
          params: ['unit', 'interval', 'timestamp'],
          impl: (unit: string, n: bigint | null, t: number | null) => (n === null || t === null ? null : t + sign * Number(n) * unitMillis(unit)),
        },
      ],
    });
  tsShift('timestampadd', 1);
  tsShift('timestampsub', -1);

  reg.registerScalar({
    name: 'convert_tz',
    category: CAT,
    description: 'Converts a timestamp from one time zone to another.',
    overloads: [
      {
        sig: 'TIMESTAMP, STRING, STRING -> TIMESTAMP',
        params: ['timestamp', 'fromTz', 'toTz'],
        impl: (t: number | null, from: string | null, to: string | null) => {
          if (t === null || from === null || to === null) return null;
          // both offsets are taken at the timestamp itself, as ksqlDB does
          return t + offsetAt(zoneOf(to), t) - offsetAt(zoneOf(from), t);
        },
      },
    ],
  });

  const nn =
    <A, B>(f: (a: A, b: B) => unknown) =>
    (a: A | null, b: B | null): unknown =>
      a === null || b === null ? null : f(a, b);
  const nn3 =
    <A, B, C>(f: (a: A, b: B, c: C) => unknown) =>
    (a: A | null, b: B | null, c: C | null): unknown =>
      a === null || b === null || c === null ? null : f(a, b, c);

  reg.registerScalar({
    name: 'format_date',
    category: CAT,
    description: 'Formats a DATE with a java.time pattern.',
    overloads: [{ sig: 'DATE, STRING -> STRING', params: ['date', 'format'], impl: nn(formatDate) }],
  });
  reg.registerScalar({
    name: 'datetostring',
    category: CAT,
    description: 'Formats days since the epoch with a java.time pattern (deprecated: use FORMAT_DATE).',
    overloads: [{ sig: 'INTEGER, STRING -> STRING', params: ['epochDays', 'format'], impl: nn(formatDate) }],
  });
  reg.registerScalar({
    name: 'parse_date',
    category: CAT,
    description: 'Parses a string into a DATE with a java.time pattern.',
    overloads: [{ sig: 'STRING, STRING -> DATE', params: ['date', 'format'], impl: nn(parseDate) }],
  });
  reg.registerScalar({
    name: 'stringtodate',
    category: CAT,
    description: 'Parses a string into days since the epoch with a java.time pattern (deprecated: use PARSE_DATE).',
    overloads: [{ sig: 'STRING, STRING -> INTEGER', params: ['formattedDate', 'format'], impl: nn(parseDate) }],
  });
  reg.registerScalar({
    name: 'format_time',
    category: CAT,
    description: 'Formats a TIME with a java.time pattern.',
    overloads: [{ sig: 'TIME, STRING -> STRING', params: ['time', 'format'], impl: nn(formatTime) }],
  });
  reg.registerScalar({
    name: 'parse_time',
    category: CAT,
    description: 'Parses a string into a TIME with a java.time pattern.',
    overloads: [{ sig: 'STRING, STRING -> TIME', params: ['time', 'format'], impl: nn(parseTime) }],
  });
  reg.registerScalar({
    name: 'format_timestamp',
    category: CAT,
    description: 'Formats a TIMESTAMP with a java.time pattern, in UTC or the given time zone.',
    overloads: [
      { sig: 'TIMESTAMP, STRING -> STRING', params: ['timestamp', 'format'], impl: nn((t: number, p: string) => formatTimestamp(t, p, DEFAULT_ZONE)) },
      { sig: 'TIMESTAMP, STRING, STRING -> STRING', params: ['timestamp', 'format', 'timeZone'], impl: nn3(formatTimestamp) },
    ],
  });
  reg.registerScalar({
    name: 'parse_timestamp',
    category: CAT,
    description: 'Parses a string into a TIMESTAMP with a java.time pattern, in UTC or the given time zone.',
    overloads: [
      { sig: 'STRING, STRING -> TIMESTAMP', params: ['formattedTimestamp', 'format'], impl: nn((s: string, p: string) => parseTimestamp(s, p, DEFAULT_ZONE)) },
      { sig: 'STRING, STRING, STRING -> TIMESTAMP', params: ['formattedTimestamp', 'format', 'timeZone'], impl: nn3(parseTimestamp) },
    ],
  });
  reg.registerScalar({
    name: 'timestamptostring',
    category: CAT,
    description: 'Formats epoch milliseconds with a java.time pattern (deprecated: use FORMAT_TIMESTAMP).',
    overloads: [
      { sig: 'BIGINT, STRING -> STRING', params: ['epochMilli', 'format'], impl: nn((t: bigint, p: string) => formatTimestamp(Number(t), p, SYSTEM_ZONE)) },
      { sig: 'BIGINT, STRING, STRING -> STRING', params: ['epochMilli', 'format', 'timeZone'], impl: nn3((t: bigint, p: string, z: string) => formatTimestamp(Number(t), p, z)) },
    ],
  });
  reg.registerScalar({
    name: 'stringtotimestamp',
    category: CAT,
    description: 'Parses a string into epoch milliseconds with a java.time pattern (deprecated: use PARSE_TIMESTAMP).',
    overloads: [
      { sig: 'STRING, STRING -> BIGINT', params: ['formattedTimestamp', 'format'], impl: nn((s: string, p: string) => BigInt(parseTimestamp(s, p, SYSTEM_ZONE))) },
      {
        sig: 'STRING, STRING, STRING -> BIGINT',
        params: ['formattedTimestamp', 'format', 'timeZone'],
        impl: nn3((s: string, p: string, z: string) => BigInt(parseTimestamp(s, p, z))),
      },
    ],
  });
}
