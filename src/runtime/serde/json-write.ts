/**
 * Writing JSON text the way ksqlDB's JSON format does (Kafka Connect's JsonConverter with
 * schemas off and decimal.format=NUMERIC, over Jackson): compact, fields in schema order,
 * doubles in Java's Double.toString form (NaN/Infinity as strings), decimals as numbers with
 * their full scale (BigDecimal.toString), BYTES as base64, DATE/TIME/TIMESTAMP as integers.
 */
import type { SqlType } from '../../common/types.js';
import { isDecimal } from '../../common/decimal.js';
import { SerdeError } from './errors.js';
import { fromDecimal } from './decimal-fit.js';
import { formatJavaDouble, javaDecimalToString, parseJavaDecimal } from './java-text.js';
import { isNumberNode, JsonNumber, numberText, type JsonTree } from './json-tree.js';
import { encodeBase64 } from './base64.js';

/** Re-serialise a parsed tree compactly (ksqlDB's text for an object read into a STRING). */
export function writeJsonTree(v: JsonTree): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (isNumberNode(v)) {
    if (v instanceof JsonNumber && !v.isIntegral) return javaDecimalToString(parseJavaDecimal(v.text)!);
    return BigInt(numberText(v)).toString();
  }
  if (Array.isArray(v)) return `[${v.map(writeJsonTree).join(',')}]`;
  return `{${Object.keys(v)
    .map((k) => `${JSON.stringify(k)}:${writeJsonTree(v[k]!)}`)
    .join(',')}}`;
}

function badValue(v: unknown, type: SqlType): SerdeError {
  const shown = typeof v === 'bigint' ? `${v}n` : typeof v === 'object' && v !== null ? v.constructor?.name ?? 'object' : String(v);
  return new SerdeError(`Cannot serialize value ${shown} as ${type.kind}`);
}

function integerText(v: unknown, type: SqlType): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v)).toString();
  throw badValue(v, type);
}

/** JSON text of runtime value `v` of SQL type `type`. */
export function writeJsonValue(v: unknown, type: SqlType): string {
  if (v === null || v === undefined) return 'null';
  switch (type.kind) {
    case 'BOOLEAN':
      if (typeof v !== 'boolean') throw badValue(v, type);
      return v ? 'true' : 'false';
    case 'INTEGER':
    case 'BIGINT':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return integerText(v, type);
    case 'DOUBLE': {
      if (typeof v !== 'number') throw badValue(v, type);
      const text = formatJavaDouble(v);
      return Number.isFinite(v) ? text : `"${text}"`;
    }
    case 'DECIMAL':
      if (!isDecimal(v)) throw badValue(v, type);
      return javaDecimalToString(fromDecimal(v, type.scale));
    case 'STRING':
      if (typeof v !== 'string') throw badValue(v, type);
      return JSON.stringify(v);
    case 'BYTES':
      if (!Buffer.isBuffer(v)) throw badValue(v, type);
      return `"${encodeBase64(v)}"`;
    case 'ARRAY':
      if (!Array.isArray(v)) throw badValue(v, type);
      return `[${v.map((e) => writeJsonValue(e, type.element)).join(',')}]`;
    case 'MAP': {
      const entries = mapEntries(v, type);
      return `{${entries.map(([k, e]) => `${JSON.stringify(mapKeyText(k))}:${writeJsonValue(e, type.value)}`).join(',')}}`;
    }
    case 'STRUCT':
      if (typeof v !== 'object' || Array.isArray(v) || v instanceof Map) throw badValue(v, type);
      return writeJsonObject(v as Record<string, unknown>, type.fields);
  }
}

/** An object with the given fields in order; missing fields are written as null. */
export function writeJsonObject(obj: Record<string, unknown>, fields: readonly { name: string; type: SqlType }[]): string {
  return `{${fields.map((f) => `${JSON.stringify(f.name)}:${writeJsonValue(obj[f.name], f.type)}`).join(',')}}`;
}

export function mapEntries(v: unknown, type: SqlType): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return Object.entries(v);
  throw badValue(v, type);
}

function mapKeyText(k: unknown): string {
  // JSON maps only have STRING keys (formatSupports rejects others); be safe with stray types
  return typeof k === 'string' ? k : String(k);
}
