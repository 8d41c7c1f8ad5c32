/**
 * The schemas a qtt case's `topics` entries carry (keySchema/valueSchema with their formats,
 * fixed ids and references), registered in the case's registry before its statements run, as
 * ksqlDB's test framework does. Sources the statements declare with columns register their
 * own schemas first (run on a scratch engine sharing the registry), so that schema ids come
 * out in the same order as ksqlDB's.
 */
import { Engine } from '../engine/engine.js';
import { TestDriver } from '../runtime/drivers/test-driver.js';
import type { SchemaReference, SchemaRegistryClient, SchemaType } from '../schema-registry/index.js';
import type { QttCase, QttTopic } from './qtt-runner.js';

function schemaText(schema: unknown): string {
  return typeof schema === 'string' && !/^\s*[[{"]/.test(schema) && !/^\s*syntax\b/.test(schema) && /^[A-Za-z_.]+$/.test(schema.trim())
    ? JSON.stringify(schema.trim()) // a bare Avro primitive name such as "int"
    : typeof schema === 'string'
      ? schema
      : JSON.stringify(schema);
}

function schemaTypeOf(format: string | undefined, schema: unknown): SchemaType {
  const f = format?.toUpperCase();
  if (f === 'PROTOBUF' || f === 'PROTOBUF_NOSR') return 'PROTOBUF';
  if (f === 'JSON' || f === 'JSON_SR') return 'JSON';
  if (f === 'AVRO') return 'AVRO';
  return typeof schema === 'string' && /^\s*syntax\b/.test(schema) ? 'PROTOBUF' : 'AVRO';
}

function registerSide(registry: SchemaRegistryClient, t: QttTopic, side: 'key' | 'value'): void {
  const schema = side === 'key' ? t.keySchema : t.valueSchema;
  if (schema === undefined || schema === null) return;
  const format = side === 'key' ? t.keyFormat : t.valueFormat;
  const refsIn = (side === 'key' ? t.keySchemaReferences : t.valueSchemaReferences) ?? [];
  const references: SchemaReference[] = [];
  for (const r of refsIn) {
    // a reference lives under a subject named like its import
    const id = registry.register(r.name, { schemaType: schemaTypeOf(r.format ?? format, r.schema), schema: schemaText(r.schema) });
    const version = registry.listVersions(r.name).find((v) => registry.getVersion(r.name, v).id === id) ?? 1;
    references.push({ name: r.name, subject: r.name, version });
  }
  const id = side === 'key' ? t.keySchemaId : t.valueSchemaId;
  registry.register(`${t.name}-${side}`, {
    schemaType: schemaTypeOf(format, schema),
    schema: schemaText(schema),
    references,
    ...(id !== undefined ? { id } : {}),
  });
}

export function registerCaseSchemas(c: QttCase, registry: SchemaRegistryClient, config: Record<string, unknown>): void {
  // ksqlDB's test framework runs against a mock registry client that registers without
  // compatibility checks; cases rely on that (e.g. a sink subject pre-registered with float fields)
  registry.setCompatibility('NONE');
  const topics = (c.topics ?? []).filter((t) => t.keySchema !== undefined || t.valueSchema !== undefined);
  if (topics.length === 0) return;
  const scratch = new Engine(new TestDriver(), { config, schemaRegistry: registry });
  for (const sql of c.statements) {
    if (!/^\s*CREATE\b/i.test(sql) || /\bAS\s+SELECT\b/i.test(sql)) continue;
    const m = /KAFKA_TOPIC\s*=\s*'([^']*)'/i.exec(sql);
    if (m && !scratch.driver.describeTopic(m[1]!)) scratch.driver.createTopic(m[1]!, 1, 1);
    try {
      scratch.executeScript(sql);
    } catch {
      // statements that need the topics' schemas (inference) or fail anyway are run for real later
    }
  }
  for (const t of topics) {
    registerSide(registry, t, 'key');
    registerSide(registry, t, 'value');
  }
}
