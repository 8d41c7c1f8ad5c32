/**
 * Record serialisation for ksqlDB's formats. createSerde() turns a format, its properties and
 * the key or value columns into a RowSerde reading/writing runtime values (see
 * src/common/types.ts for their representation) exactly as ksqlDB does.
 */
export { createSerde } from './create.js';

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
export { avroSchemaJson } from './avro-serde.js';
export { encodeKey, encodeState, decodeState, keyPrefixRange } from './state-codec.js';

export { registrySchemaFor, subjectName, usesSchemaRegistry, jsonSchemaFor } from './registry-schema.js';
export { registeredSchemaColumns, singleColumnName } from './schema-columns.js';
export { parseProtobuf, protobufSchemaFor } from './protobuf-schema.js';
