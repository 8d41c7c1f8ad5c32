/**
 * SHOW FUNCTIONS / DESCRIBE FUNCTION: ksqlDB's function categories, and the REST entities
 * (`function_names`, `describe_function`) built from the registry's FunctionDescription.
 */
import type { FunctionDescription, FunctionRegistry } from './types.js';

/** ksqlDB's FunctionCategory texts, as SHOW FUNCTIONS prints them. */
export const FunctionCategory = {
  CONDITIONAL: 'CONDITIONAL',
  MATHEMATICAL: 'MATHEMATICAL',
  STRING: 'STRING',
  REGULAR_EXPRESSION: 'REGULAR EXPRESSION',
  JSON: 'JSON',
  DATE_TIME: 'DATE / TIME',
  ARRAY: 'ARRAY',
  MAP: 'MAP',
  URL: 'URL',
  OTHER: 'OTHER',
  AGGREGATE: 'AGGREGATE',
  TABLE: 'TABLE',
  LAMBDA: 'LAMBDA',
  CONVERSIONS: 'CONVERSIONS',
} as const;

/** Author ksqlDB gives its built-in functions. */
export const BUILT_IN_AUTHOR = 'Confluent';

export interface FunctionNamesEntity {
  '@type': 'function_names';
  statementText: string;
  functions: { name: string; type: FunctionDescription['kind']; category: string }[];
  warnings: unknown[];
}

export interface DescribeFunctionEntity {
  '@type': 'describe_function';
  statementText: string;
  name: string;
  description: string;
  author: string;
  version: string;
  path: string;
  type: FunctionDescription['kind'];
  functions: {
    arguments: { name: string; type: string; description: string; isVariadic: boolean }[];
    returnType: string;
    description: string;
    argumentTypes: string[];
  }[];
  warnings: unknown[];
}

/** The SHOW FUNCTIONS entity: every function, sorted by name. */
export function functionNamesEntity(registry: FunctionRegistry, statementText: string): FunctionNamesEntity {
  return {
    '@type': 'function_names',
    statementText,
    functions: registry.list().map((f) => ({ name: f.name, type: f.kind, category: f.category })),
    warnings: [],
  };
}

/** The DESCRIBE FUNCTION entity; variadic arguments are shown by their element type with isVariadic. */
export function describeFunctionEntity(desc: FunctionDescription, statementText: string): DescribeFunctionEntity {
  return {
    '@type': 'describe_function',
    statementText,
    name: desc.name,
    description: desc.description,
    author: desc.author ?? '',
    version: desc.version ?? '',
    path: 'internal',
    type: desc.kind,
    functions: desc.overloads.map((o) => {
      const args = o.args.map((a) => {
        const isVariadic = a.type.endsWith('...');
        return { name: a.name, type: isVariadic ? a.type.slice(0, -3) : a.type, description: a.description ?? '', isVariadic };
      });
      return { arguments: args, returnType: o.returns, description: o.description ?? desc.description, argumentTypes: args.map((a) => a.type) };
    }),
    warnings: [],
  };
}
