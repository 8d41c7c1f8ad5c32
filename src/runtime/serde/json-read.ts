/**
 * Coercing a parsed JSON tree to Sluice's runtime values for a SQL type, with the lenient
 * rules of ksqlDB's KsqlJsonDeserializer/JsonSerdeUtils:
 *  - BOOLEAN only from true/false;
 *  - INTEGER/BIGINT from any number (fraction truncated, Java narrowing) or an integer string;
 *  - DOUBLE from any number or a Java double string;
 *  - STRING from anything: numbers and booleans as their text, objects as compact JSON,
 *    arrays as "[a, b]" of their elements' text;
 *  - DECIMAL from a number or a string, which must fit without rounding;
 *  - DATE (epoch days), TIME (ms of day, 0..86400000), TIMESTAMP (epoch ms) from a number or
 *    an integer string; BYTES from a base64 string;
 *  - STRUCT fields matched by exact name, then by upper-cased JSON key; missing fields are null.
 * Anything else throws a SerdeError naming the JSON node type, the required type and the path.
 */
import type { SqlType } from '../../common/types.js';
import type { Decimal } from '../../common/decimal.js';
import { SerdeError } from './errors.js';
import { ensureFit } from './decimal-fit.js';
import {
  javaDecimalToString,
  javaDecimalTruncate,
  parseJavaDecimal,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
  toJavaInt,
  toJavaLong,
  type JavaDecimal,
} from './java-text.js';
import { isNumberNode, isObjectNode, JsonNumber, numberText, type JsonTree } from './json-tree.js';
import { connectTypeName } from './type-names.js';
import { decodeBase64 } from './base64.js';
import { writeJsonTree } from './json-write.js';

const MS_PER_DAY = 86_400_000;

/** A coercion failure; `path` grows as the error bubbles out ($.FIELD[2].key.value ...). */
export class CoercionError extends SerdeError {
  constructor(
    readonly rawMessage: string,
    readonly path: string,
  ) {
    super(`${rawMessage}, path: ${path}`);
  }
}

/** Jackson's node class name, as ksqlDB reports the source type. */
function nodeTypeName(v: JsonTree): string {
  if (typeof v === 'boolean') return 'BooleanNode';
  if (typeof v === 'string') return 'TextNode';
  if (Array.isArray(v)) return 'ArrayNode';
  if (isNumberNode(v)) {
    const text = numberText(v);
    if (v instanceof JsonNumber && !v.isIntegral) return 'DecimalNode';
    const n = BigInt(text);
    if (n >= -(2n ** 31n) && n < 2n ** 31n) return 'IntNode';
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return 'LongNode';
    return 'BigIntegerNode';
  }
  return 'ObjectNode';
}

function invalid(v: JsonTree, required: string): Error {
  return new Error(`Can't convert type. sourceType: ${nodeTypeName(v)}, requiredType: ${required}`);
}

function failedString(required: string): Error {
  return new Error(`Can't coerce string to type. targetType: ${required}`);
}

/** The exact decimal a number node holds (integers have scale 0). */
function numberDecimal(v: number | JsonNumber): JavaDecimal {
  const d = parseJavaDecimal(numberText(v));
  if (!d) throw new Error(`Invalid number: ${numberText(v)}`);
  return d;
}

/** Jackson's intValue()/asLong(): integral part, narrowed like a Java cast. */
function numberToBigInt(v: number | JsonNumber): bigint {
  return javaDecimalTruncate(numberDecimal(v));
}

function toInteger(v: JsonTree, required: string): number {
  // fast-path numbers are exact integers; ToInt32 is Java's (int) narrowing of a long
  if (typeof v === 'number') return v | 0;
  if (isNumberNode(v)) return toJavaInt(numberToBigInt(v));
  if (typeof v === 'string') {
    const n = parseJavaInt(v);
    if (n === undefined) throw failedString(required);
    return n;
  }
  throw invalid(v, required);
}

function toLong(v: JsonTree, required: string): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (isNumberNode(v)) return toJavaLong(numberToBigInt(v));
  if (typeof v === 'string') {
    const n = parseJavaLong(v);
    if (n === undefined) throw failedString(required);
    return n;
  }
  throw invalid(v, required);
}

function toDouble(v: JsonTree): number {
  // a fast-path number is an integer literal: "-0" is Jackson's IntNode 0, not -0.0
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (v instanceof JsonNumber) {
    const n = Number(v.text);
    return v.isIntegral && n === 0 ? 0 : n;
  }
  if (typeof v === 'string') {
    const n = parseJavaDouble(v);
    if (n === undefined) throw failedString('DOUBLE');
    return n;
  }
  throw invalid(v, 'DOUBLE');
}

function toTime(v: JsonTree): number {
  const ms = toLong(v, 'TIME');
  if (ms < 0n || ms > BigInt(MS_PER_DAY)) {
    throw new Error(`Time values must use number of milliseconds greater than 0 and less than ${MS_PER_DAY}.`);
  }
  return Number(ms);
}

function toDate(v: JsonTree): number {
  // java.sql.Date from epoch days held as a long; Sluice keeps the day count itself
  const days = toLong(v, 'DATE');
  return Number(days);
}

function toTimestamp(v: JsonTree): number {
  if (typeof v === 'number') return v === 0 ? 0 : v;
  return Number(toLong(v, 'TIMESTAMP'));
}

function toDecimalValue(v: JsonTree, t: { precision: number; scale: number }): Decimal {
  if (isNumberNode(v)) return ensureFit(numberDecimal(v), t.precision, t.scale);
  if (typeof v === 'string') {
    const d = parseJavaDecimal(v);
    if (!d) throw failedString(`DECIMAL(${t.precision}, ${t.scale})`);
    return ensureFit(d, t.precision, t.scale);
  }
  throw invalid(v, `DECIMAL(${t.precision}, ${t.scale})`);
}

/** STRING target: the text Jackson's asText()/writeValueAsString would give. */
function toText(v: JsonTree): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (isNumberNode(v)) {
    if (v instanceof JsonNumber && !v.isIntegral) return javaDecimalToString(numberDecimal(v));
    return BigInt(numberText(v)).toString();
  }
  if (Array.isArray(v)) {
    const parts = v.map((item) => (item === null ? 'null' : toText(item)));
    return `[${parts.join(', ')}]`;
  }
  return writeJsonTree(v);
}

/**
 * Coerce `v` at `pathPart` (relative to the parent's path) to `type`. Errors carry the full
 * path from the root ("$").
 */
export function coerce(v: JsonTree | undefined, type: SqlType, pathPart = '$'): unknown {
  if (v === null || v === undefined) return null;
  try {
    return coerceNonNull(v, type);
  } catch (e) {
    if (e instanceof CoercionError) throw new CoercionError(e.rawMessage, pathPart + e.path);
    throw new CoercionError(e instanceof Error ? e.message : String(e), pathPart);
  }
}

function coerceNonNull(v: JsonTree, type: SqlType): unknown {
  switch (type.kind) {
    case 'BOOLEAN':
      if (typeof v === 'boolean') return v;
      throw invalid(v, 'BOOLEAN');
    case 'INTEGER':
      return toInteger(v, 'INTEGER');
    case 'BIGINT':
      return toLong(v, 'BIGINT');
    case 'DOUBLE':
      return toDouble(v);
    case 'STRING':
      return toText(v);
    case 'DECIMAL':
      return toDecimalValue(v, type);
    case 'DATE':
      return toDate(v);
    case 'TIME':
      return toTime(v);
    case 'TIMESTAMP':
      return toTimestamp(v);
    case 'BYTES':
      if (typeof v === 'string') {
        const bytes = decodeBase64(v, true);
        if (!bytes) throw new Error(`Value is not a valid Base64 encoded string: ${v}`);
        return bytes;
      }
      throw invalid(v, 'BYTES');
    case 'ARRAY': {
      if (!Array.isArray(v)) throw invalid(v, connectTypeName(type));
      return v.map((item, i) => coerce(item, type.element, `[${i}]`));
    }
    case 'MAP': {
      if (!isObjectNode(v)) throw invalid(v, connectTypeName(type));
      const out = new Map<unknown, unknown>();
      for (const key of Object.keys(v)) {
        const k = coerce(key, type.key, `.${key}.key`);
        out.set(k, coerce(v[key], type.value, `.${key}.value`));
      }
      return out;
    }
    case 'STRUCT': {
      if (!isObjectNode(v)) throw invalid(v, connectTypeName(type));
      return readStructFields(v, type.fields);
    }
  }
}

/** Fields of a JSON object by exact name, else by the upper-cased JSON key (last one wins). */
export function readStructFields(
  obj: { [key: string]: JsonTree },
  fields: readonly { name: string; type: SqlType }[],
): Record<string, unknown> {
  let upper: Map<string, JsonTree> | undefined;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    let value: JsonTree | undefined = Object.hasOwn(obj, f.name) ? obj[f.name] : undefined;
    if (value === undefined) {
      upper ??= upperCaseKeys(obj);
      value = upper.get(f.name);
    }
    out[f.name] = coerce(value, f.type, `.${f.name}`);
  }
  return out;
}

function upperCaseKeys(obj: { [key: string]: JsonTree }): Map<string, JsonTree> {
  const m = new Map<string, JsonTree>();
  for (const k of Object.keys(obj)) m.set(k.toUpperCase(), obj[k]!);
  return m;
}
