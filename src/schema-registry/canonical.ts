/**
 * The form two schemas are compared in to decide whether they are "the same schema": the
 * registry gives identical schemas one global id, and a lookup (POST /subjects/:s) finds a
 * subject's version by it. JSON-based schemas (AVRO, JSON) compare parsed, so whitespace and
 * formatting do not matter; PROTOBUF text compares trimmed.
 */
import type { SchemaReference, SchemaType } from './types.js';

export function canonicalSchema(schemaType: SchemaType, schema: string, references: readonly SchemaReference[]): string {
  let text = schema.trim();
  if (schemaType !== 'PROTOBUF') {
    try {
      text = JSON.stringify(JSON.parse(text));
    } catch {
      // invalid text is refused by validateSchema before it is stored
    }
  }
  return JSON.stringify([schemaType, text, references.map((r) => [r.name, r.subject, r.version])]);
}
