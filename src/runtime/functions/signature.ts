/**
 * Declared parameter types of function overloads, and the small signature language used to
 * write them: `'ARRAY<T>, INTEGER -> T'`, `'STRING, STRING... -> STRING'`,
 * `'ARRAY<T>, LAMBDA(T) -> U -> ARRAY<U>'`, `'-> DOUBLE'` (no parameters).
 *
 * A declared type differs from a SqlType in four ways: DECIMAL stands for a decimal of any
 * precision, STRUCT for any struct (STRUCT<A STRING> for exactly that shape), single capital letters (T, U, K, V, S, A, B, ...) are generic
 * type parameters bound by unification, ANY accepts anything, and INTERVALUNIT accepts a time
 * unit keyword (TIMESTAMPADD(SECONDS, ...)). A trailing `...` makes the parameter variadic.
 */
import type { SqlType } from '../../common/types.js';

export type PrimitiveKind = 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING' | 'BYTES' | 'DATE' | 'TIME' | 'TIMESTAMP';

export type ParamType =
  | { t: 'prim'; kind: PrimitiveKind }
  | { t: 'decimal' }
  | { t: 'array'; element: ParamType }
  | { t: 'map'; key: ParamType; value: ParamType }
  | { t: 'struct'; fields?: { name: string; type: ParamType }[] }
  | { t: 'generic'; name: string }
  | { t: 'lambda'; inputs: ParamType[]; ret: ParamType }
  | { t: 'any' }
  | { t: 'interval' };

export interface Signature {
  params: ParamType[];
  /** index of the variadic parameter, -1 when none */
  variadic: number;
  ret: ParamType;
}

const PRIMITIVES: Record<string, PrimitiveKind> = {
  BOOLEAN: 'BOOLEAN',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  STRING: 'STRING',
  VARCHAR: 'STRING',
  BYTES: 'BYTES',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

/** Tokens: identifiers, `<`, `>`, `(`, `)`, `,`, `->`, `...`. */
function tokenize(src: string): string[] {
  const out: string[] = [];
  const re = /\s*(->|\.\.\.|[A-Za-z_][A-Za-z_0-9]*|[<>(),])/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new Error(`Bad function signature '${src}' at ${pos}`);
    out.push(m[1]!);
    pos = re.lastIndex;
  }
  return out;
}

class SigParser {
  private i = 0;
  constructor(private readonly toks: string[], private readonly src: string) {}

  private peek(): string | undefined {
    return this.toks[this.i];
  }
  private next(): string {
    const t = this.toks[this.i++];
    if (t === undefined) throw new Error(`Unexpected end of function signature '${this.src}'`);
    return t;
  }
  private expect(tok: string): void {
    const t = this.next();
    if (t !== tok) throw new Error(`Expected '${tok}' but found '${t}' in function signature '${this.src}'`);
  }

  signature(): Signature {
    const params: ParamType[] = [];
    let variadic = -1;
    if (this.peek() !== '->') {
      for (;;) {
        params.push(this.type());
        if (this.peek() === '...') {
          this.next();
          if (variadic >= 0) throw new Error(`Only one variadic parameter allowed: '${this.src}'`);
          variadic = params.length - 1;
        }
        if (this.peek() !== ',') break;
        this.next();
      }
    }
    this.expect('->');
    const ret = this.type();
    if (this.peek() !== undefined) throw new Error(`Trailing '${this.peek()}' in function signature '${this.src}'`);
    return { params, variadic, ret };
  }

  type(): ParamType {
    const word = this.next();
    const upper = word.toUpperCase();
    const prim = PRIMITIVES[upper];
    if (prim) return { t: 'prim', kind: prim };
    switch (upper) {
      case 'DECIMAL':
        return { t: 'decimal' };
      case 'STRUCT': {
        if (this.peek() !== '<') return { t: 'struct' };
        this.next();
        const fields: { name: string; type: ParamType }[] = [];
        if (this.peek() !== '>') {
          for (;;) {
            const name = this.next();
            fields.push({ name, type: this.type() });
            if (this.peek() !== ',') break;
            this.next();
          }
        }
        this.expect('>');
        return { t: 'struct', fields };
      }
      case 'ANY':
        return { t: 'any' };
      case 'INTERVALUNIT':
        return { t: 'interval' };
      case 'ARRAY': {
        this.expect('<');
        const element = this.type();
        this.expect('>');
        return { t: 'array', element };
      }
      case 'MAP': {
        this.expect('<');
        const key = this.type();
        this.expect(',');
        const value = this.type();
        this.expect('>');
        return { t: 'map', key, value };
      }
      case 'LAMBDA': {
        this.expect('(');
        const inputs: ParamType[] = [];
        if (this.peek() !== ')') {
          for (;;) {
            inputs.push(this.type());
            if (this.peek() !== ',') break;
            this.next();
          }
        }
        this.expect(')');
        this.expect('->');
        const ret = this.type();
        return { t: 'lambda', inputs, ret };
      }
    }
    if (/^[A-Z][0-9]?$/.test(word)) return { t: 'generic', name: word };
    throw new Error(`Unknown type '${word}' in function signature '${this.src}'`);
  }
}

export function parseSignature(src: string): Signature {
  return new SigParser(tokenize(src), src).signature();
}

export function hasGenerics(p: ParamType): boolean {
  switch (p.t) {
    case 'generic':
      return true;
    case 'array':
      return hasGenerics(p.element);
    case 'map':
      return hasGenerics(p.key) || hasGenerics(p.value);
    case 'lambda':
      return p.inputs.some(hasGenerics) || hasGenerics(p.ret);
    default:
      return false;
  }
}

/** Names of the generic type parameters a declared type mentions. */
export function genericNames(p: ParamType, out: Set<string> = new Set()): Set<string> {
  switch (p.t) {
    case 'generic':
      out.add(p.name);
      break;
    case 'array':
      genericNames(p.element, out);
      break;
    case 'map':
      genericNames(p.key, out);
      genericNames(p.value, out);
      break;
    case 'struct':
      p.fields?.forEach((f) => genericNames(f.type, out));
      break;
    case 'lambda':
      p.inputs.forEach((i) => genericNames(i, out));
      genericNames(p.ret, out);
      break;
  }
  return out;
}

/** ksqlDB's textual form of a declared type (DESCRIBE FUNCTION, "Valid alternatives are"). */
export function formatParamType(p: ParamType): string {
  switch (p.t) {
    case 'prim':
      return p.kind;
    case 'decimal':
      return 'DECIMAL';
    case 'struct':
      return p.fields ? `STRUCT<${p.fields.map((f) => `${f.name} ${formatParamType(f.type)}`).join(', ')}>` : 'STRUCT';
    case 'any':
      return 'ANY';
    case 'interval':
      return 'INTERVALUNIT';
    case 'generic':
      return p.name;
    case 'array':
      return `ARRAY<${formatParamType(p.element)}>`;
    case 'map':
      return `MAP<${formatParamType(p.key)}, ${formatParamType(p.value)}>`;
    case 'lambda':
      return `LAMBDA (${p.inputs.map(formatParamType).join(', ')}) => ${formatParamType(p.ret)}`;
  }
}

export function formatSignatureParams(sig: Signature): string[] {
  return sig.params.map((p, i) => formatParamType(p) + (i === sig.variadic ? '...' : ''));
}

/** Replace bound generics; returns undefined when a generic is unbound or the type cannot be concrete. */
export function instantiate(p: ParamType, bindings: Map<string, SqlType>): SqlType | undefined {
  switch (p.t) {
    case 'prim':
      return { kind: p.kind } as SqlType;
    case 'generic':
      return bindings.get(p.name);
    case 'array': {
      const element = instantiate(p.element, bindings);
      return element && { kind: 'ARRAY', element };
    }
    case 'map': {
      const key = instantiate(p.key, bindings);
      const value = instantiate(p.value, bindings);
      return key && value && { kind: 'MAP', key, value };
    }
    case 'struct': {
      if (!p.fields) return undefined;
      const fields: { name: string; type: SqlType }[] = [];
      for (const f of p.fields) {
        const type = instantiate(f.type, bindings);
        if (!type) return undefined;
        fields.push({ name: f.name, type });
      }
      return { kind: 'STRUCT', fields };
    }
    default:
      return undefined;
  }
}
