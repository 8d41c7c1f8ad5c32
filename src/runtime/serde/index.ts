/**
 * Record serialisation for ksqlDB's formats. createSerde() turns a format, its properties and
 * the key or value columns into a RowSerde reading/writing runtime values (see
 * src/common/types.ts for their representation) exactly as ksqlDB does.
 */
import { SerdeError } from './errors.js';
import { createDelimitedSerde } from './delimited-serde.js';
import { formatSupports } from './format-support.js';
import { createJsonSerde } from './json-serde.js';
import { createKafkaSerde } from './kafka-serde.js';
import type { FormatSpec, RowSerde, SerdeColumn, SerdeOptions } from './types.js';

export type { FormatName, FormatSpec, RowSerde, SerdeColumn, SerdeOptions } from './types.js';
export { SerdeError } from './errors.js';
export {
  FORMAT_NAMES,
  formatColumns,
  formatSupports,
  isFormatName,
  keySchemaErrorMessage,
  validateFormatProperties,
} from './format-support.js';
export { parseDelimiter } from './delimited-serde.js';
export { appendWindow, splitWindow, windowedKeySerde } from './windowed.js';
export type { WindowBounds, WindowedKey, WindowedKeySerde } from './windowed.js';
export { decodeTestValue, decodeTestWindowedKey, encodeTestValue, encodeTestWindowedKey } from './test-codec.js';
export type { TestWindow } from './test-codec.js';
export { encodeKey, encodeState, decodeState, keyPrefixRange } from './state-codec.js';

/**
 * Zero columns (a keyless stream's key, NONE, KAFKA with no columns): ksqlDB's void serde
 * ignores whatever bytes are there and writes none.
 */
function voidSerde(): RowSerde {
  return {
    deserialize: (data) => (data === null ? null : []),
    serialize: () => null,
  };
}

/**
 * A serde for `columns` in `spec.format`. Throws SerdeError when the format cannot hold the
 * columns (the text formatSupports() gives) or the format is not implemented here.
 */
export function createSerde(spec: FormatSpec, columns: SerdeColumn[], opts: SerdeOptions): RowSerde {
  const unsupported = formatSupports(spec.format, columns, opts);
  if (unsupported !== undefined) throw new SerdeError(unsupported);
  if (columns.length === 0) return voidSerde();
  switch (spec.format) {
    case 'JSON':
      return createJsonSerde(columns, opts);
    case 'DELIMITED':
      return createDelimitedSerde(columns, spec.properties, opts);
    case 'KAFKA':
      return createKafkaSerde(columns, opts);
    case 'NONE':
      return voidSerde();
    default:
      throw new SerdeError(`The '${spec.format}' format is not supported by Sluice yet`);
  }
}
