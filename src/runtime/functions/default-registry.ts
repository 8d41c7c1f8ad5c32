/**
 * The registry holding ksqlDB's built-in function library, built once per process.
 */
import { BUILT_IN_AUTHOR } from './describe.js';
import { registerAggregates } from './lib/aggregates.js';
import { registerCollections } from './lib/collections.js';
import { registerConversions } from './lib/conversions.js';
import { registerDateTime } from './lib/datetime.js';
import { registerJson } from './lib/json.js';
import { registerMath } from './lib/math.js';
import { registerStrings } from './lib/strings.js';
import { registerTableFunctions } from './lib/table-functions.js';
import { registerUrl } from './lib/url.js';
import { Registry } from './registry.js';

let instance: Registry | undefined;

/** A fresh registry with every built-in function (use when functions will be added to it). */
export function buildDefaultRegistry(): Registry {
  const reg = new Registry({ defaultAuthor: BUILT_IN_AUTHOR });
  registerStrings(reg);
  registerConversions(reg);
  registerUrl(reg);
  registerJson(reg);
  registerMath(reg);
  registerDateTime(reg);
  registerCollections(reg);
  registerTableFunctions(reg);
  registerAggregates(reg);
  return reg;
}

/** The shared default registry (built on first use and reused). */
export function createDefaultRegistry(): Registry {
  instance ??= buildDefaultRegistry();
  return instance;
}
