/**
 * The CSV dialect of ksqlDB's DELIMITED format: Apache Commons CSV 1.4 with CSVFormat.DEFAULT
 * and a custom delimiter. Reading keeps only the first record, skips leading empty lines,
 * unquotes "..." tokens ("" inside is a quote) and keeps everything else verbatim. Writing
 * quotes a field only where Commons CSV's MINIMAL mode does, so bytes match ksqlDB's.
 */
import { SerdeError } from './errors.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const EOF = -1;
const UNDEFINED = -2;

/** Java's Character.isWhitespace for the chars that can follow a closing quote. */
function isJavaWhitespace(c: number): boolean {
  if (c === 0xa0 || c === 0x2007 || c === 0x202f) return false;
  if (c >= 0x1c && c <= 0x1f) return true;
  return /\s/.test(String.fromCharCode(c));
}

/**
 * Fields of the first CSV record in `text`, or undefined if there is none (empty text, or
 * only line breaks). Throws SerdeError on a malformed quoted field.
 */
export function parseFirstRecord(text: string, delimiter: string): string[] | undefined {
  const delim = delimiter.charCodeAt(0);
  let pos = 0;
  let lastChar = UNDEFINED;
  const read = (): number => {
    lastChar = pos < text.length ? text.charCodeAt(pos++) : EOF;
    return lastChar;
  };
  const lookAhead = (): number => (pos < text.length ? text.charCodeAt(pos) : EOF);
  const readEndOfLine = (c: number): boolean => {
    if (c === CR && lookAhead() === LF) read();
    return c === LF || c === CR;
  };
  const isStartOfLine = (c: number): boolean => c === LF || c === CR || c === UNDEFINED;

  type Kind = 'TOKEN' | 'EORECORD' | 'EOF';
  const record: string[] = [];

  // one token per call; returns its kind and whether it carries a value
  const nextToken = (): { kind: Kind; content: string; ready: boolean } => {
    let prev = lastChar;
    let c = read();
    let eol = readEndOfLine(c);
    while (eol && isStartOfLine(prev)) {
      // empty lines are skipped
      prev = c;
      c = read();
      eol = readEndOfLine(c);
      if (c === EOF) return { kind: 'EOF', content: '', ready: false };
    }
    if (prev === EOF || (prev !== delim && c === EOF)) return { kind: 'EOF', content: '', ready: false };
    if (c === delim) return { kind: 'TOKEN', content: '', ready: true };
    if (eol) return { kind: 'EORECORD', content: '', ready: true };
    if (c === QUOTE) return encapsulated();
    if (c === EOF) return { kind: 'EOF', content: '', ready: true };
    return simple(c);
  };

  const simple = (first: number): { kind: Kind; content: string; ready: boolean } => {
    const start = pos - 1;
    let c = first;
    for (;;) {
      const end = pos - 1;
      if (c === LF || c === CR) {
        readEndOfLine(c);
        return { kind: 'EORECORD', content: text.slice(start, end), ready: true };
      }
      if (c === EOF) return { kind: 'EOF', content: text.slice(start), ready: true };
      if (c === delim) return { kind: 'TOKEN', content: text.slice(start, end), ready: true };
      c = read();
    }
  };

  const encapsulated = (): { kind: Kind; content: string; ready: boolean } => {
    let content = '';
    for (;;) {
      const c = read();
      if (c === QUOTE) {
        if (lookAhead() === QUOTE) {
          read();
          content += '"';
          continue;
        }
        for (;;) {
          const d = read();
          if (d === delim) return { kind: 'TOKEN', content, ready: true };
          if (d === EOF) return { kind: 'EOF', content, ready: true };
          if (readEndOfLine(d)) return { kind: 'EORECORD', content, ready: true };
          if (!isJavaWhitespace(d)) throw new SerdeError('invalid char between encapsulated token and delimiter');
        }
      } else if (c === EOF) {
        throw new SerdeError('EOF reached while reading encapsulated token');
      } else {
        content += String.fromCharCode(c);
      }
    }
  };

  for (;;) {
    const t = nextToken();
    if (t.kind === 'TOKEN') {
      record.push(t.content);
      continue;
    }
    if (t.ready) record.push(t.content);
    break;
  }
  return record.length === 0 ? undefined : record;
}

/**
 * One CSV record without a line terminator; `null` fields are written empty and unquoted.
 * Quoting follows Commons CSV 1.4 QuoteMode.MINIMAL.
 */
export function printRecord(fields: readonly (string | null)[], delimiter: string): string {
  let out = '';
  fields.forEach((f, i) => {
    if (i > 0) out += delimiter;
    if (f === null) return;
    out += needsQuotes(f, i === 0, delimiter) ? `"${f.replace(/"/g, '""')}"` : f;
  });
  return out;
}

function needsQuotes(value: string, newRecord: boolean, delimiter: string): boolean {
  if (value.length === 0) return newRecord; // an empty first field would read as an empty line
  const first = value.charCodeAt(0);
  if (newRecord && !isAsciiAlphanumeric(first)) return true;
  if (first <= 0x23) return true; // '#' and below: space, '!', '"'
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\n' || c === '\r' || c === '"' || c === delimiter) return true;
  }
  return value.charCodeAt(value.length - 1) <= 0x20;
}

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
