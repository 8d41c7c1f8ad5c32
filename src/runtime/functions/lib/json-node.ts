/**
 * A small JSON tree for the JSON functions. Unlike JSON.parse it keeps numbers as their source
 * text (EXTRACTJSONFIELD('{"a":1.23450}', '$.a') is "1.23450", as Jackson's decimal nodes print) and
 * keeps object keys in document order even when they look like integers.
 */

export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | Map<string, JsonNode>;

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

/**
 * Parses one JSON value. Like Jackson's ObjectReader.readTree, text after the first complete
 * value is ignored unless `strict`; empty or blank text gives undefined (Jackson's MissingNode).
 */
export function parseJson(src: string, strict = false): JsonNode | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < src.length && (src[i] === ' ' || src[i] === '\n' || src[i] === '\r' || src[i] === '\t')) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`Invalid JSON at position ${i}: ${what}`);
  };
  const value = (): JsonNode => {
    ws();
    const c = src[i];
    if (c === '{') {
      i++;
      const obj = new Map<string, JsonNode>();
      ws();
      if (src[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (src[i] !== '"') fail('expected a field name');
        const k = str();
        ws();
        if (src[i] !== ':') fail("expected ':'");
        i++;
        obj.set(k, value());
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonNode[] = [];
      ws();
      if (src[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (src.startsWith('true', i)) return (i += 4), true;
    if (src.startsWith('false', i)) return (i += 5), false;
    if (src.startsWith('null', i)) return (i += 4), null;
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = i;
    const r = m.exec(src);
    if (!r) return fail('unexpected character');
    i = m.lastIndex;
    return new JsonNumber(r[0]);
  };
  const str = (): string => {
    const start = i;
    const re = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
    re.lastIndex = i;
    const r = re.exec(src);
    if (!r) {
      i = start;
      return fail('bad string');
    }
    i = re.lastIndex;
    return JSON.parse(r[0]) as string;
  };
  ws();
  if (i === src.length) return undefined;
  const v = value();
  ws();
  if (strict && i !== src.length) fail('trailing characters');
  return v;
}

/** Compact serialisation, as Jackson writes a tree. */
export function stringifyJson(n: JsonNode): string {
  if (n === null) return 'null';
  if (typeof n === 'boolean') return String(n);
  if (typeof n === 'string') return JSON.stringify(n);
  if (n instanceof JsonNumber) return n.text;
  if (Array.isArray(n)) return `[${n.map(stringifyJson).join(',')}]`;
  return `{${[...n].map(([k, v]) => `${JSON.stringify(k)}:${stringifyJson(v)}`).join(',')}}`;
}
