/** Type names as ksqlDB prints them in serde error messages. */
import type { SqlType } from '../../common/types.js';

/**
 * The Connect-schema form (SqlSchemaFormatter over a Connect schema): STRING is VARCHAR,
 * INTEGER is INT, struct fields are unquoted. Used for ARRAY/MAP/STRUCT/DECIMAL/BYTES targets.
 */
export function connectTypeName(t: SqlType): string {
  switch (t.kind) {
    case 'STRING':
      return 'VARCHAR';
    case 'INTEGER':
      return 'INT';
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${connectTypeName(t.element)}>`;
    case 'MAP':
      return `MAP<${connectTypeName(t.key)}, ${connectTypeName(t.value)}>`;
    case 'STRUCT':
      return `STRUCT<${t.fields.map((f) => `${f.name} ${connectTypeName(f.type)}`).join(', ')}>`;
    default:
      return t.kind;
  }
}
