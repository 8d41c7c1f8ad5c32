/**
 * Schema validity and the pairwise compatibility rule the registry's levels are built from:
 * `checkCompatibility(type, reader, writer)` lists why data written with `writer` cannot be
 * read with `reader` (empty = compatible). BACKWARD checks (new as reader, old as writer),
 * FORWARD the reverse, FULL both; the registry applies them to the latest or every version.
 *
 * - AVRO: Avro schema resolution (avsc's resolver: added fields need defaults, promotions
 *   int->long->float->double, string<->bytes, enum symbols, union branches...).
 * - PROTOBUF: Confluent's rules: a message the writer uses must still exist; fields are matched
 *   by number and may be added, removed or renamed, but not change kind (scalar, message, map,
 *   repeated), nor scalar type outside wire-compatible groups, nor named (message/enum) type;
 *   the package must not change.
 * - JSON: the reader must accept every document the writer accepts: no narrowed types, no
 *   newly required properties, no property added to an open content model or removed from a
 *   closed one, enums may only grow, length/range limits may only widen.
 */
import avro from 'avsc';
import protobuf from 'protobufjs';
import { parseProtobuf, type ParsedProtobuf } from '../runtime/serde/protobuf-schema.js';
import type { SchemaType } from './types.js';

export interface SchemaSide {
  schema: string;
  /** referenced schemas' text by import name */
  references: ReadonlyMap<string, string>;
}

function parseAvro(side: SchemaSide): avro.Type {
  const registry: Record<string, avro.Type> = {};
  // referenced schemas define named types the main schema uses by name
  for (const text of side.references.values()) avro.Type.forSchema(JSON.parse(text) as avro.Schema, { registry });
  return avro.Type.forSchema(JSON.parse(side.schema) as avro.Schema, { registry });
}

/** undefined when the schema text is valid for its type, else why not. */
export function validateSchema(type: SchemaType, schema: string, references: ReadonlyMap<string, string>): string | undefined {
  try {
    switch (type) {
      case 'AVRO':
        parseAvro({ schema, references });
        return undefined;
      case 'PROTOBUF':
        parseProtobuf(schema, references);
        return undefined;
      case 'JSON': {
        const parsed: unknown = JSON.parse(schema);
        if (typeof parsed !== 'object' && typeof parsed !== 'boolean') return 'a JSON schema must be an object or a boolean';
        return undefined;
      }
    }
  } catch (e) {
    return (e as Error).message;
  }
}

export function checkCompatibility(type: SchemaType, reader: SchemaSide, writer: SchemaSide): string[] {
  switch (type) {
    case 'AVRO':
      return avroCompatibility(reader, writer);
    case 'PROTOBUF':
      return protobufCompatibility(parseProtobuf(reader.schema, reader.references), parseProtobuf(writer.schema, writer.references));
    case 'JSON':
      return jsonSchemaCompatibility(reader, writer);
  }
}

function avroCompatibility(reader: SchemaSide, writer: SchemaSide): string[] {
  try {
    parseAvro(reader).createResolver(parseAvro(writer));
    return [];
  } catch (e) {
    return [`the reader schema cannot read data written with the writer schema (${(e as Error).message})`];
  }
}

// Scalars whose encodings read as one another (protobuf's "compatible types").
const WIRE_GROUPS = [
  ['int32', 'uint32', 'int64', 'uint64', 'bool'],
  ['sint32', 'sint64'],
  ['fixed32', 'sfixed32'],
  ['fixed64', 'sfixed64'],
  ['string', 'bytes'],
];

function sameWireGroup(a: string, b: string): boolean {
  return a === b || WIRE_GROUPS.some((g) => g.includes(a) && g.includes(b));
}

function fieldKind(f: protobuf.Field): string {
  f.resolve();
  if (f.map) return 'map';
  const base = f.resolvedType instanceof protobuf.Type ? 'message' : f.resolvedType instanceof protobuf.Enum ? 'enum' : 'scalar';
  return f.repeated ? `repeated ${base}` : base;
}

function allMessages(ns: protobuf.NamespaceBase, out = new Map<string, protobuf.Type>()): Map<string, protobuf.Type> {
  for (const n of ns.nestedArray) {
    if (n instanceof protobuf.Type) out.set(n.fullName, n);
    if (n instanceof protobuf.Namespace || n instanceof protobuf.Type) allMessages(n, out);
  }
  return out;
}

function protobufCompatibility(reader: ParsedProtobuf, writer: ParsedProtobuf): string[] {
  const out: string[] = [];
  const pkg = (p: ParsedProtobuf) => p.messages[0]!.fullName.slice(0, p.messages[0]!.fullName.lastIndexOf('.'));
  if (pkg(reader) !== pkg(writer)) out.push(`PACKAGE_CHANGED: ${pkg(writer) || '(none)'} -> ${pkg(reader) || '(none)'}`);
  const readerTypes = allMessages(reader.root);
  // only the schema file's own messages matter (not the imported well-known ones)
  const own = new Map<string, protobuf.Type>();
  for (const m of writer.messages) {
    own.set(m.fullName, m);
    for (const [k, v] of allMessages(m)) own.set(k, v);
  }
  for (const [name, w] of own) {
    const r = readerTypes.get(name);
    if (!r) {
      out.push(`MESSAGE_REMOVED: ${name.replace(/^\./, '')}`);
      continue;
    }
    for (const wf of w.fieldsArray) {
      const rf = r.fieldsById[wf.id];
      if (!rf) continue; // removed fields are skipped by readers
      const where = `${name.replace(/^\./, '')}.${wf.name} (#${wf.id})`;
      const wk = fieldKind(wf);
      const rk = fieldKind(rf);
      if (wk !== rk) {
        out.push(`FIELD_KIND_CHANGED: ${where} ${wk} -> ${rk}`);
      } else if (wk.endsWith('scalar') && !sameWireGroup(wf.type, rf.type)) {
        out.push(`FIELD_SCALAR_KIND_CHANGED: ${where} ${wf.type} -> ${rf.type}`);
      } else if (wk === 'map') {
        const wm = wf as unknown as protobuf.MapField;
        const rm = rf as unknown as protobuf.MapField;
        if (wm.keyType !== rm.keyType || (wm.resolvedType?.fullName ?? wm.type) !== (rm.resolvedType?.fullName ?? rm.type)) {
          out.push(`FIELD_KIND_CHANGED: ${where} map<${wm.keyType}, ${wm.type}> -> map<${rm.keyType}, ${rm.type}>`);
        }
      } else if ((wk.endsWith('message') || wk.endsWith('enum')) && wf.resolvedType!.fullName !== rf.resolvedType!.fullName) {
        out.push(`FIELD_NAMED_TYPE_CHANGED: ${where} ${wf.resolvedType!.fullName.replace(/^\./, '')} -> ${rf.resolvedType!.fullName.replace(/^\./, '')}`);
      }
      if (wf.required !== rf.required) out.push(`${rf.required ? 'REQUIRED_FIELD_ADDED' : 'REQUIRED_FIELD_REMOVED'}: ${where}`);
    }
    for (const rf of r.fieldsArray) {
      if (rf.required && !w.fieldsById[rf.id]) out.push(`REQUIRED_FIELD_ADDED: ${name.replace(/^\./, '')}.${rf.name} (#${rf.id})`);
    }
  }
  return out;
}

type Json = boolean | { [k: string]: unknown };

interface JsonCtx {
  readerRoot: Json;
  writerRoot: Json;
  references: { reader: ReadonlyMap<string, string>; writer: ReadonlyMap<string, string> };
  depth: number;
}

function deref(s: unknown, root: Json, refs: ReadonlyMap<string, string>): Json {
  let cur = s as Json;
  for (let i = 0; i < 16 && typeof cur === 'object' && typeof cur['$ref'] === 'string'; i++) {
    const ref = cur['$ref'] as string;
    const hash = ref.indexOf('#');
    let base: Json = root;
    const file = hash < 0 ? ref : ref.slice(0, hash);
    if (file !== '') {
      const text = refs.get(file);
      if (text === undefined) return true; // an unknown reference constrains nothing we can check
      base = JSON.parse(text) as Json;
    }
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    let target: unknown = base;
    for (const part of pointer.split('/').filter((p) => p !== '')) target = (target as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (target === undefined) return true;
    cur = target as Json;
  }
  return cur;
}

function typesOf(s: { [k: string]: unknown }): Set<string> | undefined {
  const t = s['type'];
  if (t === undefined) {
    if (s['properties'] !== undefined) return new Set(['object']);
    if (s['items'] !== undefined) return new Set(['array']);
    return undefined;
  }
  return new Set(Array.isArray(t) ? (t as string[]) : [t as string]);
}

function acceptsAnything(s: Json): boolean {
  return s === true || (typeof s === 'object' && Object.keys(s).filter((k) => !['title', 'description', '$id', '$schema', 'default'].includes(k)).length === 0);
}

function jsonCheck(readerIn: unknown, writerIn: unknown, path: string, ctx: JsonCtx, out: string[]): void {
  if (ctx.depth > 64) return;
  const reader = deref(readerIn, ctx.readerRoot, ctx.references.reader);
  const writer = deref(writerIn, ctx.writerRoot, ctx.references.writer);
  const at = path === '' ? '#' : path;
  if (acceptsAnything(reader)) return;
  if (writer === false) return;
  if (reader === false) {
    out.push(`SCHEMA_NARROWED at ${at}: the reader accepts nothing`);
    return;
  }
  const r = reader as { [k: string]: unknown };
  const w = (writer === true ? {} : writer) as { [k: string]: unknown };
  const deeper = { ...ctx, depth: ctx.depth + 1 };
  const wAlts = (w['oneOf'] ?? w['anyOf']) as unknown[] | undefined;
  if (wAlts) {
    for (const [i, alt] of wAlts.entries()) jsonCheck(r, alt, `${at}/${w['oneOf'] ? 'oneOf' : 'anyOf'}/${i}`, deeper, out);
    return;
  }
  const rAlts = (r['oneOf'] ?? r['anyOf']) as unknown[] | undefined;
  if (rAlts) {
    const ok = rAlts.some((alt) => {
      const trial: string[] = [];
      jsonCheck(alt, w, at, deeper, trial);
      return trial.length === 0;
    });
    if (!ok) out.push(`COMBINED_TYPE_SUBSCHEMAS_CHANGED at ${at}: no alternative of the reader accepts the writer's schema`);
    return;
  }
  const rt = typesOf(r);
  const wt = typesOf(w);
  if (rt) {
    const widened = (t: string) => rt.has(t) || (t === 'integer' && rt.has('number'));
    if (!wt || ![...wt].every(widened)) {
      out.push(`TYPE_NARROWED at ${at}: ${wt ? [...wt].join('|') : 'any'} -> ${[...rt].join('|')}`);
      return;
    }
  }
  if (Array.isArray(r['enum'])) {
    const renum = (r['enum'] as unknown[]).map((x) => JSON.stringify(x));
    if (!Array.isArray(w['enum'])) out.push(`ENUM_ARRAY_NARROWED at ${at}: the reader restricts values to an enum`);
    else for (const v of w['enum'] as unknown[]) if (!renum.includes(JSON.stringify(v))) out.push(`ENUM_ARRAY_NARROWED at ${at}: ${JSON.stringify(v)} removed`);
  }
  for (const [key, narrower] of [
    ['maxLength', (a: number, b: number) => a < b],
    ['maximum', (a: number, b: number) => a < b],
    ['maxItems', (a: number, b: number) => a < b],
    ['minLength', (a: number, b: number) => a > b],
    ['minimum', (a: number, b: number) => a > b],
    ['minItems', (a: number, b: number) => a > b],
  ] as const) {
    const rv = r[key];
    const wv = w[key];
    if (typeof rv === 'number' && (typeof wv !== 'number' || narrower(rv, wv))) out.push(`${key.toUpperCase()}_CHANGED at ${at}: ${wv ?? 'none'} -> ${rv}`);
  }
  // objects
  const rProps = (r['properties'] ?? {}) as Record<string, unknown>;
  const wProps = (w['properties'] ?? {}) as Record<string, unknown>;
  const rAdditional = (r['additionalProperties'] ?? true) as Json;
  const wAdditional = (w['additionalProperties'] ?? true) as Json;
  const wRequired = new Set((w['required'] ?? []) as string[]);
  for (const req of (r['required'] ?? []) as string[]) {
    if (!wRequired.has(req)) out.push(`REQUIRED_PROPERTY_ADDED at ${at}/properties/${req}`);
  }
  for (const [name, ws] of Object.entries(wProps)) {
    if (name in rProps) jsonCheck(rProps[name], ws, `${at}/properties/${name}`, deeper, out);
    else if (rAdditional === false) out.push(`PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at ${at}/properties/${name}`);
    else if (!acceptsAnything(rAdditional)) jsonCheck(rAdditional, ws, `${at}/properties/${name}`, deeper, out);
  }
  for (const [name, rs] of Object.entries(rProps)) {
    if (name in wProps || acceptsAnything(deref(rs, ctx.readerRoot, ctx.references.reader))) continue;
    // the writer may have put anything under a name it does not declare
    if (wAdditional === false) continue;
    if (acceptsAnything(wAdditional)) out.push(`PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at ${at}/properties/${name}`);
    else jsonCheck(rs, wAdditional, `${at}/properties/${name}`, deeper, out);
  }
  if (!acceptsAnything(rAdditional) && (rt === undefined || rt.has('object'))) {
    if (rAdditional === false && wAdditional !== false) out.push(`ADDITIONAL_PROPERTIES_REMOVED at ${at}`);
    else if (rAdditional !== false && wAdditional !== false) {
      if (acceptsAnything(wAdditional)) out.push(`ADDITIONAL_PROPERTIES_NARROWED at ${at}`);
      else jsonCheck(rAdditional, wAdditional, `${at}/additionalProperties`, deeper, out);
    }
  }
  // arrays
  if (r['items'] !== undefined && !Array.isArray(r['items'])) {
    jsonCheck(r['items'], w['items'] ?? true, `${at}/items`, deeper, out);
  }
}

function jsonSchemaCompatibility(reader: SchemaSide, writer: SchemaSide): string[] {
  const readerRoot = JSON.parse(reader.schema) as Json;
  const writerRoot = JSON.parse(writer.schema) as Json;
  const out: string[] = [];
  jsonCheck(readerRoot, writerRoot, '', { readerRoot, writerRoot, references: { reader: reader.references, writer: writer.references }, depth: 0 }, out);
  return out;
}
