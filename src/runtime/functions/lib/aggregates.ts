/**
 * Aggregate functions. COUNT is the worked example of an AggregateDefinition: the accumulator
 * is a BIGINT (a runtime value, so it can live in a state store); `undo` lets it run over a
 * table, `merge` lets it run in session windows.
 */
import type { AggregateImpl } from '../definitions.js';
import type { Registry } from '../registry.js';

/** COUNT(col) counts non-null values; COUNT(*) (no column arguments) counts rows. */
function counter(countAll: boolean): AggregateImpl {
  return {
    init: () => 0n,
    add: (acc, args) => (countAll || args[0] !== null ? (acc as bigint) + 1n : acc),
    undo: (acc, args) => (countAll || args[0] !== null ? (acc as bigint) - 1n : acc),
    merge: (a, b) => (a as bigint) + (b as bigint),
    result: (acc) => acc,
  };
}

export function registerAggregates(reg: Registry): void {
  reg.registerAggregate({
    name: 'COUNT',
    category: 'AGGREGATE',
    description: 'Counts records: all of them for COUNT(*), those with a non-null value for COUNT(col).',
    overloads: [
      { sig: '-> BIGINT', description: 'counts every record', create: () => counter(true) },
      { sig: 'T -> BIGINT', params: ['col'], description: 'counts records where col is not null', create: () => counter(false) },
    ],
  });
}
