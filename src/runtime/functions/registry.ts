/**
 * The function registry: holds scalar, table and aggregate functions under case-insensitive
 * names and resolves calls at plan time (see ./resolve.ts for the overload rules).
 */
import type { SqlType } from '../../common/types.js';
import type {
  AggregateDefinition,
  AggregateOverload,
  ResolveContext,
  ScalarDefinition,
  ScalarOverload,
  TableDefinition,
  TableOverload,
} from './definitions.js';
import { formatArgs, resolveOverload, type Candidate, type Match } from './resolve.js';
import { formatParamType, formatSignatureParams, genericNames, instantiate, parseSignature, type Signature } from './signature.js';
import {
  FunctionResolutionError,
  type ArgInfo,
  type FunctionConfig,
  type FunctionDescription,
  type FunctionRegistry,
  type ResolvedAggregate,
  type ResolvedScalar,
  type ResolvedTableFunction,
} from './types.js';

type Kind = FunctionDescription['kind'];

interface Entry<O> {
  kind: Kind;
  def: { name: string; category: string; description: string; author?: string; version?: string };
  candidates: Candidate<O>[];
}

/** Parses and checks every overload of a definition once, at registration. */
function compile<O extends { sig: string; returns?: unknown; make?: unknown; impl?: unknown }>(def: { name: string; overloads: O[] }, needsImpl: boolean): Candidate<O>[] {
  const seen = new Set<string>();
  return def.overloads.map((o) => {
    let sig: Signature;
    try {
      sig = parseSignature(o.sig);
    } catch (e) {
      throw new Error(`Function ${def.name}: ${(e as Error).message}`);
    }
    const params = formatSignatureParams(sig).join(', ');
    if (seen.has(params)) throw new Error(`Can't add function ${def.name} with parameters (${params}) as a function with the same name and parameter types already exists`);
    seen.add(params);
    const ret = sig.ret;
    if (!o.returns) {
      if (ret.t === 'decimal' || (ret.t === 'struct' && !ret.fields) || ret.t === 'any') {
        throw new Error(`Function ${def.name}(${o.sig}) returns ${formatParamType(ret)} and needs a 'returns' provider`);
      }
      // a generic in the return type must be bound by some parameter (lambda bodies included)
      const bound = new Set<string>();
      sig.params.forEach((p) => genericNames(p, bound));
      for (const g of genericNames(ret)) {
        if (!bound.has(g)) throw new Error(`Function ${def.name}(${o.sig}): return generic ${g} is not bound by any parameter`);
      }
    }
    if (needsImpl && !o.impl && !o.make) throw new Error(`Function ${def.name}(${o.sig}) has neither impl nor make`);
    return { overload: o, sig };
  });
}

export interface RegistryOptions {
  /** author shown by DESCRIBE FUNCTION for definitions that name none (ksqlDB's built-ins say 'Confluent') */
  defaultAuthor?: string;
}

export class Registry implements FunctionRegistry {
  constructor(private readonly options: RegistryOptions = {}) {}

  private readonly scalars = new Map<string, Entry<ScalarOverload>>();
  private readonly tables = new Map<string, Entry<TableOverload>>();
  private readonly aggregates = new Map<string, Entry<AggregateOverload>>();

  private checkFree(name: string): string {
    const key = name.toUpperCase();
    if (this.scalars.has(key) || this.tables.has(key) || this.aggregates.has(key)) {
      throw new Error(`A function named ${key} is already registered`);
    }
    return key;
  }

  registerScalar(def: ScalarDefinition): void {
    const key = this.checkFree(def.name);
    this.scalars.set(key, { kind: 'SCALAR', def, candidates: compile(def, true) });
  }

  registerTable(def: TableDefinition): void {
    const key = this.checkFree(def.name);
    this.tables.set(key, { kind: 'TABLE', def, candidates: compile(def, true) });
  }

  registerAggregate(def: AggregateDefinition): void {
    const key = this.checkFree(def.name);
    this.aggregates.set(key, { kind: 'AGGREGATE', def, candidates: compile(def, false) });
  }

  isAggregate(name: string): boolean {
    return this.aggregates.has(name.toUpperCase());
  }

  isTableFunction(name: string): boolean {
    return this.tables.has(name.toUpperCase());
  }

  exists(name: string): boolean {
    const key = name.toUpperCase();
    return this.scalars.has(key) || this.tables.has(key) || this.aggregates.has(key);
  }

  private lookup<O>(map: Map<string, Entry<O>>, name: string): Entry<O> {
    const e = map.get(name.toUpperCase());
    if (!e) {
      const other = this.exists(name);
      if (other) {
        const kind = this.isAggregate(name) ? 'an aggregate' : this.isTableFunction(name) ? 'a table function' : 'a scalar function';
        throw new FunctionResolutionError(`Function '${name}' is ${kind} and cannot be used here`);
      }
      throw new FunctionResolutionError(`Can't find any functions with the name '${name}'`);
    }
    return e;
  }

  private context<O extends { returns?: ScalarOverload['returns'] }>(entry: Entry<O>, args: ArgInfo[], config: FunctionConfig): { m: Match<O>; ctx: ResolveContext } {
    const m = resolveOverload(entry.def.name, entry.candidates, args);
    let returnType: SqlType | undefined;
    if (m.overload.returns) returnType = m.overload.returns(m.argTypes, args, m.bindings);
    else returnType = instantiateRet(m.sig, m.bindings);
    if (!returnType) {
      throw new FunctionResolutionError(`Function '${entry.def.name}' cannot infer its return type from parameters ${formatArgs(args)}.`);
    }
    return { m, ctx: { argTypes: m.argTypes, returnType, generics: m.bindings, args, config } };
  }

  resolveScalar(name: string, args: ArgInfo[], config: FunctionConfig): ResolvedScalar {
    const entry = this.lookup(this.scalars, name);
    const { m, ctx } = this.context(entry, args, config);
    const impl = m.overload.make ? m.overload.make(ctx) : m.overload.impl!;
    return { name: entry.def.name.toUpperCase(), returnType: ctx.returnType, argTypes: ctx.argTypes, impl };
  }

  resolveTable(name: string, args: ArgInfo[], config: FunctionConfig): ResolvedTableFunction {
    const entry = this.lookup(this.tables, name);
    const { m, ctx } = this.context(entry, args, config);
    const impl = m.overload.make ? m.overload.make(ctx) : m.overload.impl!;
    return { name: entry.def.name.toUpperCase(), returnType: ctx.returnType, argTypes: ctx.argTypes, impl };
  }

  resolveAggregate(name: string, args: ArgInfo[], config: FunctionConfig): ResolvedAggregate {
    const entry = this.lookup(this.aggregates, name);
    const { m, ctx } = this.context(entry, args, config);
    const nLiterals = m.overload.literals ?? 0;
    const columnArgs = args.length - nLiterals;
    const literals: unknown[] = [];
    for (let i = columnArgs; i < args.length; i++) {
      const lit = args[i]!.literal;
      if (!lit) {
        const what = args[i]!.text !== undefined ? `, but was expression: '${args[i]!.text}'` : '';
        throw new FunctionResolutionError(`Parameter ${i + 1} passed to function ${entry.def.name.toUpperCase()} must be a literal constant${what}`);
      }
      literals.push(lit.value);
    }
    const impl = m.overload.create({ ...ctx, literals });
    const agg: ResolvedAggregate = {
      name: entry.def.name.toUpperCase(),
      returnType: ctx.returnType,
      argTypes: ctx.argTypes.slice(0, columnArgs),
      columnArgs,
      intermediateType: impl.intermediateType ?? ctx.returnType,
      init: impl.init.bind(impl),
      add: impl.add.bind(impl),
      result: impl.result.bind(impl),
    };
    if (impl.undo) agg.undo = impl.undo.bind(impl);
    if (impl.merge) agg.merge = impl.merge.bind(impl);
    return agg;
  }

  list(): FunctionDescription[] {
    const all = [...this.scalars.values(), ...this.tables.values(), ...this.aggregates.values()] as Entry<unknown>[];
    return all.map((e) => describeEntry(e, this.options.defaultAuthor)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  describe(name: string): FunctionDescription | undefined {
    const key = name.toUpperCase();
    const e = (this.scalars.get(key) ?? this.tables.get(key) ?? this.aggregates.get(key)) as Entry<unknown> | undefined;
    return e && describeEntry(e, this.options.defaultAuthor);
  }
}

function instantiateRet(sig: Signature, bindings: Map<string, SqlType>): SqlType | undefined {
  return instantiate(sig.ret, bindings);
}

function describeEntry(e: Entry<unknown>, defaultAuthor: string | undefined): FunctionDescription {
  const author = e.def.author ?? defaultAuthor;
  return {
    name: e.def.name.toUpperCase(),
    kind: e.kind,
    category: e.def.category,
    description: e.def.description,
    ...(author !== undefined ? { author } : {}),
    ...(e.def.version !== undefined ? { version: e.def.version } : {}),
    overloads: e.candidates.map((c) => {
      const o = c.overload as { description?: string; params?: string[] };
      const types = formatSignatureParams(c.sig);
      const args = types.map((type, i) => ({ name: o.params?.[i] ?? '', type }));
      return {
        signature: `${e.def.name.toUpperCase()}(${types.join(', ')})`,
        returns: formatParamType(c.sig.ret),
        ...(o.description !== undefined ? { description: o.description } : {}),
        args,
      };
    }),
  };
}
