/**
 * COUNT_DISTINCT: an approximate count of distinct non-null values with HyperLogLog, as ksqlDB
 * does (2^14 registers, standard error below 1%; small counts are exact in practice thanks to
 * linear counting). Mergeable, not undoable.
 *
 * The accumulator is sparse — a Map from register index to its rank — so a group that has seen
 * a few values costs a few entries rather than 16384 registers. Values are hashed with 32-bit
 * MurmurHash3 over a canonical text of the value, so equal values always hash alike.
 */
import type { AggregateImpl } from '../definitions.js';
import type { Registry } from '../registry.js';
import { valueKey } from './values.js';

const LOG2M = 14;
const M = 1 << LOG2M;
const ALPHA_MM = (0.7213 / (1 + 1.079 / M)) * M * M;
const TWO_32 = 2 ** 32;

/** MurmurHash3 (x86, 32-bit) of a UTF-8 string. */
export function murmur3(text: string, seed = 0): number {
  const data = Buffer.from(text, 'utf8');
  let h = seed >>> 0;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const blocks = data.length >> 2;
  for (let i = 0; i < blocks; i++) {
    let k = data.readUInt32LE(i * 4);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  const rest = data.length & 3;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) k ^= data[tail + 2]! << 16;
    if (rest >= 2) k ^= data[tail + 1]! << 8;
    k ^= data[tail]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= data.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function canonical(v: unknown): string {
  const k = valueKey(v);
  return typeof k === 'string' ? `s:${k}` : `${typeof k}:${String(k)}`;
}

type Registers = Map<number, number>;

function offer(regs: Registers, v: unknown): Registers {
  const x = murmur3(canonical(v));
  const j = x >>> (32 - LOG2M);
  // leading zeros of the remaining bits, plus one (a sentinel bit bounds the run)
  const r = Math.clz32(((x << LOG2M) | (1 << (LOG2M - 1))) >>> 0) + 1;
  if ((regs.get(j) ?? 0) >= r) return regs;
  const out = new Map(regs);
  out.set(j, r);
  return out;
}

/** The HyperLogLog estimate with the usual small- and large-range corrections. */
export function cardinality(regs: Registers): bigint {
  const zeros = M - regs.size;
  let sum = zeros;
  for (const r of regs.values()) sum += 2 ** -r;
  const estimate = ALPHA_MM / sum;
  if (estimate <= 2.5 * M) {
    return BigInt(Math.round(zeros === 0 ? estimate : M * Math.log(M / zeros)));
  }
  if (estimate <= TWO_32 / 30) return BigInt(Math.round(estimate));
  return BigInt(Math.round(-TWO_32 * Math.log(1 - estimate / TWO_32)));
}

function countDistinct(): AggregateImpl {
  return {
    // ksqlDB declares its register list as ARRAY<INTEGER>
    intermediateType: { kind: 'ARRAY', element: { kind: 'INTEGER' } },
    init: () => new Map(),
    add: (acc, [v]) => (v === null || v === undefined ? acc : offer(acc as Registers, v)),
    merge: (a, b) => {
      const out = new Map(a as Registers);
      for (const [j, r] of b as Registers) if ((out.get(j) ?? 0) < r) out.set(j, r);
      return out;
    },
    result: (acc) => cardinality(acc as Registers),
  };
}

export function registerCountDistinct(reg: Registry): void {
  reg.registerAggregate({
    name: 'COUNT_DISTINCT',
    category: 'AGGREGATE',
    description:
      'This function returns the number of items found in a group. The implementation is probabilistic with a typical accuracy (standard error) of less than 1%.',
    overloads: [{ sig: 'T -> BIGINT', params: ['col'], description: 'Count distinct', create: countDistinct }],
  });
}
