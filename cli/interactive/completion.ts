/**
 * Tab completion of the word before the cursor: keywords of ksqlDB's dialect and CLI commands,
 * and stream, table and column names the session fetched from the server. After FROM, JOIN,
 * INTO, DESCRIBE and the like only source names are offered.
 */

export const KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'HAVING', 'EMIT', 'CHANGES', 'FINAL', 'LIMIT', 'PARTITION', 'WINDOW',
  'TUMBLING', 'HOPPING', 'SESSION', 'SIZE', 'ADVANCE', 'RETENTION', 'GRACE', 'PERIOD', 'JOIN', 'LEFT', 'RIGHT', 'FULL',
  'OUTER', 'INNER', 'ON', 'WITHIN', 'AS', 'AND', 'OR', 'NOT', 'NULL', 'IS', 'IN', 'LIKE', 'BETWEEN', 'CASE', 'WHEN',
  'THEN', 'ELSE', 'END', 'CAST', 'TRUE', 'FALSE', 'DISTINCT', 'CREATE', 'OR', 'REPLACE', 'STREAM', 'STREAMS', 'TABLE',
  'TABLES', 'SOURCE', 'TYPE', 'TYPES', 'WITH', 'DROP', 'DELETE', 'TOPIC', 'TOPICS', 'IF', 'EXISTS', 'INSERT', 'INTO',
  'VALUES', 'SHOW', 'LIST', 'DESCRIBE', 'EXTENDED', 'EXPLAIN', 'TERMINATE', 'ALL', 'QUERIES', 'PROPERTIES',
  'FUNCTIONS', 'FUNCTION', 'VARIABLES', 'PRINT', 'SET', 'UNSET', 'DEFINE', 'UNDEFINE', 'ALTER', 'ADD', 'COLUMN',
  'KEY', 'PRIMARY', 'HEADERS', 'HEADER', 'STRUCT', 'ARRAY', 'MAP', 'BOOLEAN', 'INT', 'INTEGER', 'BIGINT', 'DOUBLE',
  'DECIMAL', 'VARCHAR', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP', 'INTERVAL', 'SECONDS', 'MINUTES', 'HOURS',
  'DAYS', 'MILLISECONDS', 'ROWTIME', 'ROWPARTITION', 'ROWOFFSET', 'WINDOWSTART', 'WINDOWEND', 'KAFKA_TOPIC',
  'KEY_FORMAT', 'VALUE_FORMAT', 'FORMAT', 'PARTITIONS', 'REPLICAS', 'TIMESTAMP_FORMAT', 'WRAP_SINGLE_VALUE',
  'ASSERT', 'PAUSE', 'RESUME', 'RUN', 'SCRIPT', 'OUTPUT', 'EXIT', 'HELP', 'JSON', 'TABULAR', 'DELIMITED', 'AVRO',
  'PROTOBUF', 'KAFKA', 'NONE',
];

/** Keywords after which only a stream or table name makes sense. */
const SOURCE_CONTEXT = new Set(['FROM', 'JOIN', 'INTO', 'DESCRIBE', 'STREAM', 'TABLE', 'EXISTS']);

export interface CompletionNames {
  sources: string[];
  columns: string[];
}

export interface Completion {
  /** where the word being completed starts in the text before the cursor */
  start: number;
  /** what replaces the word (the single candidate, or the candidates' common prefix) */
  replacement: string;
  /** every candidate, to list when there are several */
  candidates: string[];
}

function commonPrefix(words: string[]): string {
  if (!words.length) return '';
  let p = words[0]!;
  for (const w of words) while (!w.toUpperCase().startsWith(p.toUpperCase())) p = p.slice(0, -1);
  return p;
}

/** Completes the word ending at the end of `before` (the text up to the cursor); undefined if nothing fits. */
export function complete(before: string, names: CompletionNames): Completion | undefined {
  const m = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before);
  const word = m ? m[0] : '';
  const start = before.length - word.length;
  const prev = /([A-Za-z_]+)\s+$/.exec(before.slice(0, start))?.[1]?.toUpperCase();
  const pool = prev && SOURCE_CONTEXT.has(prev) ? names.sources : [...KEYWORDS, ...names.sources, ...names.columns];
  if (!word && !(prev && SOURCE_CONTEXT.has(prev))) return undefined;
  const up = word.toUpperCase();
  const lower = word.length > 0 && word === word.toLowerCase();
  const isKeyword = new Set(KEYWORDS);
  const candidates = [...new Set(pool.filter((c) => c.toUpperCase().startsWith(up)))]
    .map((c) => (lower && isKeyword.has(c) ? c.toLowerCase() : c))
    .sort();
  if (!candidates.length) return undefined;
  const replacement = candidates.length === 1 ? candidates[0]! : commonPrefix(candidates);
  // keep what was typed when the common prefix adds nothing but a case change
  return { start, replacement: replacement.length > word.length || candidates.length === 1 ? replacement : word, candidates };
}
