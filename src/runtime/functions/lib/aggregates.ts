/**
 * ksqlDB's aggregate functions (UDAFs), registered family by family. Each aggregate's
 * accumulator is made of runtime values so it can live in a state store; `undo` is provided
 * where ksqlDB allows the aggregate over a table, `merge` for session windows.
 */
import type { Registry } from '../registry.js';
import { registerCollectAggregates } from './aggregates-collect.js';
import { registerCountDistinct } from './aggregates-count-distinct.js';
import { registerNumericAggregates } from './aggregates-numeric.js';
import { registerOffsetAggregates } from './aggregates-offset.js';
import { registerRankingAggregates } from './aggregates-ranking.js';
import { registerStatAggregates } from './aggregates-stats.js';

export function registerAggregates(reg: Registry): void {
  registerNumericAggregates(reg);
  registerStatAggregates(reg);
  registerRankingAggregates(reg);
  registerCollectAggregates(reg);
  registerOffsetAggregates(reg);
  registerCountDistinct(reg);
}
