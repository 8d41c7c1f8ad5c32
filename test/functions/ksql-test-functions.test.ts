import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '../../src/common/decimal.js';
import type { SqlType } from '../../src/common/types.js';
import { buildDefaultRegistry } from '../../src/runtime/functions/default-registry.js';
import { registerKsqlTestFunctions } from '../../src/runtime/functions/lib/ksql-test-functions.js';
import { args, reg as defaultReg, T } from './helpers.js';

const reg = buildDefaultRegistry();
registerKsqlTestFunctions(reg);
const S_A: SqlType = { kind: 'STRUCT', fields: [{ name: 'A', type: T.STRING }] };

describe('ksqlDB test fixture functions (opt-in)', () => {
  it('are absent from the default registry', () => {
    assert.equal(defaultReg.exists('test_udf'), false);
    assert.ok(reg.exists('test_udf'));
  });

  it('TEST_UDF picks overloads as ksqlDB does (exact first, fixed arity over varargs, NULL anywhere)', () => {
    const pick = (...types: (typeof T.INT | null)[]) => reg.resolveScalar('test_udf', args(...types), {}).impl(null, null, null);
    assert.equal(pick(T.INT, T.STRING), 'doStuffIntString');
    assert.equal(pick(T.BIGINT, null), 'doStuffLongString');
    assert.equal(pick(T.BIGINT, T.BIGINT, null), 'doStuffLongLongString');
    assert.equal(pick(T.BIGINT, T.BIGINT, T.BIGINT, T.BIGINT), 'doStuffLongVarargs');
    const st = reg.resolveScalar('test_udf', args(S_A), {});
    assert.equal(st.impl({ A: 'expect-result' }), 'expect-result');
    assert.throws(() => reg.resolveScalar('test_udf', args({ kind: 'STRUCT', fields: [{ name: 'B', type: T.STRING }] }), {}), /does not accept parameters \(STRUCT<B STRING>\)/);
    assert.deepEqual(reg.resolveScalar('test_udf', [], {}).returnType, S_A);
  });

  it('TOSTRUCT and BAD_UDF', () => {
    assert.deepEqual(reg.resolveScalar('tostruct', args(T.STRING), {}).impl('a'), { A: 'a' });
    assert.throws(() => reg.resolveScalar('bad_udf', args(T.INT), {}).impl(1), /boom/);
    const every = reg.resolveScalar('bad_udf', args(T.STRING), {});
    assert.deepEqual([every.impl('x'), every.impl('x'), every.impl('x')], [null, 'x', null]);
  });

  it('TEST_UDTF and THROWING_UDTF', () => {
    const simple = reg.resolveTable('test_udtf', args(T.INT, T.BIGINT, T.DOUBLE, T.BOOLEAN, T.STRING, T.dec(13, 10), S_A), {});
    assert.deepEqual(simple.impl(1, 2n, 3.1, true, 'foo', new Decimal('123.456'), { A: 'bar' }), ['1', '2', '3.1', 'true', 'foo', '123.4560000000', 'Struct{A=bar}']);
    const mapped = reg.resolveTable('test_udtf', args(T.map(T.STRING, T.INT), T.map(T.STRING, T.BIGINT), T.map(T.STRING, T.DOUBLE), T.map(T.STRING, T.BOOLEAN), T.map(T.STRING, T.STRING), T.map(T.STRING, T.dec(13, 10)), T.map(T.STRING, S_A)), {});
    const m = (v: unknown) => new Map([['k', v]]);
    assert.deepEqual(mapped.impl(m(1), m(2n), m(3.1), m(true), m('foo'), m(new Decimal('123.456')), m({ A: 'bar' })), ['1', '2', '3.1', 'true', 'foo', '123.4560000000', 'Struct{A=bar}']);
    assert.deepEqual(reg.resolveTable('test_udtf', args(T.INT), {}).impl(10), [10]);
    assert.deepEqual(reg.resolveTable('test_udtf', args(T.dec(5, 2)), {}).returnType, T.dec(30, 10));
    const thr = reg.resolveTable('throwing_udtf', args(T.BOOLEAN), {});
    assert.deepEqual(thr.impl(false), [false]);
    assert.throws(() => thr.impl(true), /You asked me to throw/);
  });
});
