import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from '../../src/runtime/functions/registry.js';
import { FunctionResolutionError, type ArgInfo } from '../../src/runtime/functions/types.js';
import type { SqlType } from '../../src/common/types.js';
import { args, reg, T } from './helpers.js';

function probe(): Registry {
  const r = new Registry();
  r.registerScalar({
    name: 'probe',
    category: 'TEST',
    description: 'overloads that tell which one was chosen',
    overloads: [
      { sig: 'INTEGER -> STRING', impl: () => 'int' },
      { sig: 'BIGINT -> STRING', impl: () => 'bigint' },
      { sig: 'STRING, INTEGER... -> STRING', impl: () => 'varint' },
      { sig: 'STRING, INTEGER -> STRING', impl: () => 'fixed' },
      { sig: 'ARRAY<T>, T -> T', impl: () => 'generic' },
      { sig: 'DOUBLE, DOUBLE -> STRING', impl: () => 'dd' },
    ],
  });
  r.registerScalar({
    name: 'widen',
    category: 'TEST',
    description: 'only wide overloads',
    overloads: [
      { sig: 'DOUBLE -> STRING', impl: () => 'double' },
      { sig: 'DECIMAL -> STRING', impl: () => 'decimal' },
    ],
  });
  return r;
}

const pick = (r: Registry, name: string, a: ArgInfo[]): unknown => r.resolveScalar(name, a, {}).impl();

describe('overload resolution', () => {
  it('prefers an exact match over a widening one', () => {
    const r = probe();
    assert.equal(pick(r, 'probe', args(T.INT)), 'int');
    assert.equal(pick(r, 'probe', args(T.BIGINT)), 'bigint');
  });

  it('prefers a fixed-arity overload over a variadic one, and variadics take any count', () => {
    const r = probe();
    assert.equal(pick(r, 'probe', args(T.STRING, T.INT)), 'fixed');
    assert.equal(pick(r, 'probe', args(T.STRING)), 'varint');
    assert.equal(pick(r, 'probe', args(T.STRING, T.INT, T.INT, T.INT)), 'varint');
  });

  it('widens INTEGER and BIGINT when no exact overload exists, and reports the cast types', () => {
    const r = probe();
    const res = r.resolveScalar('probe', args(T.INT, T.BIGINT), {});
    assert.equal(res.impl(), 'dd');
    assert.deepEqual(res.argTypes, [T.DOUBLE, T.DOUBLE]);
  });

  it('reports ambiguity in ksqlDB words when several widenings tie', () => {
    const r = probe();
    assert.throws(() => r.resolveScalar('widen', args(T.INT), {}), (e: Error) => {
      assert.ok(e instanceof FunctionResolutionError);
      assert.match(e.message, /^Function 'widen' cannot be resolved due to ambiguous method parameters \(INTEGER\)\./);
      return true;
    });
    // DECIMAL(10,0) is the INTEGER widening target for DECIMAL parameters
    assert.equal(pick(r, 'widen', args(T.dec(5, 2))), 'decimal');
  });

  it('binds generics by unification and rejects conflicting bindings', () => {
    const r = probe();
    const res = r.resolveScalar('probe', args(T.arr(T.STRING), T.STRING), {});
    assert.equal(res.impl(), 'generic');
    assert.deepEqual(res.returnType, T.STRING);
    assert.throws(() => r.resolveScalar('probe', args(T.arr(T.STRING), T.INT), {}), /does not accept parameters \(ARRAY<STRING>, INTEGER\)/);
  });

  it('lets untyped NULL match any parameter and types it from the bound generics', () => {
    const res = reg.resolveScalar('ARRAY_CONTAINS', [{ type: T.arr(T.BIGINT) }, { type: null }], {});
    assert.deepEqual(res.argTypes, [T.arr(T.BIGINT), T.BIGINT]);
    assert.throws(() => reg.resolveScalar('least', args(null, null, null, null), {}), /ambiguous method parameters \(null, null, null, null\)/);
  });

  it('uses ksqlDB messages for unknown functions and wrong parameters', () => {
    assert.throws(() => reg.resolveScalar('WONT_FIND_ME', args(T.INT), {}), { message: "Can't find any functions with the name 'WONT_FIND_ME'" });
    assert.throws(() => reg.resolveScalar('dateadd', [{ type: T.DATE }, { type: T.INT }, { type: T.DATE }], {}), (e: Error) =>
      e.message.startsWith("Function 'dateadd' does not accept parameters (DATE, INTEGER, DATE).\nValid alternatives are:\ndateadd(INTERVALUNIT unit, INTEGER interval, DATE date)"),
    );
    assert.throws(() => reg.resolveScalar('least', args(T.STRING, T.INT), {}), /: Function 'least' does not accept parameters \(STRING, INTEGER\)\./);
    assert.throws(() => reg.resolveScalar('greatest', args(T.INT, T.BIGINT, T.dec(50, 30)), {}), /ambiguous method parameters \(INTEGER, BIGINT, DECIMAL\(50, 30\)\)/);
    assert.throws(() => reg.resolveScalar('geo_distance', args(T.DOUBLE, T.DOUBLE, T.STRING, T.INT), {}), /: Function 'geo_distance' does not accept parameters/);
  });

  it('types lambdas from the bound generics and binds the body type', () => {
    const seen: SqlType[][] = [];
    const lambda = (arity: number, body: (p: SqlType[]) => SqlType): ArgInfo => ({
      type: null,
      lambda: {
        arity,
        typeBody: (p) => {
          seen.push(p);
          return body(p);
        },
      },
    });
    const res = reg.resolveScalar('transform', [{ type: T.arr(T.INT) }, lambda(1, () => T.STRING)], {});
    assert.deepEqual(res.returnType, T.arr(T.STRING));
    assert.deepEqual(seen[0], [T.INT]);
    assert.deepEqual(res.impl([1, 2], (x: number) => `v${x}`), ['v1', 'v2']);

    const m = reg.resolveScalar('transform', [{ type: T.map(T.STRING, T.INT) }, lambda(2, (p) => p[1]!), lambda(2, () => T.BOOLEAN)], {});
    assert.deepEqual(m.returnType, T.map(T.INT, T.BOOLEAN));

    const red = reg.resolveScalar('reduce', [{ type: T.arr(T.INT) }, { type: T.BIGINT }, lambda(2, (p) => p[0]!)], {});
    assert.deepEqual(red.returnType, T.BIGINT);
    // a lambda whose body fails to type surfaces its own error
    assert.throws(() => reg.resolveScalar('filter', [{ type: T.arr(T.INT) }, lambda(1, () => { throw new Error('bad body'); })], {}), /bad body/);
    // a filter lambda must return BOOLEAN
    assert.throws(() => reg.resolveScalar('filter', [{ type: T.arr(T.INT) }, lambda(1, () => T.INT)], {}), /does not accept parameters \(ARRAY<INTEGER>, LAMBDA\)/);
  });

  it('computes DECIMAL result types where ksqlDB defines them', () => {
    assert.deepEqual(reg.resolveScalar('abs', args(T.dec(6, 2)), {}).returnType, T.dec(6, 2));
    assert.deepEqual(reg.resolveScalar('round', args(T.dec(6, 2)), {}).returnType, T.dec(4, 0));
    assert.deepEqual(reg.resolveScalar('round', args(T.dec(6, 2), T.INT), {}).returnType, T.dec(6, 2));
    assert.deepEqual(reg.resolveScalar('greatest', args(T.dec(6, 2), T.dec(5, 3)), {}).returnType, T.dec(7, 3));
  });

  it('accepts interval units only where declared', () => {
    const res = reg.resolveScalar('timestampadd', [{ type: null, intervalUnit: 'SECONDS' }, { type: T.INT }, { type: T.TIMESTAMP }], {});
    assert.deepEqual(res.argTypes.slice(1), [T.BIGINT, T.TIMESTAMP]);
    assert.equal(res.impl('SECONDS', 5n, 1000), 6000);
    assert.throws(() => reg.resolveScalar('abs', [{ type: null, intervalUnit: 'SECONDS' }], {}), /does not accept/);
  });

  it('knows function kinds and is case-insensitive', () => {
    assert.ok(reg.exists('Substring'));
    assert.ok(reg.isTableFunction('EXPLODE'));
    assert.ok(reg.isAggregate('count'));
    assert.ok(!reg.isAggregate('abs'));
    assert.throws(() => reg.resolveScalar('explode', args(T.arr(T.INT)), {}), /is a table function/);
  });

  it('rejects bad definitions at registration', () => {
    const r = new Registry();
    assert.throws(() => r.registerScalar({ name: 'x', category: 'T', description: '', overloads: [{ sig: 'INTEGER -> DECIMAL', impl: () => 1 }] }), /needs a 'returns' provider/);
    assert.throws(() => r.registerScalar({ name: 'x', category: 'T', description: '', overloads: [{ sig: 'INTEGER -> T', impl: () => 1 }] }), /not bound/);
    assert.throws(() => r.registerScalar({ name: 'x', category: 'T', description: '', overloads: [{ sig: 'WIBBLE -> INTEGER', impl: () => 1 }] }), /Unknown type/);
    assert.throws(() => r.registerScalar({ name: 'y', category: 'T', description: '', overloads: [{ sig: 'INT -> INTEGER', impl: () => 1 }, { sig: 'INTEGER -> BIGINT', impl: () => 1 }] }), /same name and parameter types/);
    r.registerScalar({ name: 'x', category: 'T', description: '', overloads: [{ sig: '-> INTEGER', impl: () => 1 }] });
    assert.throws(() => r.registerScalar({ name: 'X', category: 'T', description: '', overloads: [{ sig: '-> INTEGER', impl: () => 1 }] }), /already registered/);
  });
});

describe('describe / list', () => {
  it('lists every function with kind, category and overload signatures', () => {
    const all = reg.list();
    assert.ok(all.length > 100);
    const names = all.map((f) => f.name);
    assert.deepEqual(names, [...names].sort());
    const sub = reg.describe('substring')!;
    assert.equal(sub.kind, 'SCALAR');
    assert.equal(sub.category, 'STRING');
    assert.ok(sub.overloads.some((o) => o.signature === 'SUBSTRING(STRING, INTEGER, INTEGER)' && o.returns === 'STRING' && o.args[2]!.name === 'len'));
    assert.equal(reg.describe('explode')!.kind, 'TABLE');
    assert.equal(reg.describe('count')!.kind, 'AGGREGATE');
    assert.equal(reg.describe('nope'), undefined);
    for (const f of all) assert.ok(f.description.length > 0, `${f.name} has a description`);
  });
});

describe('SHOW FUNCTIONS / DESCRIBE FUNCTION entities', () => {
  it('builds function_names with ksqlDB categories', async () => {
    const { functionNamesEntity, FunctionCategory } = await import('../../src/runtime/functions/describe.js');
    const e = functionNamesEntity(reg, 'SHOW FUNCTIONS;');
    assert.equal(e['@type'], 'function_names');
    const known = new Set<string>(Object.values(FunctionCategory));
    for (const f of e.functions) assert.ok(known.has(f.category), `${f.name}: ${f.category}`);
    assert.deepEqual(e.functions.find((f) => f.name === 'EXPLODE'), { name: 'EXPLODE', type: 'TABLE', category: 'TABLE' });
  });
  it('builds describe_function with variadic arguments by element type', async () => {
    const { describeFunctionEntity } = await import('../../src/runtime/functions/describe.js');
    const e = describeFunctionEntity(reg.describe('concat_ws')!, 'DESCRIBE FUNCTION concat_ws;');
    assert.equal(e.name, 'CONCAT_WS');
    assert.equal(e.author, 'Confluent');
    assert.equal(e.type, 'SCALAR');
    assert.deepEqual(e.functions[0]!.arguments, [{ name: '', type: 'STRING', description: '', isVariadic: true }]);
    assert.equal(e.functions[0]!.returnType, 'STRING');
    const sub = describeFunctionEntity(reg.describe('substring')!, '');
    assert.deepEqual(sub.functions[1]!.argumentTypes, ['STRING', 'INTEGER', 'INTEGER']);
    assert.equal(sub.functions[1]!.arguments[1]!.name, 'pos');
  });
});
