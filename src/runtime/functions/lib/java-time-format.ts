/**
 * java.time.format.DateTimeFormatter patterns ('yyyy-MM-dd''T''HH:mm:ss.SSSX', 'dd-MMM-yyyy',
 * 'hh:mm a zzz', ...) compiled once into a formatter and a case-insensitive parser, as ksqlDB's
 * date/time functions use them. Supported letters: G y u M L d D E a h H k K m s S n X x Z z V,
 * quoted literals and [optional sections]; other letters are rejected like Java does.
 */
import { formatOffset, localToInstant, offsetAt, shortZoneName, zoneOf, type Zone } from './zones.js';
import { MS_PER_DAY } from './time-util.js';

type Token = { lit: string } | { letter: string; count: number } | { opt: Token[] };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const KNOWN = new Set('GyuMLdDEahHkKmsSnXxZzVQqwWYe'.split(''));

export function tokenizePattern(p: string): Token[] {
  const root: Token[] = [];
  const stack: Token[][] = [root];
  let out = root;
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === "'") {
      if (p[i + 1] === "'") {
        out.push({ lit: "'" });
        i += 2;
        continue;
      }
      let j = i + 1;
      let lit = '';
      for (;;) {
        if (j >= p.length) throw new Error(`Pattern ends with an incomplete string literal: ${p}`);
        if (p[j] === "'") {
          if (p[j + 1] === "'") {
            lit += "'";
            j += 2;
            continue;
          }
          break;
        }
        lit += p[j++];
      }
      out.push({ lit });
      i = j + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!KNOWN.has(c)) throw new Error(`Unknown pattern letter: ${c}`);
      let j = i;
      while (p[j] === c) j++;
      out.push({ letter: c, count: j - i });
      i = j;
    } else if (c === '[') {
      const section: Token[] = [];
      out.push({ opt: section });
      stack.push(section);
      out = section;
      i++;
    } else if (c === ']') {
      if (stack.length === 1) throw new Error(`Pattern invalid as it contains ] without previous [: ${p}`);
      stack.pop();
      out = stack[stack.length - 1]!;
      i++;
    } else if (c === '{' || c === '}' || c === '#') {
      throw new Error(`Pattern includes reserved character: '${c}'`);
    } else {
      out.push({ lit: c });
      i++;
    }
  }
  // an unclosed '[' runs to the end of the pattern, as in Java
  return root;
}

interface Fields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  dow: number; // 1 = Monday
  doy: number;
}

function fieldsOf(localMs: number): Fields {
  const d = new Date(localMs);
  const year = d.getUTCFullYear();
  const startOfYear = Date.UTC(year, 0, 1);
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
    dow: ((d.getUTCDay() + 6) % 7) + 1,
    doy: Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - startOfYear) / MS_PER_DAY) + 1,
  };
}

const pad = (n: number, w: number): string => (n < 0 ? '-' + String(-n).padStart(w, '0') : String(n).padStart(w, '0'));

function text(full: string, count: number): string {
  return count >= 4 ? full : count === 3 ? full.slice(0, 3) : full;
}

/** What a value being formatted carries: a LocalDate has no time fields, a LocalTime no date fields, neither has a zone. */
export type Temporal = 'date' | 'time' | 'timestamp';

const DATE_LETTERS = 'GyuMLdDEQqwWYe';
const TIME_LETTERS = 'ahHkKmsSn';
const FIELD_NAMES: Record<string, string> = {
  G: 'Era', y: 'YearOfEra', u: 'Year', M: 'MonthOfYear', L: 'MonthOfYear', d: 'DayOfMonth', D: 'DayOfYear', E: 'DayOfWeek',
  a: 'AmPmOfDay', h: 'ClockHourOfAmPm', H: 'HourOfDay', k: 'ClockHourOfDay', K: 'HourOfAmPm', m: 'MinuteOfHour', s: 'SecondOfMinute',
  S: 'NanoOfSecond', n: 'NanoOfSecond',
};

export interface JavaFormatter {
  /** formats an instant (epoch ms) as seen in the zone; `temporal` rejects fields the value lacks, as java.time does */
  format(epochMs: number, zone: Zone, temporal?: Temporal): string;
  /**
   * parses text into a local wall-clock time (epoch ms as if UTC) plus the zone found in the text,
   * if any; `prefix` accepts trailing text after the pattern, as java.text.DateFormat#parse does
   */
  parse(text: string, prefix?: boolean): { localMs: number; zone?: Zone; hasDate: boolean; hasTime: boolean };
}

const cache = new Map<string, JavaFormatter>();

export function javaFormatter(pattern: string): JavaFormatter {
  let f = cache.get(pattern);
  if (!f) {
    f = compile(pattern);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, f);
  }
  return f;
}

function compile(pattern: string): JavaFormatter {
  const tokens = tokenizePattern(pattern);
  return {
    format: (ms, zone, temporal = 'timestamp') => {
      const has = supports(temporal);
      checkFields(tokens, has, temporal);
      return format(tokens, ms, zone, has);
    },
    parse: (s, prefix = false) => parse(tokens, s, pattern, prefix),
  };
}

function supports(temporal: Temporal): (letter: string) => boolean {
  if (temporal === 'date') return (l) => DATE_LETTERS.includes(l);
  if (temporal === 'time') return (l) => TIME_LETTERS.includes(l);
  return () => true;
}

/** Required (non-optional) fields the value lacks fail, as java.time does. */
function checkFields(tokens: Token[], has: (letter: string) => boolean, temporal: Temporal): void {
  for (const t of tokens) {
    if (!('letter' in t) || has(t.letter)) continue;
    if ('XxZzV'.includes(t.letter)) throw new Error(`Unable to extract ZoneId from temporal Local${temporal === 'date' ? 'Date' : 'Time'}`);
    throw new Error(`Unsupported field: ${FIELD_NAMES[t.letter] ?? t.letter}`);
  }
}

function allSupported(tokens: Token[], has: (letter: string) => boolean): boolean {
  return tokens.every((t) => !('letter' in t) || has(t.letter));
}

function format(tokens: Token[], epochMs: number, zone: Zone, has: (letter: string) => boolean): string {
  const off = offsetAt(zone, epochMs);
  const f = fieldsOf(epochMs + off);
  let out = '';
  for (const t of tokens) {
    if ('lit' in t) {
      out += t.lit;
      continue;
    }
    if ('opt' in t) {
      // an optional section prints only when the value has all its fields
      if (allSupported(t.opt, has)) out += format(t.opt, epochMs, zone, has);
      continue;
    }
    const n = t.count;
    switch (t.letter) {
      case 'G':
        out += f.year > 0 ? (n >= 4 ? 'Anno Domini' : 'AD') : n >= 4 ? 'Before Christ' : 'BC';
        break;
      case 'y':
      case 'u': {
        const y = t.letter === 'y' && f.year <= 0 ? 1 - f.year : f.year;
        out += n === 2 ? pad(((y % 100) + 100) % 100, 2) : pad(y, n);
        break;
      }
      case 'M':
      case 'L':
        out += n >= 3 ? text(MONTHS[f.month - 1]!, n) : pad(f.month, n);
        break;
      case 'd':
        out += pad(f.day, n);
        break;
      case 'D':
        out += pad(f.doy, n);
        break;
      case 'E':
        out += text(DAYS[f.dow - 1]!, Math.max(n, 3));
        break;
      case 'a':
        out += f.hour < 12 ? 'AM' : 'PM';
        break;
      case 'H':
        out += pad(f.hour, n);
        break;
      case 'k':
        out += pad(f.hour === 0 ? 24 : f.hour, n);
        break;
      case 'h':
        out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, n);
        break;
      case 'K':
        out += pad(f.hour % 12, n);
        break;
      case 'm':
        out += pad(f.minute, n);
        break;
      case 's':
        out += pad(f.second, n);
        break;
      case 'S':
        out += (String(f.ms).padStart(3, '0') + '000000').slice(0, n);
        break;
      case 'n':
        out += pad(f.ms * 1_000_000, n);
        break;
      case 'X':
      case 'x': {
        const z = t.letter === 'X';
        if (off === 0 && z) out += 'Z';
        else if (n === 1) {
          const full = formatOffset(off, false, false);
          out += full.endsWith('00') ? full.slice(0, 3) : full;
        } else out += formatOffset(off, n === 3 || n === 5, false);
        break;
      }
      case 'Z':
        out += n <= 3 ? formatOffset(off, false, false) : n === 4 ? (off === 0 ? 'GMT' : `GMT${formatOffset(off, true, false)}`) : formatOffset(off, true, true);
        break;
      case 'z':
        out += shortZoneName(zone, epochMs, n >= 4);
        break;
      case 'V':
        out += zone.id;
        break;
      default:
        throw new Error(`Unsupported pattern letter for formatting: ${t.letter}`);
    }
  }
  return out;
}

interface Parsed {
  year?: number;
  yearOfEra?: number;
  month?: number;
  day?: number;
  doy?: number;
  hour?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  ms?: number;
  zone?: Zone;
}

function isNumericToken(t: Token | undefined): boolean {
  if (t && 'opt' in t) return isNumericToken(t.opt[0]);
  return !!t && 'letter' in t && 'yuMLdDHhkKmsSn'.includes(t.letter) && !((t.letter === 'M' || t.letter === 'L') && t.count >= 3);
}

function parse(tokens: Token[], s: string, pattern: string, prefix: boolean): { localMs: number; zone?: Zone; hasDate: boolean; hasTime: boolean } {
  const p: Parsed = {};
  let pos = 0;
  const fail = (): never => {
    throw new Error(`Text '${s}' could not be parsed at index ${pos} (pattern '${pattern}')`);
  };
  const digits = (min: number, max: number, signed = false): number => {
    const re = new RegExp(`${signed ? '[+-]?' : ''}\\d{${min},${max}}`, 'y');
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return fail();
    pos = re.lastIndex;
    return Number(m[0]);
  };
  const oneOf = (names: string[], full: boolean): number => {
    const lower = s.slice(pos).toLowerCase();
    let best = -1;
    let bestLen = 0;
    names.forEach((n, i) => {
      const cand = (full ? n : n.slice(0, 3)).toLowerCase();
      if (lower.startsWith(cand) && cand.length > bestLen) {
        best = i;
        bestLen = cand.length;
      }
    });
    if (best < 0) fail();
    pos += bestLen;
    return best;
  };
  const parseSeq = (tokens: Token[]): void => {
    for (let ti = 0; ti < tokens.length; ti++) {
      const t = tokens[ti]!;
      if ('lit' in t) {
        if (s.slice(pos, pos + t.lit.length).toLowerCase() !== t.lit.toLowerCase()) fail();
        pos += t.lit.length;
        continue;
      }
      if ('opt' in t) {
        // an optional section either parses completely or is skipped
        const savedPos = pos;
        const saved = { ...p };
        try {
          parseSeq(t.opt);
        } catch {
          pos = savedPos;
          for (const k of Object.keys(p) as (keyof Parsed)[]) delete p[k];
          Object.assign(p, saved);
        }
        continue;
      }
      const n = t.count;
      // adjacent numeric fields (yyyyMMdd) must take exactly their width
      const maxW = isNumericToken(tokens[ti + 1]) ? Math.max(n, 1) : 19;
      const fixed = (w: number): [number, number] => (n === 1 ? [1, isNumericToken(tokens[ti + 1]) ? 1 : 19] : [w, w]);
      switch (t.letter) {
        case 'y':
        case 'u': {
          if (n === 2) {
            p.year = 2000 + digits(2, 2);
          } else {
            const v = digits(n, maxW, true);
            if (t.letter === 'y') p.yearOfEra = v;
            else p.year = v;
          }
          break;
        }
        case 'M':
        case 'L':
          p.month = n >= 3 ? oneOf(MONTHS, n >= 4) + 1 : digits(...fixed(2));
          break;
        case 'd':
          p.day = digits(...fixed(2));
          break;
        case 'D':
          p.doy = digits(...fixed(n));
          break;
        case 'E':
          oneOf(DAYS, n >= 4);
          break;
        case 'G':
          oneOf(['AD', 'BC'], true);
          break;
        case 'a': {
          const v = s.slice(pos, pos + 2).toUpperCase();
          if (v !== 'AM' && v !== 'PM') fail();
          p.pm = v === 'PM';
          pos += 2;
          break;
        }
        case 'H':
          p.hour = digits(...fixed(2));
          break;
        case 'k': {
          const v = digits(...fixed(2));
          p.hour = v === 24 ? 0 : v;
          break;
        }
        case 'h':
        case 'K':
          p.hour12 = digits(...fixed(2)) % 12;
          break;
        case 'm':
          p.minute = digits(...fixed(2));
          break;
        case 's':
          p.second = digits(...fixed(2));
          break;
        case 'S': {
          const re = new RegExp(`\\d{${n}}`, 'y');
          re.lastIndex = pos;
          const m = re.exec(s);
          if (!m) fail();
          pos = re.lastIndex;
          p.ms = Number((m![0] + '000').slice(0, 3));
          break;
        }
        case 'n':
          p.ms = Math.floor(digits(1, 9) / 1_000_000);
          break;
        case 'X':
        case 'x':
        case 'Z': {
          const re = /Z|[+-]\d{2}(?::?\d{2})?(?::?\d{2})?/iy;
          re.lastIndex = pos;
          const m = re.exec(s);
          if (!m) fail();
          pos = re.lastIndex;
          p.zone = zoneOf(m![0].toUpperCase() === 'Z' ? 'Z' : m![0]);
          break;
        }
        case 'z':
        case 'V': {
          const re = /[A-Za-z][A-Za-z0-9_/+-]*(?:[+-]\d{1,2}(?::?\d{2})?)?/y;
          re.lastIndex = pos;
          const m = re.exec(s);
          if (!m) fail();
          pos = re.lastIndex;
          try {
            p.zone = zoneOf(m![0], true);
          } catch {
            fail();
          }
          break;
        }
        default:
          throw new Error(`Unsupported pattern letter for parsing: ${t.letter}`);
      }
    }
  };
  parseSeq(tokens);
  if (!prefix && pos !== s.length) {
    throw new Error(`Text '${s}' could not be parsed, unparsed text found at index ${pos}`);
  }
  const year = p.year ?? p.yearOfEra ?? 1970;
  let hour = p.hour ?? 0;
  if (p.hour12 !== undefined) hour = p.hour12 + (p.pm ? 12 : 0);
  else if (p.pm !== undefined && p.hour !== undefined && p.hour < 12 && p.pm) hour = p.hour + 12;
  const month = p.month ?? 1;
  const day = p.day ?? 1;
  checkRange('MonthOfYear', month, 1, 12, s);
  checkRange('HourOfDay', hour, 0, 23, s);
  checkRange('MinuteOfHour', p.minute ?? 0, 0, 59, s);
  checkRange('SecondOfMinute', p.second ?? 0, 0, 59, s);
  const d = new Date(0);
  if (p.doy !== undefined && p.month === undefined) {
    d.setUTCFullYear(year, 0, p.doy);
  } else {
    checkRange('DayOfMonth', day, 1, 31, s);
    d.setUTCFullYear(year, month - 1, day);
    if (d.getUTCDate() !== day) throw new Error(`Text '${s}' could not be parsed: Invalid date`);
  }
  d.setUTCHours(hour, p.minute ?? 0, p.second ?? 0, p.ms ?? 0);
  const hasDate = p.year !== undefined || p.yearOfEra !== undefined || p.month !== undefined || p.day !== undefined || p.doy !== undefined;
  const hasTime = p.hour !== undefined || p.hour12 !== undefined || p.minute !== undefined || p.second !== undefined || p.ms !== undefined;
  return { localMs: d.getTime(), ...(p.zone ? { zone: p.zone } : {}), hasDate, hasTime };
}

function checkRange(field: string, v: number, lo: number, hi: number, s: string): void {
  if (v < lo || v > hi) throw new Error(`Text '${s}' could not be parsed: Invalid value for ${field} (valid values ${lo} - ${hi}): ${v}`);
}

/** Parses text to an instant: a zone in the text wins over the given default zone. */
export function parseInstant(textValue: string, pattern: string, defaultZone: Zone): number {
  const r = javaFormatter(pattern).parse(textValue);
  return localToInstant(r.zone ?? defaultZone, r.localMs);
}
