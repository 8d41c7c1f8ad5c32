/**
 * The schema registry contract Sluice's serdes and engine use: Confluent Schema Registry's
 * model (subjects holding numbered versions of schemas, global schema ids, references, a
 * compatibility level per subject or globally). Calls are synchronous so that serdes, which
 * run per record, can look schemas up inline; a client for a remote registry keeps a cache.
 */

export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON';

/** A reference to another subject's schema, named as the referring schema imports it. */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface SchemaInput {
  /** Confluent's default when absent is AVRO. */
  schemaType?: SchemaType;
  schema: string;
  references?: SchemaReference[];
  /** Register under this id (Confluent's import mode); refused if the id holds another schema. */
  id?: number;
}

export interface RegisteredSchema {
  id: number;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
}

export interface SubjectVersion extends RegisteredSchema {
  subject: string;
  version: number;
}

export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
];

/** Error codes follow Confluent's REST API (40401 subject not found, 409 incompatible, ...). */
export class SchemaRegistryError extends Error {
  constructor(
    message: string,
    readonly errorCode: number,
  ) {
    super(message);
    this.name = 'SchemaRegistryError';
  }
}

export interface SchemaRegistryClient {
  /**
   * Registers `schema` under `subject` and returns its global id. A schema already registered
   * under the subject returns its existing id; one incompatible with the subject's earlier
   * versions (per its compatibility level) throws SchemaRegistryError 409.
   */
  register(subject: string, schema: SchemaInput): number;
  /** The schema with this global id; throws SchemaRegistryError 40403 when unknown. */
  getById(id: number): RegisteredSchema;
  /** The subject's newest version, or undefined when the subject has none. */
  getLatest(subject: string): SubjectVersion | undefined;
  /** One version of a subject (-1 = latest); throws 40401/40402 when absent. */
  getVersion(subject: string, version: number): SubjectVersion;
  listSubjects(): string[];
  listVersions(subject: string): number[];
  /** Removes a subject (all versions); returns the versions removed. */
  deleteSubject(subject: string): number[];
  /** The level for a subject (its own, else the global one); no subject = the global level. */
  getCompatibility(subject?: string): CompatibilityLevel;
  setCompatibility(level: CompatibilityLevel, subject?: string): void;
  /** Whether `schema` may be registered under `subject` now; the reasons when not. */
  testCompatibility(subject: string, schema: SchemaInput, version?: number | 'latest'): { compatible: boolean; messages: string[] };
  /** The text of every schema `schema` references, transitively, keyed by import name. */
  resolveReferences(references: readonly SchemaReference[]): Map<string, string>;
  /*
   * Optional administration the REST API (rest.ts) offers when the registry has it; engine
   * code never needs these.
   */
  /** Removes one version (-1 = latest) and returns its number; throws 40401/40402 when absent. */
  deleteVersion?(subject: string, version: number): number;
  /** The subject's own level, undefined when it follows the global one. */
  getSubjectCompatibility?(subject: string): CompatibilityLevel | undefined;
  /** Drops the subject's own level (it then follows the global one); returns the level it had. */
  deleteCompatibility?(subject: string): CompatibilityLevel | undefined;
}
