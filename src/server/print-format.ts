/**
 * PRINT's record formatting, as ksqlDB does it: the key and value formats are guessed. Each side
 * starts with every candidate format; a candidate that fails to read a record is dropped for
 * good; a record is shown as the first candidate that reads it. The candidates, in ksqlDB's
 * order: JSON, KAFKA_INT (4 bytes), KAFKA_BIGINT (8), KAFKA_DOUBLE (8), KAFKA_STRING (UTF-8
 * without invalid sequences). Keys also try each format's windowed forms before it — SESSION
 * (key, end, start), HOPPING and TUMBLING (key, start). When nothing reads a record its bytes are
 * shown escaped.
 *
 * Not guessed: the Schema Registry formats (AVRO, PROTOBUF, JSON_SR), which need the registry.
 */
import type { ConsumedRecord } from '../runtime/row.js';

type Reader = (b: Buffer) => string;

interface Candidate {
  name: string;
  read: Reader;
}

const REPLACEMENT = '\uFFFD';

/** UTF-8 text, rejecting empty data and bytes that are not UTF-8 (they decode to U+FFFD). */
function utf8(b: Buffer): string {
  if (b.length === 0) throw new Error('Empty data');
  const text = b.toString('utf8');
  if (text.includes(REPLACEMENT)) throw new Error('String contains replacement char');
  return text;
}

/** Java's Double.toString: `1.0`, `0.5`, `1.0E10`, `1.0E-5`, `NaN`, `Infinity`. */
export function javaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') || s.includes('e') ? s : `${s}.0`;
  }
  const [mant, exp] = d.toExponential().split('e') as [string, string];
  return `${mant.includes('.') ? mant : `${mant}.0`}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

const FORMATS: Candidate[] = [
  {
    name: 'JSON',
    read: (b) => {
      const text = utf8(b);
      JSON.parse(text); // must parse; the text itself is shown
      return text;
    },
  },
  {
    name: 'KAFKA_INT',
    read: (b) => {
      if (b.length !== 4) throw new Error('Size of data received by IntegerDeserializer is not 4');
      return String(b.readInt32BE(0));
    },
  },
  {
    name: 'KAFKA_BIGINT',
    read: (b) => {
      if (b.length !== 8) throw new Error('Size of data received by LongDeserializer is not 8');
      return b.readBigInt64BE(0).toString();
    },
  },
  {
    name: 'KAFKA_DOUBLE',
    read: (b) => {
      if (b.length !== 8) throw new Error('Size of data received by DoubleDeserializer is not 8');
      return javaDouble(b.readDoubleBE(0));
    },
  },
  { name: 'KAFKA_STRING', read: utf8 },
];

/** Kafka's Bytes.toString: printable ASCII as is, anything else (and `\`) as `\xNN`. */
export function escapedBytes(b: Buffer): string {
  let out = '';
  for (const c of b) out += c >= 0x20 && c <= 0x7e && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

function windowed(inner: Candidate): Candidate[] {
  const session: Reader = (b) => {
    if (b.length < 16) throw new Error('too short for a session window');
    const n = b.length - 16;
    return `[${inner.read(b.subarray(0, n))}@${b.readBigInt64BE(n + 8)}/${b.readBigInt64BE(n)}]`;
  };
  const time: Reader = (b) => {
    if (b.length < 8) throw new Error('too short for a time window');
    const n = b.length - 8;
    return `[${inner.read(b.subarray(0, n))}@${b.readBigInt64BE(n)}/-]`;
  };
  return [
    { name: `SESSION(${inner.name})`, read: session },
    { name: `HOPPING(${inner.name})`, read: time },
    { name: `TUMBLING(${inner.name})`, read: time },
  ];
}

/** One side (key or value) of a topic: the formats still possible. */
class FormatGuess {
  private candidates: Candidate[];
  private seenData = false;
  constructor(withWindows: boolean) {
    this.candidates = withWindows ? FORMATS.flatMap((f) => [...windowed(f), f]) : [...FORMATS];
  }

  /** the formats every non-null record so far could be read as */
  possible(): string[] {
    if (!this.seenData) return ['¯\\_(ツ)_/¯ - no data processed'];
    return this.candidates.map((c) => c.name);
  }

  format(b: Buffer | null): string {
    if (b === null) return '<null>';
    this.seenData = true;
    let first: string | undefined;
    this.candidates = this.candidates.filter((c) => {
      try {
        const s = c.read(b);
        first ??= s;
        return true;
      } catch {
        return false;
      }
    });
    return first ?? escapedBytes(b);
  }
}

/** `2022/12/02 17:22:02.556 Z` (UTC), or N/A for a record without a timestamp. */
export function formatRowtime(ts: number): string {
  if (ts < 0 || !Number.isFinite(ts)) return 'N/A';
  const iso = new Date(ts).toISOString(); // 2022-12-02T17:22:02.556Z
  return `${iso.slice(0, 10).replaceAll('-', '/')} ${iso.slice(11, 23)} Z`;
}

/** Formats a topic's records one by one, refining the format guesses as it goes. */
export class RecordFormatter {
  private readonly keys = new FormatGuess(true);
  private readonly values = new FormatGuess(false);

  format(rec: ConsumedRecord): string {
    return `rowtime: ${formatRowtime(rec.timestamp)}, key: ${this.keys.format(rec.key)}, value: ${this.values.format(rec.value)}, partition: ${rec.partition}`;
  }

  possibleKeyFormats(): string[] {
    return this.keys.possible();
  }

  possibleValueFormats(): string[] {
    return this.values.possible();
  }
}

/**
 * The `Key format: …` / `Value format: …` lines /query prints whenever a guess changes (the
 * first time always).
 */
export class FormatsTracker {
  private key: string | undefined;
  private value: string | undefined;

  update(f: RecordFormatter): string[] {
    const out: string[] = [];
    const line = (prefix: string, formats: string[]) =>
      prefix + (formats.length === 0 ? ' does not match any supported format. It may be a STRING with encoding other than UTF8, or some other format.' : formats.join(' or '));
    const k = line('Key format: ', f.possibleKeyFormats());
    const v = line('Value format: ', f.possibleValueFormats());
    if (k !== this.key) out.push((this.key = k));
    if (v !== this.value) out.push((this.value = v));
    return out;
  }
}
