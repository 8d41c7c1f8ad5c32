/**
 * ksqlDB's KAFKA format: a single column written with Kafka's own primitive serializers
 * (big-endian INT 4 bytes, BIGINT 8 bytes, DOUBLE 8 bytes IEEE-754, STRING UTF-8, BYTES raw).
 * A wrong length is an error, as in Kafka's IntegerDeserializer/LongDeserializer/DoubleDeserializer.
 */
import type { SqlType } from '../../common/types.js';
import { SerdeError } from './errors.js';
import type { RowSerde, SerdeColumn, SerdeOptions } from './types.js';

/** Types the KAFKA format can hold (ksqlDB's KafkaSerdeFactory). */
export const KAFKA_TYPES: ReadonlySet<SqlType['kind']> = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES']);

interface Primitive {
  read(data: Buffer): unknown;
  write(v: unknown): Buffer;
}

function sized(data: Buffer, size: number, name: string): void {
  if (data.length !== size) throw new SerdeError(`Size of data received by ${name} is not ${size}`);
}

function wrongType(v: unknown, kind: string): never {
  throw new SerdeError(`Cannot serialize value of JS type ${typeof v} as ${kind}`);
}

const PRIMITIVES: Partial<Record<SqlType['kind'], Primitive>> = {
  INTEGER: {
    read(data) {
      sized(data, 4, 'IntegerDeserializer');
      return data.readInt32BE(0);
    },
    write(v) {
      if (typeof v !== 'number' && typeof v !== 'bigint') wrongType(v, 'INTEGER');
      const b = Buffer.alloc(4);
      b.writeInt32BE(Number(BigInt.asIntN(32, BigInt(typeof v === 'number' ? Math.trunc(v) : v))), 0);
      return b;
    },
  },
  BIGINT: {
    read(data) {
      sized(data, 8, 'LongDeserializer');
      return data.readBigInt64BE(0);
    },
    write(v) {
      if (typeof v !== 'number' && typeof v !== 'bigint') wrongType(v, 'BIGINT');
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt.asIntN(64, typeof v === 'number' ? BigInt(Math.trunc(v)) : v), 0);
      return b;
    },
  },
  DOUBLE: {
    read(data) {
      sized(data, 8, 'DoubleDeserializer');
      return data.readDoubleBE(0);
    },
    write(v) {
      if (typeof v !== 'number') wrongType(v, 'DOUBLE');
      const b = Buffer.alloc(8);
      b.writeDoubleBE(v, 0);
      return b;
    },
  },
  STRING: {
    read: (data) => data.toString('utf8'),
    write: (v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : wrongType(v, 'STRING')),
  },
  BYTES: {
    read: (data) => Buffer.from(data),
    write: (v) => (Buffer.isBuffer(v) ? Buffer.from(v) : wrongType(v, 'BYTES')),
  },
};

export function createKafkaSerde(columns: readonly SerdeColumn[], opts: SerdeOptions): RowSerde {
  if (columns.length !== 1) throw new SerdeError(`The 'KAFKA' format only supports a single field. Got: ${columns.length} columns`);
  const type = columns[0]!.type;
  const prim = PRIMITIVES[type.kind];
  if (!prim) throw new SerdeError(`The 'KAFKA' format does not support type '${type.kind}'`);
  const where = opts.topic === undefined ? '' : ` from topic: ${opts.topic}`;
  return {
    deserialize(data) {
      if (data === null) return null;
      try {
        return [prim.read(data)];
      } catch (e) {
        throw new SerdeError(`Error deserializing KAFKA message${where}: ${(e as Error).message}`, { cause: e });
      }
    },
    serialize(values) {
      if (values === null) return null;
      if (values.length !== 1) throw new SerdeError(`Column count mismatch on serialization. expected: 1, got: ${values.length}`);
      const v = values[0];
      return v === null || v === undefined ? null : prim.write(v);
    },
  };
}

/** Codec for the raw primitive, used by the qtt test-data codec. */
export function kafkaPrimitive(type: SqlType): Primitive | undefined {
  return PRIMITIVES[type.kind];
}
