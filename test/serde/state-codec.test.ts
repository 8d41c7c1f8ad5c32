import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from '../../src/common/decimal.js';
import { decodeState, encodeKey, encodeState, keyPrefixRange } from '../../src/runtime/serde/state-codec.js';
import { SerdeError } from '../../src/runtime/serde/index.js';

test('state values round trip with their classes', () => {
  const values: unknown[] = [
    null,
    true,
    0,
    -1.5,
    NaN,
    123n,
    -(2n ** 63n),
    'text',
    Buffer.from([0, 1, 255]),
    new Decimal('-12.3400'),
    [1, [2n, null], { a: new Decimal('1') }],
    new Map<unknown, unknown>([
      ['k', [Buffer.from('x')]],
      [7n, new Map([['n', null]])],
    ]),
    { nested: { buf: Buffer.alloc(0), list: [new Decimal('0.001')] } },
  ];
  for (const v of values) {
    const back = decodeState(encodeState(v));
    assert.deepEqual(back, v);
  }
  assert.ok(Buffer.isBuffer(decodeState(encodeState(Buffer.from('ab')))));
  assert.ok(decodeState(encodeState(new Decimal('2.5'))) instanceof Decimal);
  assert.throws(() => decodeState(Buffer.from([1, 2, 3])), SerdeError);
});

test('keys order like their values, column by column', () => {
  const ordered: unknown[][] = [
    [null],
    [false],
    [true],
    [-Infinity],
    [-1e300],
    [-10n],
    [new Decimal('-9.5')],
    [-1],
    [-0.001],
    [0],
    [0.001],
    [1n],
    [new Decimal('1.5')],
    [2],
    [10],
    [9223372036854775807n],
    [1e300],
    [Infinity],
    [NaN],
    [''],
    ['a'],
    ['a\u0000'],
    ['ab'],
    ['b'],
    [Buffer.from([0])],
    [Buffer.from([0, 0])],
    [Buffer.from([1])],
  ];
  for (let i = 1; i < ordered.length; i++) {
    const a = encodeKey(ordered[i - 1]!);
    const b = encodeKey(ordered[i]!);
    assert.equal(Buffer.compare(a, b), -1, `${String(ordered[i - 1]![0])} < ${String(ordered[i]![0])}`);
  }
  // equal numbers of different JS types encode alike
  assert.deepEqual(encodeKey([1n]), encodeKey([1]));
  assert.deepEqual(encodeKey([new Decimal('1.50')]), encodeKey([1.5]));
});

test('tuple prefixes are byte prefixes; prefix ranges cover exactly the tuples that extend them', () => {
  const full = encodeKey(['user', 5n, 1000]);
  const prefix = encodeKey(['user', 5n]);
  assert.deepEqual(full.subarray(0, prefix.length), prefix);
  const { gte, lt } = keyPrefixRange(['user', 5n]);
  const inside = [encodeKey(['user', 5n]), encodeKey(['user', 5n, -1]), encodeKey(['user', 5n, 'z', [1]])];
  const outside = [encodeKey(['user', 4n, 0]), encodeKey(['user', 6n]), encodeKey(['user']), encodeKey(['users', 5n])];
  for (const k of inside) assert.ok(Buffer.compare(k, gte) >= 0 && Buffer.compare(k, lt) < 0);
  for (const k of outside) assert.ok(Buffer.compare(k, gte) < 0 || Buffer.compare(k, lt) >= 0);
});

test('(key, window start) keys scan windows in start order', () => {
  const starts = [-5000, 0, 1000, 30000, 1_700_000_000_000];
  const keys = starts.map((s) => encodeKey([['k1', 2], s]));
  const sorted = [...keys].sort(Buffer.compare);
  assert.deepEqual(sorted, keys);
  assert.ok(Buffer.compare(encodeKey([['k1', 2], 1e15]), encodeKey([['k1', 3], -1e15])) < 0);
});
