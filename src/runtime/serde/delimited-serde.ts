/**
 * ksqlDB's DELIMITED format: one CSV record, one field per column, primitives only. Empty
 * fields read as null for every type (STRING too); the field count must equal the column count.
 * Values are written as Java's toString would: doubles "1.0", decimals plain with their scale,
 * BYTES base64, DATE/TIME/TIMESTAMP as integers.
 */
import type { SqlType } from '../../common/types.js';
import { isDecimal } from '../../common/decimal.js';
import { SerdeError } from './errors.js';
import { parseFirstRecord, printRecord } from './csv.js';
import { ensureFit, fromDecimal } from './decimal-fit.js';
import {
  formatJavaDouble,
  javaDecimalToPlainString,
  parseJavaDecimal,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
} from './java-text.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import type { RowSerde, SerdeColumn, SerdeOptions } from './types.js';

const MS_PER_DAY = 86_400_000;

const NAMED_DELIMITERS: Record<string, string> = { TAB: '\t', SPACE: ' ' };

/**
 * The delimiter character for a VALUE_DELIMITER / KEY_DELIMITER setting (ksqlDB's
 * Delimiter.parse). Throws SerdeError with ksqlDB's message for an invalid one.
 */
export function parseDelimiter(text: string): string {
  if (text.trim().length === 0) {
    throw new SerdeError(
      "Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'",
    );
  }
  if (text.length === 1) return text;
  const named = NAMED_DELIMITERS[text];
  if (named !== undefined) return named;
  throw new SerdeError(`Invalid delimiter value: '${text}'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'`);
}

type Parser = (field: string) => unknown;

function fail(message: string): never {
  throw new SerdeError(message);
}

function parserFor(type: SqlType): Parser {
  switch (type.kind) {
    case 'BOOLEAN':
      // Boolean.parseBoolean: anything but "true" (any case) is false
      return (v) => v.toLowerCase() === 'true';
    case 'INTEGER':
      return (v) => parseJavaInt(v) ?? fail(`For input string: "${v}"`);
    case 'BIGINT':
      return (v) => parseJavaLong(v) ?? fail(`For input string: "${v}"`);
    case 'DOUBLE':
      return (v) => parseJavaDouble(v) ?? fail(`For input string: "${v}"`);
    case 'STRING':
      return (v) => v;
    case 'BYTES':
      return (v) => decodeBase64(v, false) ?? fail(`Value is not a valid Base64 encoded string: ${v}`);
    case 'DECIMAL':
      return (v) => {
        const d = parseJavaDecimal(v) ?? fail(`Invalid decimal: ${v}`);
        return ensureFit(d, type.precision, type.scale);
      };
    case 'TIME':
      return (v) => {
        const ms = parseJavaLong(v) ?? fail(`For input string: "${v}"`);
        if (ms < 0n || ms > BigInt(MS_PER_DAY)) {
          fail(`Time values must use number of milliseconds greater than 0 and less than ${MS_PER_DAY}.`);
        }
        return Number(ms);
      };
    case 'DATE':
      return (v) => parseJavaInt(v) ?? fail(`For input string: "${v}"`);
    case 'TIMESTAMP':
      return (v) => Number(parseJavaLong(v) ?? fail(`For input string: "${v}"`));
    default:
      throw new SerdeError(`The 'DELIMITED' format does not support type '${type.kind}'`);
  }
}

function badValue(v: unknown, type: SqlType): never {
  throw new SerdeError(`Cannot serialize value of JS type ${typeof v} as ${type.kind}`);
}

/** The field text Java's toString (or ksqlDB's special cases) gives for a runtime value. */
function fieldText(v: unknown, type: SqlType): string | null {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'BOOLEAN':
      return typeof v === 'boolean' ? String(v) : badValue(v, type);
    case 'INTEGER':
    case 'BIGINT':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v)).toString();
      return badValue(v, type);
    case 'DOUBLE':
      return typeof v === 'number' ? formatJavaDouble(v) : badValue(v, type);
    case 'STRING':
      return typeof v === 'string' ? v : badValue(v, type);
    case 'DECIMAL':
      return isDecimal(v) ? javaDecimalToPlainString(fromDecimal(v, type.scale)) : badValue(v, type);
    case 'BYTES':
      return Buffer.isBuffer(v) ? encodeBase64(v) : badValue(v, type);
    default:
      throw new SerdeError(`The 'DELIMITED' format does not support type '${type.kind}'`);
  }
}

export function createDelimitedSerde(
  columns: readonly SerdeColumn[],
  properties: Record<string, string>,
  opts: SerdeOptions,
): RowSerde {
  // the planner hands over the parsed delimiter (TAB and SPACE already turned into characters)
  const raw = properties['delimiter'] ?? ',';
  const delimiter = (raw === '\t' || raw === ' ') ? raw : parseDelimiter(raw);
  // Commons CSV refuses this when ksqlDB builds the CSVFormat (line breaks are blank, so
  // parseDelimiter already refused them)
  if (delimiter === '"') throw new SerdeError(`The quoteChar character and the delimiter cannot be the same ('"')`);
  const parsers = columns.map((c) => parserFor(c.type));
  const topic = opts.topic === undefined ? '' : ` topic: ${opts.topic},`;

  return {
    deserialize(data) {
      if (data === null) return null;
      try {
        const record = parseFirstRecord(data.toString('utf8'), delimiter);
        if (record === undefined) throw new SerdeError('No fields in record');
        if (record.length !== parsers.length) {
          throw new SerdeError(
            `Column count mismatch on deserialization.${topic} expected: ${parsers.length}, got: ${record.length}`,
          );
        }
        return record.map((field, i) => (field.length === 0 ? null : parsers[i]!(field)));
      } catch (e) {
        throw new SerdeError(`Error deserializing delimited: ${(e as Error).message}`, { cause: e });
      }
    },
    serialize(values) {
      if (values === null) return null;
      if (values.length !== columns.length) {
        throw new SerdeError(`Column count mismatch on serialization.${topic} expected: ${columns.length}, got: ${values.length}`);
      }
      const fields = columns.map((c, i) => fieldText(values[i], c.type));
      return Buffer.from(printRecord(fields, delimiter), 'utf8');
    },
  };
}
