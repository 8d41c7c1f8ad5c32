/**
 * Table functions (UDTFs): EXPLODE and CUBE_EXPLODE. Each returns the rows to emit for one input.
 */
import type { Registry } from '../registry.js';

/**
 * Every combination of the columns set or nulled (grouping sets), in ksqlDB's order: the first
 * column is the most significant bit. A combination that would "set" a null column duplicates
 * the one with it nulled, so it is skipped.
 */
export function cube(values: unknown[]): unknown[][] {
  const n = values.length;
  const out: unknown[][] = [];
  const total = 2 ** n;
  for (let mask = 0; mask < total; mask++) {
    const row: unknown[] = new Array(n);
    let dup = false;
    for (let j = 0; j < n; j++) {
      const set = (mask >> (n - 1 - j)) & 1;
      if (set) {
        if (values[j] === null) {
          dup = true;
          break;
        }
        row[j] = values[j];
      } else row[j] = null;
    }
    if (!dup) out.push(row);
  }
  return out;
}

export function registerTableFunctions(reg: Registry): void {
  reg.registerTable({
    name: 'explode',
    category: 'TABLE',
    description: 'Emits one row per element of an array; nothing for a null or empty array.',
    overloads: [{ sig: 'ARRAY<T> -> T', params: ['input'], impl: (a: unknown[] | null) => a }],
  });
  reg.registerTable({
    name: 'cube_explode',
    category: 'TABLE',
    description: 'Emits every combination of the array elements with some of them replaced by null (grouping sets).',
    overloads: [{ sig: 'ARRAY<T> -> ARRAY<T>', params: ['input'], impl: (a: unknown[] | null) => (a === null ? null : cube(a)) }],
  });
}
