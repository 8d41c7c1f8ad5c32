/**
 * The records of the registry's compacted topic, laid out as Confluent Schema Registry's
 * `_schemas` topic: JSON keys naming what a record is about (so compaction keeps the newest
 * record per schema version / config), JSON values holding the state, null values erasing it.
 *
 * - SCHEMA  key {keytype, subject, version, magic: 1}; value {subject, version, id, schemaType?,
 *   references?, schema, deleted}; deleted: true keeps the id resolvable without the version.
 * - CONFIG  key {keytype, subject (null = global), magic: 0}; value {compatibilityLevel}; null
 *   value = the subject follows the global level again.
 * - DELETE_SUBJECT key {keytype, subject, magic: 0}; value {subject, version}: every version up
 *   to `version` is gone.
 * Other key types Confluent writes (NOOP, MODE, CLEAR_SUBJECT...) carry nothing Sluice keeps.
 */
import { COMPATIBILITY_LEVELS, type CompatibilityLevel, type SchemaReference, type SchemaType, type SubjectVersion } from './types.js';

export type LogEntry =
  | { kind: 'schema'; version: SubjectVersion; deleted: boolean }
  /** a SCHEMA key with a null value: the version is gone for good */
  | { kind: 'schema-erased'; subject: string; version: number }
  | { kind: 'config'; subject: string | undefined; level: CompatibilityLevel | undefined }
  | { kind: 'delete-subject'; subject: string; version: number };

export interface LogRecord {
  key: string;
  value: string | null;
}

export function encodeEntry(e: LogEntry): LogRecord {
  switch (e.kind) {
    case 'schema': {
      const v = e.version;
      const value: Record<string, unknown> = { subject: v.subject, version: v.version, id: v.id };
      if (v.schemaType !== 'AVRO') value['schemaType'] = v.schemaType;
      if (v.references.length > 0) value['references'] = v.references;
      value['schema'] = v.schema;
      value['deleted'] = e.deleted;
      return { key: JSON.stringify({ keytype: 'SCHEMA', subject: v.subject, version: v.version, magic: 1 }), value: JSON.stringify(value) };
    }
    case 'schema-erased':
      return { key: JSON.stringify({ keytype: 'SCHEMA', subject: e.subject, version: e.version, magic: 1 }), value: null };
    case 'config':
      return {
        key: JSON.stringify({ keytype: 'CONFIG', subject: e.subject ?? null, magic: 0 }),
        value: e.level === undefined ? null : JSON.stringify({ compatibilityLevel: e.level }),
      };
    case 'delete-subject':
      return { key: JSON.stringify({ keytype: 'DELETE_SUBJECT', subject: e.subject, magic: 0 }), value: JSON.stringify({ subject: e.subject, version: e.version }) };
  }
}

const SCHEMA_TYPES: readonly string[] = ['AVRO', 'PROTOBUF', 'JSON'];

function isReference(r: unknown): r is SchemaReference {
  const x = r as Partial<SchemaReference> | null;
  return !!x && typeof x.name === 'string' && typeof x.subject === 'string' && Number.isInteger(x.version);
}

/**
 * The entry a topic record holds; undefined for key types without state for Sluice; throws with
 * the reason on a record that is not a well-formed registry record.
 */
export function decodeEntry(key: string, value: string | null): LogEntry | undefined {
  const k = JSON.parse(key) as Record<string, unknown>;
  const subject = k['subject'];
  switch (k['keytype']) {
    case 'SCHEMA': {
      const version = k['version'];
      if (typeof subject !== 'string' || !Number.isInteger(version)) throw new Error('SCHEMA key without subject and version');
      if (value === null) return { kind: 'schema-erased', subject, version: version as number };
      const v = JSON.parse(value) as Record<string, unknown>;
      const schemaType = v['schemaType'] ?? 'AVRO';
      const references = v['references'] ?? [];
      if (!Number.isInteger(v['id']) || typeof v['schema'] !== 'string' || typeof schemaType !== 'string' || !SCHEMA_TYPES.includes(schemaType)) {
        throw new Error('SCHEMA value without a valid id, schema and schemaType');
      }
      if (!Array.isArray(references) || !references.every(isReference)) throw new Error('SCHEMA value with malformed references');
      return {
        kind: 'schema',
        deleted: v['deleted'] === true,
        version: { subject, version: version as number, id: v['id'] as number, schemaType: schemaType as SchemaType, schema: v['schema'], references },
      };
    }
    case 'CONFIG': {
      if (subject !== null && subject !== undefined && typeof subject !== 'string') throw new Error('CONFIG key with a non-string subject');
      const s = typeof subject === 'string' ? subject : undefined;
      if (value === null) return { kind: 'config', subject: s, level: undefined };
      const level = (JSON.parse(value) as Record<string, unknown>)['compatibilityLevel'];
      // a CONFIG record may hold other settings only (normalize, validate...): nothing to apply
      if (level === undefined) return undefined;
      if (typeof level !== 'string' || !COMPATIBILITY_LEVELS.includes(level as CompatibilityLevel)) throw new Error(`CONFIG value with unknown level ${String(level)}`);
      return { kind: 'config', subject: s, level: level as CompatibilityLevel };
    }
    case 'DELETE_SUBJECT': {
      if (typeof subject !== 'string' || value === null) return undefined;
      const version = (JSON.parse(value) as Record<string, unknown>)['version'];
      if (!Number.isInteger(version)) throw new Error('DELETE_SUBJECT value without a version');
      return { kind: 'delete-subject', subject, version: version as number };
    }
    default:
      return undefined;
  }
}
