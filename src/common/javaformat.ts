/**
 * Number and temporal text as the JVM prints it, because ksqlDB's outputs (CAST to STRING,
 * DELIMITED values, string functions) are defined by Java's toString.
 */

/** Double.toString: shortest digits, plain between 1e-3 and 1e7, else d.dddE±n. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  // fast path: in the plain range JS's shortest digits are Java's (Java only differs when it
  // must add a second significant digit, which happens in scientific notation)
  if (abs >= 1e-3 && abs < 1e7) {
    const plain = String(d);
    if (!plain.includes('e')) return plain.includes('.') ? plain : `${plain}.0`;
  }
  // Java writes at least two significant digits, choosing the two-digit decimal nearest the
  // exact value when one digit would do (Double.MIN_VALUE is 4.9E-324, not 5.0E-324)
  let repr = abs.toExponential();
  if (!repr.includes('.')) repr = abs.toExponential(1);
  const [mant, expText] = repr.split('e') as [string, string];
  const digits = mant.replace('.', '').replace(/(?<=.)0+$/, '');
  const exp = Number(expText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1) || '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exp}`;
}

/** Java's Float.toString-like rendering is not needed: ksqlDB has no FLOAT type. */

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** DATE (days since epoch) as yyyy-MM-dd. */
export function formatDate(days: number): string {
  const d = new Date(days * 86400000);
  return `${formatYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

function formatYear(y: number): string {
  return y < 0 ? '-' + pad(-y, 4) : pad(y, 4);
}

/** TIME (ms of day) as HH:mm[:ss[.SSS]] the way java.time.LocalTime prints it. */
export function formatTime(ms: number): string {
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  const frac = ms % 1000;
  let out = `${pad(h, 2)}:${pad(m, 2)}`;
  if (s !== 0 || frac !== 0) out += `:${pad(s, 2)}`;
  if (frac !== 0) out += `.${pad(frac, 3)}`;
  return out;
}

/** TIMESTAMP (epoch ms) as ksqlDB prints it: yyyy-MM-ddTHH:mm:ss.SSS (UTC). */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${formatYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(
    d.getUTCMinutes(),
    2,
  )}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** Parse ISO-8601 text into epoch ms (UTC when no zone given), as CAST(string AS TIMESTAMP). */
export function parseTimestamp(text: string): number {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(t);
  if (!m) throw new Error(`Cannot parse timestamp '${text}'`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, frac ? Math.floor(+frac.padEnd(3, '0').slice(0, 3)) : 0);
  if (+mo! < 1 || +mo! > 12 || +d! < 1 || +d! > 31) throw new Error(`Cannot parse timestamp '${text}'`);
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const off = (+digits.slice(0, 2) * 60 + +(digits.slice(2) || '0')) * 60000;
    ms -= sign * off;
  }
  return ms;
}

export function parseDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`Cannot parse date '${text}'`);
  return Math.floor(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) / 86400000);
}

export function parseTime(text: string): number {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (!m) throw new Error(`Cannot parse time '${text}'`);
  const [, h, mi, s = '0', frac = ''] = m;
  if (+h! > 23 || +mi! > 59 || +s > 59) throw new Error(`Cannot parse time '${text}'`);
  return ((+h! * 60 + +mi!) * 60 + +s) * 1000 + (frac ? +frac.padEnd(3, '0').slice(0, 3) : 0);
}
