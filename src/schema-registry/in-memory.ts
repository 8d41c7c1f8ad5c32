/**
 * A schema registry held in memory, with Confluent Schema Registry's semantics: global ids
 * shared by identical schemas across subjects, versions numbered from 1 per subject,
 * re-registering a subject's existing schema returns its id, and a new version must pass the
 * subject's compatibility check (default BACKWARD, as Confluent's). Used by the embedded
 * engine and by tests; a durable or remote registry implements the same interface.
 */
import { canonicalSchema as canonical } from './canonical.js';
import { checkCompatibility, validateSchema } from './compatibility.js';
import {
  type CompatibilityLevel,
  type RegisteredSchema,
  type SchemaInput,
  type SchemaReference,
  SchemaRegistryError,
  type SchemaRegistryClient,
  type SchemaType,
  type SubjectVersion,
} from './types.js';

interface StoredVersion {
  version: number;
  id: number;
}

export class InMemorySchemaRegistry implements SchemaRegistryClient {
  private readonly schemas = new Map<number, RegisteredSchema>();
  private readonly idsByCanonical = new Map<string, number>();
  private readonly subjects = new Map<string, StoredVersion[]>();
  private readonly subjectLevels = new Map<string, CompatibilityLevel>();
  /** the highest version number a subject ever had: deleted numbers stay taken, as Confluent's soft delete keeps them */
  private readonly lastVersions = new Map<string, number>();
  private globalLevel: CompatibilityLevel;
  private nextId = 1;

  constructor(opts: { compatibility?: CompatibilityLevel } = {}) {
    this.globalLevel = opts.compatibility ?? 'BACKWARD';
  }

  register(subject: string, input: SchemaInput): number {
    const schemaType = input.schemaType ?? 'AVRO';
    const references = input.references ?? [];
    const key = canonical(schemaType, input.schema, references);
    const versions = this.subjects.get(subject) ?? [];
    const existingId = this.idsByCanonical.get(key);
    if (existingId !== undefined && versions.some((v) => v.id === existingId)) {
      if (input.id !== undefined && input.id !== existingId) {
        throw new SchemaRegistryError(`Schema already registered with id ${existingId} instead of input id ${input.id}`, 42205);
      }
      return existingId;
    }
    const refs = this.resolveReferences(references);
    const invalid = validateSchema(schemaType, input.schema, refs);
    if (invalid) throw new SchemaRegistryError(`Invalid schema: ${invalid}`, 42201);
    const messages = this.incompatibilities(subject, { schemaType, schema: input.schema, references }, 'all-by-level');
    if (messages.length > 0) {
      throw new SchemaRegistryError(`Schema being registered is incompatible with an earlier schema for subject "${subject}", details: ${messages.join('; ')}`, 409);
    }
    let id: number;
    if (input.id !== undefined) {
      // Confluent's import mode: the caller chooses the id, which must be free or hold this schema
      const held = this.schemas.get(input.id);
      if (held && canonical(held.schemaType, held.schema, held.references) !== key) {
        throw new SchemaRegistryError(`Overwrite new schema with id ${input.id} is not permitted.`, 42207);
      }
      id = input.id;
      this.nextId = Math.max(this.nextId, id + 1);
    } else {
      id = existingId ?? this.nextId++;
    }
    if (!this.schemas.has(id)) {
      this.schemas.set(id, { id, schemaType, schema: input.schema, references: [...references] });
      if (!this.idsByCanonical.has(key)) this.idsByCanonical.set(key, id);
    }
    const version = Math.max(versions.at(-1)?.version ?? 0, this.lastVersions.get(subject) ?? 0) + 1;
    this.subjects.set(subject, [...versions, { version, id }]);
    this.lastVersions.set(subject, version);
    return id;
  }

  getById(id: number): RegisteredSchema {
    const s = this.schemas.get(id);
    if (!s) throw new SchemaRegistryError(`Schema ${id} not found`, 40403);
    return { ...s, references: [...s.references] };
  }

  getLatest(subject: string): SubjectVersion | undefined {
    const v = this.subjects.get(subject)?.at(-1);
    return v ? { subject, version: v.version, ...this.getById(v.id) } : undefined;
  }

  getVersion(subject: string, version: number): SubjectVersion {
    const versions = this.subjects.get(subject);
    if (!versions || versions.length === 0) throw new SchemaRegistryError(`Subject '${subject}' not found.`, 40401);
    const v = version === -1 ? versions.at(-1) : versions.find((x) => x.version === version);
    if (!v) throw new SchemaRegistryError(`Version ${version} not found.`, 40402);
    return { subject, version: v.version, ...this.getById(v.id) };
  }

  listSubjects(): string[] {
    return [...this.subjects.keys()].filter((s) => (this.subjects.get(s)?.length ?? 0) > 0).sort();
  }

  listVersions(subject: string): number[] {
    const versions = this.subjects.get(subject);
    if (!versions || versions.length === 0) throw new SchemaRegistryError(`Subject '${subject}' not found.`, 40401);
    return versions.map((v) => v.version);
  }

  deleteSubject(subject: string): number[] {
    const versions = this.listVersions(subject);
    this.subjects.delete(subject);
    return versions;
  }

  deleteVersion(subject: string, version: number): number {
    const versions = this.subjects.get(subject);
    if (!versions || versions.length === 0) throw new SchemaRegistryError(`Subject '${subject}' not found.`, 40401);
    const v = version === -1 ? versions.at(-1) : versions.find((x) => x.version === version);
    if (!v) throw new SchemaRegistryError(`Version ${version} not found.`, 40402);
    this.subjects.set(
      subject,
      versions.filter((x) => x !== v),
    );
    return v.version;
  }

  getSubjectCompatibility(subject: string): CompatibilityLevel | undefined {
    return this.subjectLevels.get(subject);
  }

  deleteCompatibility(subject: string): CompatibilityLevel | undefined {
    const had = this.subjectLevels.get(subject);
    this.subjectLevels.delete(subject);
    return had;
  }

  /**
   * Puts back a version exactly as it was registered (same id and number), without the
   * compatibility check it passed then: how a durable registry replays its log.
   */
  restoreVersion(v: SubjectVersion): void {
    this.restoreSchema(v);
    const versions = (this.subjects.get(v.subject) ?? []).filter((x) => x.version !== v.version);
    versions.push({ version: v.version, id: v.id });
    versions.sort((a, b) => a.version - b.version);
    this.subjects.set(v.subject, versions);
    this.reserveVersion(v.subject, v.version);
  }

  /** Keeps a (deleted) version number from being given again: replaying a soft delete. */
  reserveVersion(subject: string, version: number): void {
    this.lastVersions.set(subject, Math.max(this.lastVersions.get(subject) ?? 0, version));
  }

  /** Puts back a schema under its id (one whose versions were deleted: its id still resolves). */
  restoreSchema(s: RegisteredSchema): void {
    if (!this.schemas.has(s.id)) {
      this.schemas.set(s.id, { id: s.id, schemaType: s.schemaType, schema: s.schema, references: [...s.references] });
      const key = canonical(s.schemaType, s.schema, s.references);
      if (!this.idsByCanonical.has(key)) this.idsByCanonical.set(key, s.id);
    }
    this.nextId = Math.max(this.nextId, s.id + 1);
  }

  getCompatibility(subject?: string): CompatibilityLevel {
    return (subject === undefined ? undefined : this.subjectLevels.get(subject)) ?? this.globalLevel;
  }

  setCompatibility(level: CompatibilityLevel, subject?: string): void {
    if (subject === undefined) this.globalLevel = level;
    else this.subjectLevels.set(subject, level);
  }

  testCompatibility(subject: string, input: SchemaInput, version: number | 'latest' = 'latest'): { compatible: boolean; messages: string[] } {
    const schema = { schemaType: input.schemaType ?? 'AVRO', schema: input.schema, references: input.references ?? [] };
    const invalid = validateSchema(schema.schemaType, schema.schema, this.resolveReferences(schema.references));
    if (invalid) throw new SchemaRegistryError(`Invalid schema: ${invalid}`, 42201);
    const messages = version === 'latest' ? this.incompatibilities(subject, schema, 'all-by-level') : this.incompatibilities(subject, schema, version);
    return { compatible: messages.length === 0, messages };
  }

  resolveReferences(references: readonly SchemaReference[]): Map<string, string> {
    const out = new Map<string, string>();
    const visit = (refs: readonly SchemaReference[], depth: number): void => {
      if (depth > 32) throw new SchemaRegistryError('Schema references are nested too deeply (a cycle?)', 42201);
      for (const r of refs) {
        if (out.has(r.name)) continue;
        let target: SubjectVersion;
        try {
          target = this.getVersion(r.subject, r.version);
        } catch {
          throw new SchemaRegistryError(`Invalid schema: reference ${r.name} (subject ${r.subject} version ${r.version}) not found`, 42201);
        }
        out.set(r.name, target.schema);
        visit(target.references, depth + 1);
      }
    };
    visit(references, 0);
    return out;
  }

  /** Why `schema` cannot follow the subject's versions: the level decides which and in which direction. */
  private incompatibilities(subject: string, schema: { schemaType: SchemaType; schema: string; references: SchemaReference[] }, which: 'all-by-level' | number): string[] {
    const level = this.getCompatibility(subject);
    if (level === 'NONE') return [];
    const versions = this.subjects.get(subject) ?? [];
    if (versions.length === 0) return [];
    const against = which !== 'all-by-level' ? versions.filter((v) => v.version === which) : level.endsWith('_TRANSITIVE') ? versions : versions.slice(-1);
    const base = level.replace('_TRANSITIVE', '') as 'BACKWARD' | 'FORWARD' | 'FULL';
    const newRefs = this.resolveReferences(schema.references);
    const messages: string[] = [];
    // newest first, as Confluent reports
    for (const v of [...against].reverse()) {
      const old = this.getById(v.id);
      if (old.schemaType !== schema.schemaType) {
        messages.push(`version ${v.version} is a ${old.schemaType} schema, the new one ${schema.schemaType}`);
        continue;
      }
      const oldSide = { schema: old.schema, references: this.resolveReferences(old.references) };
      const newSide = { schema: schema.schema, references: newRefs };
      // BACKWARD: the new schema reads what the old one wrote; FORWARD: the other way round
      if (base === 'BACKWARD' || base === 'FULL') messages.push(...checkCompatibility(schema.schemaType, newSide, oldSide).map((m) => `version ${v.version}: ${m}`));
      if (base === 'FORWARD' || base === 'FULL') messages.push(...checkCompatibility(schema.schemaType, oldSide, newSide).map((m) => `version ${v.version}: ${m}`));
    }
    return messages;
  }
}
