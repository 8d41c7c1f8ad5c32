/** Shorthands for calling functions of the default registry in tests. */
import type { SqlType } from '../../src/common/types.js';
import { createDefaultRegistry } from '../../src/runtime/functions/default-registry.js';
import type { ArgInfo } from '../../src/runtime/functions/types.js';

export const reg = createDefaultRegistry();

export const T = {
  BOOLEAN: { kind: 'BOOLEAN' } as SqlType,
  INT: { kind: 'INTEGER' } as SqlType,
  BIGINT: { kind: 'BIGINT' } as SqlType,
  DOUBLE: { kind: 'DOUBLE' } as SqlType,
  STRING: { kind: 'STRING' } as SqlType,
  BYTES: { kind: 'BYTES' } as SqlType,
  DATE: { kind: 'DATE' } as SqlType,
  TIME: { kind: 'TIME' } as SqlType,
  TIMESTAMP: { kind: 'TIMESTAMP' } as SqlType,
  dec: (precision: number, scale: number): SqlType => ({ kind: 'DECIMAL', precision, scale }),
  arr: (element: SqlType): SqlType => ({ kind: 'ARRAY', element }),
  map: (key: SqlType, value: SqlType): SqlType => ({ kind: 'MAP', key, value }),
};

export const args = (...types: (SqlType | null)[]): ArgInfo[] => types.map((type) => ({ type }));

/** Resolves `name` for the argument types and calls it with the values. */
export function call(name: string, types: (SqlType | null)[], ...values: unknown[]): unknown {
  return reg.resolveScalar(name, args(...types), {}).impl(...values);
}

/** Infers a type from a JS value for quick calls (numbers are INTEGER when integral, else DOUBLE). */
function typeOf(v: unknown): SqlType | null {
  if (v === null) return null;
  if (typeof v === 'string') return T.STRING;
  if (typeof v === 'boolean') return T.BOOLEAN;
  if (typeof v === 'bigint') return T.BIGINT;
  if (typeof v === 'number') return Number.isInteger(v) ? T.INT : T.DOUBLE;
  if (Buffer.isBuffer(v)) return T.BYTES;
  throw new Error('give explicit types');
}

/** Calls with types inferred from the JS values. */
export function fn(name: string, ...values: unknown[]): unknown {
  return call(name, values.map(typeOf), ...values);
}

export const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
