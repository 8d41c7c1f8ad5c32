/**
 * JSON functions: EXTRACTJSONFIELD, IS_JSON_STRING, JSON_ARRAY_CONTAINS, JSON_ARRAY_LENGTH,
 * JSON_CONCAT, JSON_ITEMS, JSON_KEYS, JSON_RECORDS, TO_JSON_STRING.
 */
import { isDecimal, formatDecimal, type Decimal } from '../../../common/decimal.js';
import type { SqlType } from '../../../common/types.js';
import type { Registry } from '../registry.js';
import { JsonNumber, parseJson, stringifyJson, type JsonNode } from './json-node.js';
import { formatIsoDate, formatIsoTime, formatIsoTimestamp } from './time-util.js';
import { javaDouble } from './values.js';

const CAT = 'JSON';

function tryParse(s: string): JsonNode | undefined {
  try {
    return parseJson(s);
  } catch {
    return undefined;
  }
}

/**
 * Tokens of a JSONPath as ksqlDB's tokenizer reads it: `$` then `.name` segments (letters, digits,
 * `_`, `:`, `@`) and `[subscript]`s, unquoted (letters, digits, `_`) or double-quoted with
 * backslash escapes for `"` and `\\`.
 */
export function jsonPathTokens(path: string): string[] {
  const invalid = (): Error => new Error(`Invalid JSON path: ${path}`);
  if (!path.startsWith('$')) throw invalid();
  const isWord = (c: string | undefined): boolean => c !== undefined && (c === '_' || /[\p{L}\p{Nd}]/u.test(c));
  const out: string[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const start = ++i;
      while (i < path.length && (isWord(path[i]) || path[i] === ':' || path[i] === '@')) i++;
      if (i === start) throw invalid();
      out.push(path.slice(start, i));
    } else if (path[i] === '[') {
      i++;
      let token = '';
      if (path[i] === '"') {
        i++;
        for (;;) {
          if (i >= path.length) throw invalid();
          const c = path[i]!;
          if (c === '"') break;
          if (c === '\\') {
            const n = path[i + 1];
            if (n !== '"' && n !== '\\') throw invalid();
            token += n;
            i += 2;
            continue;
          }
          token += c;
          i++;
        }
        i++;
      } else {
        const start = i;
        while (i < path.length && isWord(path[i])) i++;
        if (i === start) throw invalid();
        token = path.slice(start, i);
      }
      if (path[i] !== ']') throw invalid();
      i++;
      out.push(token);
    } else {
      throw invalid();
    }
  }
  return out;
}

function extract(input: string, tokens: string[]): string | null {
  let node: JsonNode | undefined = tryParse(input);
  if (node === undefined) return null;
  for (const t of tokens) {
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(t)) return null;
      node = node[Number(t)];
    } else if (node instanceof Map) {
      node = node.get(t);
    } else {
      return null;
    }
    if (node === undefined) return null;
  }
  return node === null ? 'null' : typeof node === 'string' ? node : stringifyJson(node);
}

/** A runtime value of the given type as a JSON tree (the JSON serde's representation). */
export function valueToJson(v: unknown, t: SqlType): JsonNode {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'BOOLEAN':
      return v as boolean;
    case 'INTEGER':
    case 'BIGINT':
      return new JsonNumber(String(v));
    case 'DOUBLE':
      return new JsonNumber(Number.isFinite(v as number) ? javaDouble(v as number) : JSON.stringify(String(v)));
    case 'DECIMAL':
      return new JsonNumber(isDecimal(v) ? formatDecimal(v as Decimal, t.scale) : String(v));
    case 'STRING':
      return v as string;
    case 'BYTES':
      return (v as Buffer).toString('base64');
    case 'DATE':
      return formatIsoDate(v as number);
    case 'TIME':
      // ksqlDB prints TIME at second precision
      return formatIsoTime(Math.floor((v as number) / 1000) * 1000);
    case 'TIMESTAMP':
      return formatIsoTimestamp(v as number);
    case 'ARRAY':
      return (v as unknown[]).map((x) => valueToJson(x, t.element));
    case 'MAP': {
      // ksqlDB writes map and struct entries in key order (a TreeMap)
      const entries = [...(v as Map<unknown, unknown>)].map(([k, x]) => [String(k), valueToJson(x, t.value)] as const);
      return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    case 'STRUCT': {
      const entries = t.fields.map((f) => [f.name, valueToJson((v as Record<string, unknown>)[f.name] ?? null, f.type)] as const);
      return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  }
}

/**
 * JSON_ARRAY_CONTAINS matching: the JSON token kind must fit the SQL type of the value (an
 * integral JSON number for INTEGER/BIGINT, a fractional one for DOUBLE), then values compare.
 */
function jsonMatcher(t: SqlType | undefined): (n: JsonNode, v: unknown) => boolean {
  return (n, v) => {
    if (n === null) return v === null;
    if (v === null) return false;
    if (n instanceof JsonNumber) {
      const integral = /^-?\d+$/.test(n.text);
      if (integral && t?.kind === 'INTEGER') return Number(n.text) === v;
      if (integral && t?.kind === 'BIGINT') return BigInt(n.text) === v;
      if (!integral && t?.kind === 'DOUBLE') return Number(n.text) === v;
      return false;
    }
    if (typeof n === 'string') return t?.kind === 'STRING' && n === v;
    if (typeof n === 'boolean') return t?.kind === 'BOOLEAN' && n === v;
    return false;
  };
}

export function registerJson(reg: Registry): void {
  reg.registerScalar({
    name: 'extractjsonfield',
    category: CAT,
    description: 'Extracts the value at a JSONPath from a JSON string, as a string; null when absent.',
    overloads: [
      {
        sig: 'STRING, STRING -> STRING',
        params: ['input', 'path'],
        make: () => {
          let lastPath: string | undefined;
          let tokens: string[] = [];
          return (s: string | null, path: string | null) => {
            if (s === null || path === null) return null;
            if (path !== lastPath) {
              tokens = jsonPathTokens(path);
              lastPath = path;
            }
            return extract(s, tokens);
          };
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'IS_JSON_STRING',
    category: CAT,
    description: 'Whether the string is valid JSON.',
    overloads: [{ sig: 'STRING -> BOOLEAN', impl: (s: string | null) => s !== null && tryParse(s) !== undefined }],
  });
  reg.registerScalar({
    name: 'JSON_ARRAY_CONTAINS',
    category: CAT,
    description: 'Whether a JSON array string contains the value (compared by JSON type and value).',
    overloads: [
      {
        sig: 'STRING, T -> BOOLEAN',
        params: ['jsonArray', 'val'],
        make: (ctx) => {
          const matches = jsonMatcher(ctx.argTypes[1]);
          return (s: string | null, v: unknown) => {
            if (s === null) return false;
            const n = tryParse(s);
            if (!Array.isArray(n)) return false;
            return n.some((x) => matches(x, v));
          };
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'JSON_ARRAY_LENGTH',
    category: CAT,
    description: 'The length of a JSON array string; null when not an array.',
    overloads: [
      {
        sig: 'STRING -> INTEGER',
        impl: (s: string | null) => {
          if (s === null) return null;
          const n = tryParse(s);
          return Array.isArray(n) ? n.length : null;
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'JSON_CONCAT',
    category: CAT,
    description: 'Merges JSON objects (later keys win) or concatenates JSON arrays (non-arrays become elements).',
    overloads: [
      {
        sig: 'STRING... -> STRING',
        impl: (...xs: (string | null)[]) => {
          if (xs.length === 0) return null;
          const nodes: JsonNode[] = [];
          for (const x of xs) {
            if (x === null) return null;
            const n = tryParse(x);
            if (n === undefined) return null;
            nodes.push(n);
          }
          if (nodes.length === 1) return stringifyJson(nodes[0]!);
          if (nodes.every((n) => n instanceof Map)) {
            const out = new Map<string, JsonNode>();
            for (const n of nodes) for (const [k, v] of n as Map<string, JsonNode>) out.set(k, v);
            return stringifyJson(out);
          }
          const out: JsonNode[] = [];
          for (const n of nodes) {
            if (Array.isArray(n)) out.push(...n);
            else out.push(n);
          }
          return stringifyJson(out);
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'JSON_ITEMS',
    category: CAT,
    description: 'The elements of a JSON array string, each as a JSON string; null when not an array.',
    overloads: [
      {
        sig: 'STRING -> ARRAY<STRING>',
        impl: (s: string | null) => {
          if (s === null) return null;
          const n = tryParse(s);
          return Array.isArray(n) ? n.map(stringifyJson) : null;
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'JSON_KEYS',
    category: CAT,
    description: 'The top-level keys of a JSON object string; null when not an object.',
    overloads: [
      {
        sig: 'STRING -> ARRAY<STRING>',
        impl: (s: string | null) => {
          if (s === null) return null;
          const n = tryParse(s);
          return n instanceof Map ? [...n.keys()] : null;
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'JSON_RECORDS',
    category: CAT,
    description: 'The top-level entries of a JSON object string as a map of key to value text; null when not an object.',
    overloads: [
      {
        sig: 'STRING -> MAP<STRING, STRING>',
        impl: (s: string | null) => {
          if (s === null) return null;
          const n = tryParse(s);
          if (!(n instanceof Map)) return null;
          const out = new Map<string, string>();
          for (const [k, v] of n) out.set(k, typeof v === 'string' ? v : stringifyJson(v));
          return out;
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'TO_JSON_STRING',
    category: CAT,
    description: 'Serialises any value to a JSON string.',
    overloads: [
      {
        sig: 'T -> STRING',
        make: (ctx) => {
          const t = ctx.argTypes[0]!;
          return (v: unknown) => stringifyJson(valueToJson(v, t));
        },
      },
    ],
  });
}
