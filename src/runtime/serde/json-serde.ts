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

/**
 * JSON_SR framing without a registry: Confluent's magic byte 0 and a 4-byte big-endian schema
 * id before the JSON text. The id written is the `schemaId` property, else 0; on reading it is
 * skipped (ksqlDB's readJsonSR).
 */
export interface SchemaRegistryFraming {
  /** the id, or a function giving it on first write (registering the schema lazily) */
  schemaId: number | (() => number);
}

const SR_PREFIX = 5;

export function createJsonSerde(columns: readonly SerdeColumn[], opts: SerdeOptions, framingIn?: SchemaRegistryFraming): RowSerde {
  let framing = framingIn;
  const target = opts.isKey ? 'key' : 'value';
  const where = opts.topic === undefined ? '' : ` from topic: ${opts.topic}`;
  const unwrapped = isUnwrapped(columns, opts);
  const rowType = { kind: 'STRUCT' as const, fields: columns.map((c) => ({ name: c.name, type: c.type })) };

  const readTree = (raw: Buffer): JsonTree => {
    let data = raw;
    if (framing) {
      if (raw.length === 0 || raw[0] !== 0) {
        throw new SerdeError(
          `Failed to deserialize ${target}${where}. Got unexpected JSON serialization format that did not start with the magic byte. ` +
            'If this stream was not serialized using the JsonSchemaConverter, then make sure the stream is declared with JSON format (not JSON_SR).',
        );
      }
      data = raw.subarray(Math.min(SR_PREFIX, raw.length));
    }
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

  const frame = (body: Buffer): Buffer => {
    if (!framing) return body;
    const out = Buffer.alloc(SR_PREFIX + body.length);
    if (typeof framing.schemaId === 'function') framing = { schemaId: framing.schemaId() };
    out.writeInt32BE((framing.schemaId as number) | 0, 1);
    body.copy(out, SR_PREFIX);
    return out;
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
      let json: string;
      if (unwrapped) {
        if (values[0] === null || values[0] === undefined) return null;
        json = writeJsonValue(values[0], columns[0]!.type);
      } else {
        const obj: Record<string, unknown> = {};
        columns.forEach((c, i) => (obj[c.name] = values[i]));
        json = writeJsonObject(obj, rowType.fields);
      }
      return frame(Buffer.from(json, 'utf8'));
    },
  };
}
