import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_APIS } from '../../src/broker/apis/index.js';
import { decodeStruct, encodeStruct, type Field, type FieldType, type Msg } from '../../src/broker/protocol/schema.js';
import { Reader } from '../../src/broker/protocol/reader.js';
import { Writer } from '../../src/broker/protocol/writer.js';
import { rng } from '../seeded-random.js';


/** A random value for `t` valid in `version` (null only where the field is nullable). */
function gen(rand: () => number, t: FieldType, field: Field, version: number): unknown {
  const nullable = version >= field.nullableFrom;
  if (typeof t === 'string') {
    const int = (bits: number): number => Math.floor(rand() * 2 ** bits) - 2 ** (bits - 1);
    switch (t) {
      case 'i8': return int(8);
      case 'i16': return int(16);
      case 'i32': return int(32);
      case 'u16': return Math.floor(rand() * 65536);
      case 'i64': return BigInt(int(32)) * 4294967296n + BigInt(Math.floor(rand() * 4294967296));
      case 'f64': return rand() * 1e6;
      case 'bool': return rand() < 0.5;
      case 'uuid': return Buffer.from(Array.from({ length: 16 }, () => Math.floor(rand() * 256)));
      case 'string':
        if (nullable && rand() < 0.2) return null;
        return Array.from({ length: Math.floor(rand() * 12) }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join('') + (rand() < 0.3 ? 'é€' : '');
      case 'bytes': case 'records':
        if (rand() < 0.2) return null;
        return Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256)));
    }
  }
  if (Array.isArray(t)) return genStruct(rand, t, version);
  if (nullable && rand() < 0.2) return null;
  const inner: Field = { ...field, type: t.array, nullableFrom: Number.MAX_SAFE_INTEGER };
  return Array.from({ length: Math.floor(rand() * 4) }, () => gen(rand, t.array, inner, version));
}

function genStruct(rand: () => number, fields: Field[], version: number): Msg {
  const out: Msg = {};
  for (const f of fields) if (version >= f.min && version <= f.max && f.tag === undefined) out[f.name] = gen(rand, f.type, f, version);
  return out;
}

/** Keeps only the fields that exist in `version` (absent ones decode to defaults). */
function present(fields: Field[], msg: Msg, version: number): Msg {
  const out: Msg = {};
  for (const f of fields) {
    if (version < f.min || version > f.max || f.tag !== undefined) continue;
    const v = msg[f.name];
    if (Array.isArray(f.type)) out[f.name] = present(f.type, v, version);
    else if (typeof f.type === 'object' && Array.isArray(f.type.array) && Array.isArray(v)) {
      const inner = f.type.array;
      out[f.name] = v.map((x: Msg) => present(inner, x, version));
    } else out[f.name] = v;
  }
  return out;
}

test('every request and response description round-trips at every advertised version', () => {
  const rand = rng(7);
  for (const api of ALL_APIS) {
    for (let v = api.minVersion; v <= api.maxVersion; v++) {
      const flexible = v >= api.flexibleFrom;
      for (const fields of [api.request, api.response]) {
        for (let i = 0; i < 20; i++) {
          const msg = genStruct(rand, fields, v);
          const w = new Writer();
          encodeStruct(w, fields, msg, v, flexible);
          const r = new Reader(w.result());
          const back = decodeStruct(r, fields, v, flexible);
          assert.equal(r.remaining(), 0, `${api.name} v${v} left bytes`);
          assert.deepEqual(present(fields, back, v), present(fields, msg, v), `${api.name} v${v}`);
        }
      }
    }
  }
});

test('flexible decoding skips unknown tagged fields; truncation is a ProtocolError', () => {
  const api = ALL_APIS.find((a) => a.key === 18)!;
  const w = new Writer();
  w.string('kcat', true).string('1.7.1', true);
  w.uvarint(2).uvarint(5).uvarint(3).raw(Buffer.from([1, 2, 3])).uvarint(9).uvarint(0); // two unknown tags
  const msg = decodeStruct(new Reader(w.result()), api.request, 3, true);
  assert.equal(msg.client_software_name, 'kcat');
  assert.equal(msg.client_software_version, '1.7.1');
  const truncated = w.result().subarray(0, 7);
  assert.throws(() => decodeStruct(new Reader(truncated), api.request, 3, true), /truncated/);
});

test('varints: zigzag and unsigned encodings match Kafka examples', () => {
  const cases: [number, number[]][] = [[0, [0]], [-1, [1]], [1, [2]], [-64, [127]], [64, [128, 1]], [2147483647, [254, 255, 255, 255, 15]], [-2147483648, [255, 255, 255, 255, 15]]];
  for (const [n, bytes] of cases) {
    const w = new Writer();
    w.varint(n);
    assert.deepEqual([...w.result()], bytes, `varint ${n}`);
    assert.equal(new Reader(w.result()).varint(), n);
  }
  for (const n of [0n, -1n, 1n, 1234567890123n, -9223372036854775808n, 9223372036854775807n]) {
    const w = new Writer();
    w.varlong(n);
    assert.equal(new Reader(w.result()).varlong(), n);
  }
  const w = new Writer();
  w.uvarint(300);
  assert.deepEqual([...w.result()], [0xac, 0x02]);
});
