/**
 * ksqlDB's JSON format for rows. A single column is "unwrapped" (the JSON value is the column
 * value) for keys, and for values declared WRAP_SINGLE_VALUE=false; otherwise the row is a JSON
 * object with one field per column, read case-insensitively and written with column names.
 */
import { SerdeError } from './errors.js';
import { coerce } from './json-read.js';
import { parseJsonTree, type JsonTree } from './json-tree.js';
import { writeJsonObject, writeJsonValue } from './json-write.js';
import type { RowSerde, SerdeColumn, SerdeOptions } from './types.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function isUnwrapped(columns: readonly SerdeColumn[], opts: SerdeOptions): boolean {
  if (columns.length !== 1) return false;
  return opts.isKey ? opts.wrapSingleValue !== true : opts.wrapSingleValue === false;
}

export function createJsonSerde(columns: readonly SerdeColumn[], opts: SerdeOptions): RowSerde {
  const target = opts.isKey ? 'key' : 'value';
  const where = opts.topic === undefined ? '' : ` from topic: ${opts.topic}`;
  const unwrapped = isUnwrapped(columns, opts);
  const rowType = { kind: 'STRUCT' as const, fields: columns.map((c) => ({ name: c.name, type: c.type })) };

  const readTree = (data: Buffer): JsonTree => {
    try {
      // Jackson rejects malformed UTF-8 rather than substituting U+FFFD, and skips a BOM
      let textValue = UTF8.decode(data);
      if (textValue.charCodeAt(0) === 0xfeff) textValue = textValue.slice(1);
      return parseJsonTree(textValue);
    } catch {
      // never echo the parser's message: it quotes the data, which may be personal information
      throw new SerdeError(`Failed to deserialize ${target}${where}. Invalid JSON text`);
    }
  };

  return {
    deserialize(data) {
      if (data === null) return null;
      const tree = readTree(data);
      try {
        if (unwrapped) return [coerce(tree, columns[0]!.type)];
        // a JSON null is a null row; anything but an object fails as a STRUCT mismatch
        const obj = coerce(tree, rowType) as Record<string, unknown> | null;
        return obj === null ? null : columns.map((c) => obj[c.name]);
      } catch (e) {
        throw new SerdeError(`Failed to deserialize ${target}${where}. ${(e as Error).message}`, { cause: e });
      }
    },
    serialize(values) {
      if (values === null) return null;
      if (values.length !== columns.length) {
        throw new SerdeError(
          `Column count mismatch on serialization.${opts.topic === undefined ? '' : ` topic: ${opts.topic},`} expected: ${columns.length}, got: ${values.length}`,
        );
      }
      if (unwrapped) {
        if (values[0] === null || values[0] === undefined) return null;
        return Buffer.from(writeJsonValue(values[0], columns[0]!.type), 'utf8');
      }
      const obj: Record<string, unknown> = {};
      columns.forEach((c, i) => (obj[c.name] = values[i]));
      return Buffer.from(writeJsonObject(obj, rowType.fields), 'utf8');
    },
  };
}
