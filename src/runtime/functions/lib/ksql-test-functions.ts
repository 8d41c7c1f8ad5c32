/**
 * The fixture functions ksqlDB's own conformance tests load from their test classpath
 * (TEST_UDF, BAD_UDF, TOSTRUCT, TEST_UDTF, THROWING_UDTF). They are NOT part of the default
 * library: a conformance runner opts in with registerKsqlTestFunctions(registry) on a registry
 * from buildDefaultRegistry(), so those cases can run at all.
 */
import type { SqlType } from '../../../common/types.js';
import type { Registry } from '../registry.js';
import { valueToText } from './values.js';

const CAT = 'TEST';

function notNull<T>(v: T | null, what: string): T {
  // the Java fixtures take primitives, so a null argument fails the call
  if (v === null || v === undefined) throw new Error(`null passed to primitive ${what} parameter`);
  return v;
}

export function registerKsqlTestFunctions(reg: Registry): void {
  reg.registerScalar({
    name: 'test_udf',
    category: CAT,
    description: 'test: returns the name of the overload that was chosen',
    overloads: [
      { sig: 'INTEGER, STRING -> STRING', impl: () => 'doStuffIntString' },
      { sig: 'BIGINT, STRING -> STRING', impl: () => 'doStuffLongString' },
      { sig: 'BIGINT, BIGINT, STRING -> STRING', impl: () => 'doStuffLongLongString' },
      { sig: 'BIGINT... -> STRING', impl: () => 'doStuffLongVarargs' },
      { sig: 'STRUCT<A STRING> -> STRING', impl: (s: Record<string, unknown> | null) => (notNull(s, 'struct').A ?? null) },
      { sig: '-> STRUCT<A STRING>', impl: () => ({ A: 'foo' }) },
    ],
  });
  reg.registerScalar({
    name: 'bad_udf',
    category: CAT,
    description: 'test: throws exceptions when called',
    overloads: [
      {
        sig: 'INTEGER -> STRING',
        impl: () => {
          throw new Error('boom!');
        },
      },
      {
        sig: 'BOOLEAN -> INTEGER',
        impl: (b: boolean | null) => {
          if (notNull(b, 'boolean')) throw new Error('You asked me to throw...');
          return 0;
        },
      },
      {
        sig: 'STRING -> STRING',
        make: () => {
          let i = 0;
          return (s: string | null) => (i++ % 2 === 0 ? null : s);
        },
      },
    ],
  });
  reg.registerScalar({
    name: 'tostruct',
    category: CAT,
    description: 'test: wraps a string with a struct',
    overloads: [{ sig: 'STRING -> STRUCT<A STRING>', impl: (s: string | null) => ({ A: s }) }],
  });

  const texts = (ctx: { argTypes: SqlType[] }, pickOne: (v: unknown) => unknown) => {
    const elementType = (t: SqlType): SqlType => (t.kind === 'ARRAY' ? t.element : t.kind === 'MAP' ? t.value : t);
    const types = ctx.argTypes.map(elementType);
    return (...vals: unknown[]) => vals.map((v, i) => valueToText(pickOne(notNull(v, 'udtf')), types[i]));
  };
  const seven = (f: (t: string) => string): string => ['INTEGER', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'STRING', 'DECIMAL', 'STRUCT<A STRING>'].map(f).join(', ');
  reg.registerTable({
    name: 'test_udtf',
    category: CAT,
    description: 'test: emits its arguments as strings, or its single argument',
    overloads: [
      { sig: `${seven((t) => t)} -> STRING`, make: (ctx) => texts(ctx, (v) => v) },
      { sig: `${seven((t) => `ARRAY<${t}>`)} -> STRING`, make: (ctx) => texts(ctx, (v) => (v as unknown[])[0]) },
      { sig: `${seven((t) => `MAP<STRING, ${t}>`)} -> STRING`, make: (ctx) => texts(ctx, (v) => (v as Map<unknown, unknown>).values().next().value) },
      {
        sig: 'MAP<BIGINT, INTEGER>, MAP<STRING, BIGINT>, MAP<STRING, DOUBLE>, MAP<STRING, BOOLEAN>, MAP<STRING, STRING>, MAP<STRING, DECIMAL>, MAP<STRING, STRUCT<A STRING>> -> STRING',
        make: (ctx) => texts(ctx, (v) => (v as Map<unknown, unknown>).values().next().value),
      },
      { sig: 'INTEGER -> INTEGER', impl: (v: number | null) => [notNull(v, 'int')] },
      { sig: 'BIGINT -> BIGINT', impl: (v: bigint | null) => [notNull(v, 'long')] },
      { sig: 'DOUBLE -> DOUBLE', impl: (v: number | null) => [notNull(v, 'double')] },
      { sig: 'BOOLEAN -> BOOLEAN', impl: (v: boolean | null) => [notNull(v, 'boolean')] },
      { sig: 'STRING -> STRING', impl: (v: string | null) => [v] },
      { sig: 'DECIMAL -> DECIMAL', returns: () => ({ kind: 'DECIMAL', precision: 30, scale: 10 }), impl: (v: unknown) => [v] },
      { sig: 'STRUCT<A STRING> -> STRUCT<A STRING>', impl: (v: unknown) => [v] },
    ],
  });
  reg.registerTable({
    name: 'throwing_udtf',
    category: CAT,
    description: 'test: throws if the parameter is true',
    overloads: [
      {
        sig: 'BOOLEAN -> BOOLEAN',
        impl: (b: boolean | null) => {
          if (notNull(b, 'boolean')) throw new Error('You asked me to throw...');
          return [b];
        },
      },
    ],
  });
}
