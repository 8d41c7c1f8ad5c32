/** Shared shapes of the serde layer (re-exported from index.ts). */
import type { SqlType } from '../../common/types.js';
import type { SchemaRegistryClient } from '../../schema-registry/types.js';

export type FormatName = 'JSON' | 'DELIMITED' | 'KAFKA' | 'NONE' | 'AVRO' | 'PROTOBUF' | 'PROTOBUF_NOSR' | 'JSON_SR';

/** A format and its WITH-clause properties, e.g. { delimiter: '|' } from VALUE_DELIMITER. */
export interface FormatSpec {
  format: FormatName;
  properties: Record<string, string>;
}

export interface SerdeColumn {
  name: string;
  type: SqlType;
}

export interface SerdeOptions {
  /** Key serdes unwrap a single column; value serdes wrap it unless wrapSingleValue is false. */
  isKey: boolean;
  /**
   * The source's WRAP_SINGLE_VALUE, already resolved against ksql.persistence.wrap.single.values
   * by the caller; undefined means the format's default (wrapped for JSON values).
   */
  wrapSingleValue?: boolean;
  /** Topic name: error messages, and the registry subject `<topic>-key|value`. */
  topic?: string;
  /**
   * The schema registry AVRO, PROTOBUF and JSON_SR use when given: writers register their
   * schema under the topic's subject and frame its id; readers decode with the schema the id
   * in the bytes names. Without one those formats use the schema derived from the columns.
   */
  registry?: SchemaRegistryClient;
  /** Write with the subject's latest registered schema when there is one (Confluent's use.latest.version). */
  useLatestSchema?: boolean;
}

export interface RowSerde {
  /** Column values in column order; null for a null record (tombstone); throws SerdeError. */
  deserialize(data: Buffer | null): unknown[] | null;
  /** Bytes for the column values; null values (or an unwrapped null) give null bytes. */
  serialize(values: unknown[] | null): Buffer | null;
}
