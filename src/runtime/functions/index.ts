/**
 * Public surface of the function library, for the planner, the runtime and the REST layer.
 */
export { createDefaultRegistry, buildDefaultRegistry } from './default-registry.js';
export { Registry, type RegistryOptions } from './registry.js';
export type {
  AggregateContext,
  AggregateDefinition,
  AggregateImpl,
  AggregateOverload,
  ResolveContext,
  ReturnTypeProvider,
  ScalarDefinition,
  ScalarOverload,
  TableDefinition,
  TableOverload,
} from './definitions.js';
export { describeFunctionEntity, functionNamesEntity, FunctionCategory, BUILT_IN_AUTHOR } from './describe.js';
export { registerKsqlTestFunctions } from './lib/ksql-test-functions.js';
/** Java DateTimeFormatter patterns and zones, reusable for TIMESTAMP_FORMAT in WITH clauses. */
export { javaFormatter, parseInstant } from './lib/java-time-format.js';
export { zoneOf, offsetAt, localToInstant, type Zone } from './lib/zones.js';
/** java.util.regex patterns (LIKE and friends may want the same dialect). */
export { compileJavaRegex } from './lib/java-regex.js';
export * from './types.js';
