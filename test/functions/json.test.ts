import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal } from '../../src/common/decimal.js';
import { call, fn, reg, T } from './helpers.js';

describe('json functions', () => {
  it('EXTRACTJSONFIELD keeps number text and returns null for missing paths', () => {
    assert.equal(fn('extractjsonfield', '{"array": [1.23450]}', '$.array[0]'), '1.23450');
    // '-' is not a subscript character for ksqlDB: an invalid path fails the call (null in the output)
    assert.throws(() => fn('extractjsonfield', '{"array": [1, 2, 3]}', '$.array[-1]'), /Invalid JSON path/);
    assert.equal(fn('extractjsonfield', '{"array": [1, 2, 3]}', '$.array[7]'), null);
    assert.equal(fn('extractjsonfield', '{"a": {"b": "x"}}', '$.a.b'), 'x');
    assert.equal(fn('extractjsonfield', '{"a": {"b": [1, {"c": true}]}}', '$.a["b"]'), '[1,{"c":true}]');
    assert.equal(fn('extractjsonfield', '{"a b": {"q\\"": 5}}', '$["a b"]["q\\""]'), '5');
    assert.equal(fn('extractjsonfield', '{"a": [1]}', '$.a[x]'), null);
    assert.equal(fn('extractjsonfield', '{"a": {"x": 2}}', '$.a[x]'), '2');
    assert.equal(fn('extractjsonfield', '{"a": 1}', '$'), '{"a":1}');
    for (const bad of ['a.b', '$.', "$['a']", '$.a[', '$x']) assert.throws(() => fn('extractjsonfield', '{}', bad), /Invalid JSON path/, bad);
    assert.equal(fn('extractjsonfield', 'not json', '$.a'), null);
    assert.equal(fn('extractjsonfield', '{"a": null}', '$.a'), 'null');
  });
  it('JSON_ARRAY_CONTAINS / JSON_ARRAY_LENGTH / JSON_KEYS / JSON_ITEMS / JSON_RECORDS', () => {
    assert.equal(fn('json_array_contains', '["Pink", null]', 'Pink'), true);
    assert.equal(fn('json_array_contains', '[1, 2]', 2), true);
    assert.equal(fn('json_array_contains', '[1.5]', 1), false);
    assert.equal(fn('json_array_contains', '[1.5]', 1.5), true);
    assert.equal(call('json_array_contains', [T.STRING, T.DOUBLE], '[2]', 2), false);
    assert.equal(fn('json_array_contains', '[2]', 2n), true);
    assert.equal(fn('json_array_contains', '[[2], {"a": 2}, "2"]', 2), false);
    assert.equal(fn('json_array_contains', '{"a": 2}', 2), false);
    assert.equal(call('json_array_contains', [T.STRING, T.STRING], null, 'x'), false);
    assert.equal(fn('json_array_length', '["a", "b"]'), 2);
    assert.equal(fn('json_array_length', ''), null);
    assert.deepEqual(fn('json_keys', '{"b": 1, "5": 2, "a": 3}'), ['b', '5', 'a']);
    assert.equal(fn('json_keys', '[1]'), null);
    assert.deepEqual(fn('json_items', '[{"type": "A"}, 2]'), ['{"type":"A"}', '2']);
    assert.deepEqual(fn('json_records', '{"Red": 3, "White": "Seven", "x": {"y": 1}}'), new Map([['Red', '3'], ['White', 'Seven'], ['x', '{"y":1}']]));
    assert.equal(fn('json_records', ''), null);
    assert.equal(fn('is_json_string', '{"a":1}'), true);
    assert.equal(fn('is_json_string', '{a:1}'), false);
    assert.equal(fn('is_json_string', ''), false);
    assert.equal(fn('is_json_string', '  '), false);
    // like Jackson's readTree, text after a complete value is ignored
    assert.equal(fn('is_json_string', '[1] x'), true);
  });
  it('JSON_CONCAT merges objects and concatenates arrays', () => {
    const c = (...xs: string[]) => call('json_concat', xs.map(() => T.STRING), ...xs);
    assert.equal(c('{"a": 1}', '{"b": 2}'), '{"a":1,"b":2}');
    assert.equal(c('{"a": {"5": 6}}', '{"a": {"3": 4}}'), '{"a":{"3":4}}');
    assert.equal(c('[1, 2]', '[3, 4]'), '[1,2,3,4]');
    assert.equal(c('null', 'null'), '[null,null]');
    assert.equal(c('[1, 2]', '{"a": 1}'), '[1,2,{"a":1}]');
    assert.equal(c('[1, [2]]', '[[[3]], [[[4]]]]'), '[1,[2],[[3]],[[[4]]]]');
    assert.equal(c('{', '[]'), null);
    assert.equal(c('1'), '1');
  });
  it('TO_JSON_STRING serialises by SQL type', () => {
    const j = (t: typeof T.INT, v: unknown) => reg.resolveScalar('to_json_string', [{ type: t }], {}).impl(v);
    assert.equal(j(T.INT, 1), '1');
    assert.equal(j(T.INT, null), 'null');
    assert.equal(j(T.DATE, 1000), '"1972-09-27"');
    assert.equal(j(T.TIMESTAMP, 60220000000), '"1971-11-28T23:46:40.000"');
    assert.equal(j(T.TIME, 0), '"00:00"');
    assert.equal(j(T.TIME, 65123), '"00:01:05"');
    assert.equal(j(T.DOUBLE, 1), '1.0');
    assert.equal(j(T.dec(4, 2), new Decimal('1.5')), '1.50');
    assert.equal(j(T.BYTES, Buffer.from('hi')), '"aGk="');
    assert.equal(j(T.arr(T.INT), [1, 2, 3]), '[1,2,3]');
    assert.equal(j(T.map(T.STRING, T.BIGINT), new Map([['k', 5n], ['a', null]])), '{"a":null,"k":5}');
    assert.equal(j({ kind: 'STRUCT', fields: [{ name: 'id', type: T.arr(T.INT) }, { name: 'S', type: T.STRING }] }, { id: [1, 2, 3], S: 'q"' }), '{"S":"q\\"","id":[1,2,3]}');
  });
});
