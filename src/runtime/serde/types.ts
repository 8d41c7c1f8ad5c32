/** Shared shapes of the serde layer (re-exported from index.ts). */
import type { SqlType } from '../../common/types.js';

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
  /** Topic name, only used in error messages. */
  topic?: string;
}

export interface RowSerde {
  /** Column values in column order; null for a null record (tombstone); throws SerdeError. */
  deserialize(data: Buffer | null): unknown[] | null;
  /** Bytes for the column values; null values (or an unwrapped null) give null bytes. */
  serialize(values: unknown[] | null): Buffer | null;
}
