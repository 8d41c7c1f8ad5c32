/** Schema registry: the client contract, an in-memory registry, compatibility rules. */
export type {
  CompatibilityLevel,
  RegisteredSchema,
  SchemaInput,
  SchemaReference,
  SchemaRegistryClient,
  SchemaType,
  SubjectVersion,
} from './types.js';
export { COMPATIBILITY_LEVELS, SchemaRegistryError } from './types.js';
export { InMemorySchemaRegistry } from './in-memory.js';
export { checkCompatibility, validateSchema } from './compatibility.js';
export type { SchemaSide } from './compatibility.js';
// The REST server (rest.ts) and the Kafka-backed registry (kafka-backed.ts) are imported from
// their own files: the engine imports this index and should not load fastify for them.
