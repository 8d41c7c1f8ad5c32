/** createSerde: the RowSerde for a format and its key or value columns. */
import { SerdeError } from './errors.js';
import { createDelimitedSerde } from './delimited-serde.js';
import { formatSupports } from './format-support.js';
import { createJsonSerde } from './json-serde.js';
import { createKafkaSerde } from './kafka-serde.js';
import { createAvroSerde } from './avro-serde.js';
import { createProtobufSerde } from './protobuf-serde.js';
import { registrySchemaFor, subjectName } from './registry-schema.js';
import type { FormatSpec, RowSerde, SerdeColumn, SerdeOptions } from './types.js';

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
    case 'JSON_SR': {
      const id = spec.properties['schemaId'];
      const schemaId = id === undefined ? 0 : Number(id);
      if (!Number.isInteger(schemaId)) throw new SerdeError(`Invalid schemaId: ${id}`);
      const registry = opts.registry;
      const topic = opts.topic;
      if (!registry || id !== undefined || topic === undefined) return createJsonSerde(columns, opts, { schemaId });
      // with a registry: the subject's latest (test data) or the columns' schema, registered on first write
      return createJsonSerde(columns, opts, {
        schemaId: () => {
          const subject = subjectName(topic, opts.isKey);
          const latest = opts.useLatestSchema ? registry.getLatest(subject) : undefined;
          if (latest && latest.schemaType === 'JSON') return latest.id;
          try {
            return registry.register(subject, registrySchemaFor(spec, columns, opts)!);
          } catch (e) {
            throw new SerdeError(`Cannot register the schema for ${subject}: ${(e as Error).message}`, { cause: e });
          }
        },
      });
    }
    case 'AVRO':
      return createAvroSerde(columns, spec.properties, opts);
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      return createProtobufSerde(spec, columns, opts);
    default:
      throw new SerdeError(`The '${spec.format}' format is not supported by Sluice yet`);
  }
}
