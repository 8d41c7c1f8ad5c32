/**
 * String (and matching BYTES) functions: SUBSTRING, CONCAT, CONCAT_WS, TRIM, LCASE, UCASE,
 * INITCAP, LEN, LPAD, RPAD, INSTR, REPLACE, SPLIT, SPLIT_TO_MAP, CHR, ELT, FIELD, MD5, UUID,
 * the REGEXP_* family and the MASK* family.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Registry } from '../registry.js';
import { compileJavaRegex, parseJavaReplacement, replaceAllJava } from './java-regex.js';

const CAT = 'STRING';

function substringBounds(len: number, pos: number, length?: number): [number, number] {
  const start = pos < 0 ? Math.max(len + pos, 0) : Math.max(Math.min(pos - 1, len), 0);
  if (length === undefined) return [start, len];
  const end = Math.max(Math.min(start + length, len), start);
  return [start, end];
}

/** Splits like Guava's Splitter.on(delim): keeps empty pieces; an empty delimiter splits into characters. */
export function splitString(s: string, delim: string): string[] {
  if (delim === '') return s === '' ? [''] : Array.from(s.split(''));
  return s.split(delim);
}

function splitBytes(b: Buffer, delim: Buffer): Buffer[] {
  if (delim.length === 0) return b.length === 0 ? [Buffer.alloc(0)] : [...b].map((x) => Buffer.from([x]));
  const out: Buffer[] = [];
  let from = 0;
  for (;;) {
    const i = b.indexOf(delim, from);
    if (i < 0) break;
    out.push(b.subarray(from, i));
    from = i + delim.length;
  }
  out.push(b.subarray(from));
  return out.map((x) => Buffer.from(x));
}

function padString(input: string | null, len: number | null, pad: string | null, left: boolean): string | null {
  if (input === null || len === null || pad === null || pad === '' || len < 0) return null;
  if (len <= input.length) return input.slice(0, len);
  let fill = '';
  const need = len - input.length;
  while (fill.length < need) fill += pad;
  fill = fill.slice(0, need);
  return left ? fill + input : input + fill;
}

function padBytes(input: Buffer | null, len: number | null, pad: Buffer | null, left: boolean): Buffer | null {
  if (input === null || len === null || pad === null || pad.length === 0 || len < 0) return null;
  if (len <= input.length) return Buffer.from(input.subarray(0, len));
  const need = len - input.length;
  const fill = Buffer.alloc(need);
  for (let i = 0; i < need; i++) fill[i] = pad[i % pad.length]!;
  return left ? Buffer.concat([fill, input]) : Buffer.concat([input, fill]);
}

/** Caches the last compiled (Java-syntax) pattern: patterns are almost always literals. */
function regexCache(flags: string): (p: string) => RegExp {
  let lastSrc: string | undefined;
  let last: RegExp | undefined;
  return (p) => {
    if (p !== lastSrc) {
      last = compileJavaRegex(p, flags);
      lastSrc = p;
    }
    last!.lastIndex = 0;
    return last!;
  };
}

/** Number of capture groups in a compiled pattern (Matcher.groupCount). */
function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')!.length - 1;
}

/** Java's StringEscapeUtils.unescapeJava for the escapes CHR accepts (\\uXXXX and the usual backslash escapes). */
function unescapeJava(s: string): string {
  return s.replace(/\\(u+[0-9a-fA-F]{4}|[btnfr"'\\]|[0-7]{1,3})/g, (_m, e: string) => {
    if (e[0] === 'u') return String.fromCharCode(parseInt(e.slice(-4), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' } as Record<string, string>)[e] ?? e;
  });
}

/** CHR's string form: text starting with a \\uXXXX escape (e.g. a surrogate pair of them). */
function chrFromText(s: string): string | null {
  if (s.length < 6 || !s.startsWith('\\u')) return null;
  if (/\\u+(?![0-9a-fA-F]{4})/.test(s)) throw new Error(`Unable to parse unicode value: ${s}`);
  return unescapeJava(s);
}

/** ksqlDB declares these parameters as Java primitives: a null argument fails the call. */
function required<T>(v: T | null): T {
  if (v === null || v === undefined) throw new Error('null value passed for a primitive parameter');
  return v;
}

function initcap(s: string): string {
  let out = '';
  let startOfWord = true;
  for (const ch of s) {
    if (/\s/.test(ch)) {
      out += ch;
      startOfWord = true;
    } else {
      out += startOfWord ? ch.toUpperCase() : ch.toLowerCase();
      startOfWord = false;
    }
  }
  return out;
}

/** StringUtils.ordinalIndexOf: the index of the n-th (overlapping) occurrence, -1 when absent. */
function ordinalIndexOf(s: string, sub: string, n: number): number {
  if (n <= 0) return -1;
  if (sub.length === 0) return 0;
  let idx = -1;
  for (let found = 0; found < n; found++) {
    idx = s.indexOf(sub, idx + 1);
    if (idx < 0) return -1;
  }
  return idx;
}

const reverse = (s: string): string => Array.from(s).reverse().join('');

/**
 * INSTR as ksqlDB computes it: a negative position searches the reversed strings. The result
 * is 0 (never null) when either string is null or the position is beyond the string.
 */
function instr(s: string | null, sub: string | null, position = 1, occurrence = 1): number {
  if (s === null || sub === null) return 0;
  if (Math.abs(position) > s.length) return 0;
  const reversed = position < 0;
  const str = reversed ? reverse(s) : s;
  const needle = reversed ? reverse(sub) : sub;
  const p = Math.abs(position);
  let from = p - 1;
  if (from < 0) from = Math.max(str.length + from, 0);
  const i = ordinalIndexOf(str.slice(from), needle, occurrence);
  if (i === -1) return 0;
  return reversed ? str.length - p - i - needle.length + 2 : i + p;
}

/** Replacement per character class; null keeps the character unmasked. */
type Masks = [string | null, string | null, string | null, string | null];
const DEFAULT_MASKS: Masks = ['X', 'x', 'n', '-'];

function maskChar(ch: string, m: Masks): string {
  let r: string | null;
  if (/\p{Lu}/u.test(ch)) r = m[0];
  else if (/\p{Ll}/u.test(ch)) r = m[1];
  else if (/\p{Nd}/u.test(ch)) r = m[2];
  else r = m[3];
  return r === null ? ch : r;
}

function mask(s: string, from: number, to: number, m: Masks): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += i >= from && i < to ? maskChar(s[i]!, m) : s[i]!;
  return out;
}

function masks(args: (string | null)[]): Masks {
  if (args.length === 0) return DEFAULT_MASKS;
  return args.map((a) => {
    if (a !== null && Array.from(a).length !== 1) throw new Error(`Invalid mask character. Must be only single character, but was '${a}'`);
    return a;
  }) as Masks;
}

/**
 * Splits around regex matches without JS's capture-group insertion. A pattern that matches the
 * empty string splits as java.util.regex.Pattern.split does (no leading empty piece from a
 * zero-width match, trailing empty pieces dropped); any other keeps every piece, as Guava's Splitter.
 */
function regexSplit(s: string, re: RegExp): string[] {
  const emptyMatching = new RegExp(`^(?:${re.source})$`, re.flags.replace('g', '')).test('');
  const out: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m[0].length === 0) {
      if (m.index >= s.length) break;
      if (m.index === 0) {
        re.lastIndex++;
        continue;
      }
      out.push(s.slice(last, m.index));
      last = m.index;
      re.lastIndex++;
      continue;
    }
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  if (emptyMatching) while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

export function registerStrings(reg: Registry): void {
  reg.registerScalar({
    name: 'substring',
    category: CAT,
    description: 'Returns the portion of the string or bytes from pos (1-based; negative counts from the end), optionally limited to len.',
    overloads: [
      {
        sig: 'STRING, INTEGER -> STRING',
        params: ['str', 'pos'],
        impl: (s: string | null, pos: number | null) => (s === null || pos === null ? null : s.slice(...substringBounds(s.length, pos))),
      },
      {
        sig: 'STRING, INTEGER, INTEGER -> STRING',
        params: ['str', 'pos', 'len'],
        impl: (s: string | null, pos: number | null, len: number | null) =>
          s === null || pos === null || len === null ? null : s.slice(...substringBounds(s.length, pos, len)),
      },
      {
        sig: 'BYTES, INTEGER -> BYTES',
        params: ['bytes', 'pos'],
        impl: (b: Buffer | null, pos: number | null) => (b === null || pos === null ? null : Buffer.from(b.subarray(...substringBounds(b.length, pos)))),
      },
      {
        sig: 'BYTES, INTEGER, INTEGER -> BYTES',
        params: ['bytes', 'pos', 'len'],
        impl: (b: Buffer | null, pos: number | null, len: number | null) =>
          b === null || pos === null || len === null ? null : Buffer.from(b.subarray(...substringBounds(b.length, pos, len))),
      },
    ],
  });

  reg.registerScalar({
    name: 'concat',
    category: CAT,
    description: 'Concatenates strings or bytes; null inputs are skipped.',
    overloads: [
      { sig: 'STRING... -> STRING', impl: (...xs: (string | null)[]) => xs.filter((x) => x !== null).join('') },
      { sig: 'BYTES... -> BYTES', impl: (...xs: (Buffer | null)[]) => Buffer.concat(xs.filter((x): x is Buffer => x !== null)) },
    ],
  });

  reg.registerScalar({
    name: 'concat_ws',
    category: CAT,
    description: 'Concatenates strings or bytes with the first argument as separator; null values are skipped, a null separator gives null.',
    overloads: [
      {
        sig: 'STRING... -> STRING',
        impl: (sep: string | null, ...xs: (string | null)[]) => {
          if (xs.length === 0) throw new Error('Function Concat_WS expects at least two input arguments.');
          return sep === null ? null : xs.filter((x) => x !== null).join(sep);
        },
      },
      {
        sig: 'BYTES... -> BYTES',
        impl: (sep: Buffer | null, ...xs: (Buffer | null)[]) => {
          if (xs.length === 0) throw new Error('Function Concat_WS expects at least two input arguments.');
          if (sep === null) return null;
          const parts: Buffer[] = [];
          for (const x of xs) {
            if (x === null) continue;
            if (parts.length > 0) parts.push(sep);
            parts.push(x);
          }
          return Buffer.concat(parts);
        },
      },
    ],
  });

  const str1 = (name: string, description: string, f: (s: string) => unknown, ret = 'STRING'): void =>
    reg.registerScalar({ name, category: CAT, description, overloads: [{ sig: `STRING -> ${ret}`, impl: (s: string | null) => (s === null ? null : f(s)) }] });
  str1('lcase', 'Converts a string to lower case.', (s) => s.toLowerCase());
  str1('ucase', 'Converts a string to upper case.', (s) => s.toUpperCase());
  // Java's String.trim removes all characters <= U+0020 at both ends
  str1('trim', 'Removes leading and trailing whitespace.', (s) => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, ''));
  str1('initcap', 'Capitalizes the first letter of each word and lower-cases the rest.', initcap);
  str1('md5', 'Returns the hex-encoded MD5 hash of a string.', (s) => createHash('md5').update(s, 'utf8').digest('hex'));

  reg.registerScalar({
    name: 'len',
    category: CAT,
    description: 'Returns the length of a string (characters) or of bytes.',
    overloads: [
      { sig: 'STRING -> INTEGER', impl: (s: string | null) => (s === null ? null : s.length) },
      { sig: 'BYTES -> INTEGER', impl: (b: Buffer | null) => (b === null ? null : b.length) },
    ],
  });

  reg.registerScalar({
    name: 'LPad',
    category: CAT,
    description: 'Pads the input on the left with the padding, repeated, to the given length (truncating when longer).',
    overloads: [
      { sig: 'STRING, INTEGER, STRING -> STRING', params: ['input', 'length', 'padding'], impl: (s: string | null, n: number | null, p: string | null) => padString(s, n, p, true) },
      { sig: 'BYTES, INTEGER, BYTES -> BYTES', params: ['input', 'length', 'padding'], impl: (s: Buffer | null, n: number | null, p: Buffer | null) => padBytes(s, n, p, true) },
    ],
  });
  reg.registerScalar({
    name: 'RPad',
    category: CAT,
    description: 'Pads the input on the right with the padding, repeated, to the given length (truncating when longer).',
    overloads: [
      { sig: 'STRING, INTEGER, STRING -> STRING', params: ['input', 'length', 'padding'], impl: (s: string | null, n: number | null, p: string | null) => padString(s, n, p, false) },
      { sig: 'BYTES, INTEGER, BYTES -> BYTES', params: ['input', 'length', 'padding'], impl: (s: Buffer | null, n: number | null, p: Buffer | null) => padBytes(s, n, p, false) },
    ],
  });

  reg.registerScalar({
    name: 'instr',
    category: CAT,
    description: 'Returns the 1-based position of the n-th occurrence of substring, searching from position (negative: backwards from the end); 0 when absent.',
    overloads: [
      { sig: 'STRING, STRING -> INTEGER', impl: (s: string | null, sub: string | null) => instr(s, sub) },
      { sig: 'STRING, STRING, INTEGER -> INTEGER', impl: (s: string | null, sub: string | null, p: number | null) => instr(s, sub, required(p)) },
      {
        sig: 'STRING, STRING, INTEGER, INTEGER -> INTEGER',
        impl: (s: string | null, sub: string | null, p: number | null, o: number | null) => instr(s, sub, required(p), required(o)),
      },
    ],
  });

  reg.registerScalar({
    name: 'replace',
    category: CAT,
    description: 'Replaces every occurrence of a substring with another string.',
    overloads: [
      {
        sig: 'STRING, STRING, STRING -> STRING',
        impl: (s: string | null, a: string | null, b: string | null) => (s === null || a === null || b === null ? null : s.split(a).join(b)),
      },
    ],
  });

  reg.registerScalar({
    name: 'split',
    category: CAT,
    description: 'Splits a string or bytes on a delimiter; an empty delimiter splits into single characters or bytes.',
    overloads: [
      { sig: 'STRING, STRING -> ARRAY<STRING>', impl: (s: string | null, d: string | null) => (s === null || d === null ? null : splitString(s, d)) },
      { sig: 'BYTES, BYTES -> ARRAY<BYTES>', impl: (s: Buffer | null, d: Buffer | null) => (s === null || d === null ? null : splitBytes(s, d)) },
    ],
  });

  reg.registerScalar({
    name: 'split_to_map',
    category: CAT,
    description: 'Splits a string into key-value pairs using an entry delimiter and a key-value delimiter.',
    overloads: [
      {
        sig: 'STRING, STRING, STRING -> MAP<STRING, STRING>',
        impl: (s: string | null, ed: string | null, kd: string | null) => {
          if (s === null || ed === null || kd === null || ed === '' || kd === '' || ed === kd) return null;
          const out = new Map<string, string>();
          for (const e of s.split(ed)) {
            if (e === '' || !e.includes(kd)) continue;
            const parts = e.split(kd);
            out.set(parts[0]!, parts[1]!);
          }
          return out;
        },
      },
    ],
  });

  reg.registerScalar({
    name: 'Chr',
    category: CAT,
    description: 'Returns the character for a Unicode code point, given as a number or as a \\uXXXX string.',
    overloads: [
      {
        sig: 'INTEGER -> STRING',
        impl: (n: number | null) => (n === null || n < 0 || n > 0x10ffff ? null : String.fromCodePoint(n)),
      },
      { sig: 'STRING -> STRING', impl: (s: string | null) => (s === null ? null : chrFromText(s)) },
    ],
  });

  reg.registerScalar({
    name: 'elt',
    category: CAT,
    description: 'Returns the n-th (1-based) of the following arguments, or null when out of range.',
    overloads: [
      {
        sig: 'INTEGER, STRING... -> STRING',
        impl: (n: number | null, ...xs: (string | null)[]) => (n === null || n < 1 || n > xs.length ? null : xs[n - 1]!),
      },
    ],
  });
  reg.registerScalar({
    name: 'field',
    category: CAT,
    description: 'Returns the 1-based position of the string among the following arguments, 0 when absent or null.',
    overloads: [
      {
        sig: 'STRING, STRING... -> INTEGER',
        impl: (s: string | null, ...xs: (string | null)[]) => (s === null ? 0 : xs.indexOf(s) + 1),
      },
    ],
  });

  reg.registerScalar({
    name: 'UUID',
    category: CAT,
    description: 'Returns a random (version 4) UUID, or the UUID held in 16 bytes.',
    overloads: [
      { sig: '-> STRING', impl: () => randomUUID() },
      {
        sig: 'BYTES -> STRING',
        impl: (b: Buffer | null) => {
          if (b === null || b.length !== 16) return null;
          const h = b.toString('hex');
          return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
        },
      },
    ],
  });

  reg.registerScalar({
    name: 'regexp_extract',
    category: 'REGULAR EXPRESSION',
    description: 'Returns the first substring matching the regular expression, or the given capture group of it.',
    overloads: [
      {
        sig: 'STRING, STRING -> STRING',
        params: ['pattern', 'input'],
        make: () => {
          const re = regexCache('');
          return (p: string | null, s: string | null) => (p === null || s === null ? null : (re(p).exec(s)?.[0] ?? null));
        },
      },
      {
        sig: 'STRING, STRING, INTEGER -> STRING',
        params: ['pattern', 'input', 'group'],
        make: () => {
          const re = regexCache('');
          return (p: string | null, s: string | null, g: number | null) => {
            if (p === null || s === null || g === null) return null;
            const r = re(p);
            if (g > groupCount(r)) return null;
            const m = r.exec(s);
            return m ? (m[g] ?? null) : null;
          };
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'regexp_extract_all',
    category: 'REGULAR EXPRESSION',
    description: 'Returns every substring matching the regular expression, or the given capture group of each match.',
    overloads: [
      {
        sig: 'STRING, STRING -> ARRAY<STRING>',
        params: ['pattern', 'input'],
        make: () => {
          const re = regexCache('g');
          return (p: string | null, s: string | null) => (p === null || s === null ? null : [...s.matchAll(re(p))].map((m) => m[0]));
        },
      },
      {
        sig: 'STRING, STRING, INTEGER -> ARRAY<STRING>',
        params: ['pattern', 'input', 'group'],
        make: () => {
          const re = regexCache('g');
          return (p: string | null, s: string | null, g: number | null) => {
            if (p === null || s === null || g === null) return null;
            const r = re(p);
            if (g > groupCount(r)) return null;
            return [...s.matchAll(r)].map((m) => m[g] ?? null);
          };
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'regexp_replace',
    category: 'REGULAR EXPRESSION',
    description: 'Replaces every match of the regular expression with the replacement ($1 refers to a group).',
    overloads: [
      {
        sig: 'STRING, STRING, STRING -> STRING',
        params: ['input', 'pattern', 'replacement'],
        make: () => {
          const re = regexCache('g');
          let lastRepl: string | undefined;
          let parts: ReturnType<typeof parseJavaReplacement> = [];
          return (s: string | null, p: string | null, r: string | null) => {
            if (s === null || p === null || r === null) return null;
            if (r !== lastRepl) {
              parts = parseJavaReplacement(r);
              lastRepl = r;
            }
            return replaceAllJava(s, re(p), parts);
          };
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'regexp_split_to_array',
    category: 'REGULAR EXPRESSION',
    description: 'Splits a string around matches of the regular expression.',
    overloads: [
      {
        sig: 'STRING, STRING -> ARRAY<STRING>',
        make: () => {
          const re = regexCache('g');
          return (s: string | null, p: string | null) => (s === null || p === null ? null : regexSplit(s, re(p)));
        },
      },
    ],
  });

  const maskDef = (name: string, description: string, ranged: ((len: number, n: number) => [number, number]) | null): void => {
    const overloads = [];
    // ksqlDB offers the masking characters all together or not at all
    for (const extra of [0, 4]) {
      const strs = Array(extra).fill(', STRING').join('');
      if (ranged === null) {
        overloads.push({
          sig: `STRING${strs} -> STRING`,
          impl: (s: string | null, ...m: (string | null)[]) => {
            const ms = masks(m);
            return s === null ? null : mask(s, 0, s.length, ms);
          },
        });
      } else {
        overloads.push({
          sig: `STRING, INTEGER${strs} -> STRING`,
          impl: (s: string | null, n: number | null, ...m: (string | null)[]) => {
            const ms = masks(m);
            if (required(n) < 0) throw new Error(`function ${name} requires a non-negative number of characters to mask or skip`);
            if (s === null) return null;
            const [from, to] = ranged(s.length, n!);
            return mask(s, from, to, ms);
          },
        });
      }
    }
    reg.registerScalar({ name, category: CAT, description, overloads });
  };
  maskDef('mask', 'Masks every character: upper-case as X, lower-case as x, digits as n, others as - (or the four given replacements; null keeps that class).', null);
  maskDef('mask_left', 'Masks the first n characters.', (len, n) => [0, Math.min(n, len)]);
  maskDef('mask_right', 'Masks the last n characters.', (len, n) => [Math.max(len - n, 0), len]);
  maskDef('mask_keep_left', 'Masks all but the first n characters.', (len, n) => [Math.min(n, len), len]);
  maskDef('mask_keep_right', 'Masks all but the last n characters.', (len, n) => [0, Math.max(len - n, 0)]);
}
