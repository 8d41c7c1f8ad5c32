/**
 * AST back to SQL text, in ksqlDB's canonical style (fully parenthesised binary operations,
 * upper-case keywords). Used for plans (which store expressions as text), EXPLAIN, DESCRIBE,
 * and error messages. Parsing the output yields an equivalent AST.
 */
import type { Expr, TypeAst } from './ast.js';

const IDENT = /^[A-Z_][A-Z0-9_@]*$/;
const RESERVED = new Set([
  'SELECT', 'FROM', 'AS', 'ALL', 'DISTINCT', 'WHERE', 'WITHIN', 'WINDOW', 'GROUP', 'BY', 'HAVING', 'LIMIT', 'AT', 'OR', 'AND', 'IN', 'NOT', 'EXISTS',
  'BETWEEN', 'LIKE', 'IS', 'NULL', 'TRUE', 'FALSE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'JOIN', 'FULL', 'OUTER', 'INNER', 'LEFT', 'RIGHT', 'ON',
  'WITH', 'VALUES', 'CREATE', 'TABLE', 'TOPIC', 'STREAM', 'STREAMS', 'INSERT', 'DELETE', 'INTO', 'DESCRIBE', 'EXTENDED', 'PRINT', 'CAST', 'LIST',
  'TABLES', 'TOPICS', 'QUERY', 'QUERIES', 'TERMINATE', 'LOAD', 'DROP', 'TO', 'RENAME', 'UNSET', 'RUN', 'SCRIPT', 'DECIMAL', 'CONNECTOR', 'CONNECTORS',
  'NAMESPACE', 'MATERIALIZED', 'VIEW', 'TUMBLING', 'HOPPING', 'SIZE', 'ADVANCE', 'RETENTION', 'BEGINNING', 'PROPERTIES', 'SAMPLE', 'EXPORT', 'CATALOG',
]);

export function quoteIdentifier(name: string): string {
  return IDENT.test(name) && !RESERVED.has(name) ? name : '`' + name.replace(/`/g, '``') + '`';
}

export function formatTypeAst(t: TypeAst): string {
  switch (t.kind) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatTypeAst(t.element)}>`;
    case 'MAP':
      return `MAP<${formatTypeAst(t.key)}, ${formatTypeAst(t.value)}>`;
    case 'STRUCT':
      return `STRUCT<${t.fields.map((f) => `${quoteIdentifier(f.name)} ${formatTypeAst(f.type)}`).join(', ')}>`;
    case 'CUSTOM':
      return t.name;
    default:
      return t.kind;
  }
}

function str(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}

export function formatExpression(e: Expr): string {
  const f = formatExpression;
  switch (e.type) {
    case 'Literal':
      if (e.literalType === 'NULL') return 'null';
      if (e.literalType === 'STRING') return str(e.value as string);
      if (e.literalType === 'BOOLEAN') return e.value ? 'true' : 'false';
      return String(e.value);
    case 'ColumnRef':
      return e.source !== undefined ? `${quoteIdentifier(e.source)}.${quoteIdentifier(e.name)}` : quoteIdentifier(e.name);
    case 'LambdaVariable':
      return e.name;
    case 'Dereference':
      return `${f(e.base)}->${quoteIdentifier(e.field)}`;
    case 'Subscript':
      return `${f(e.base)}[${f(e.index)}]`;
    case 'FunctionCall':
      return `${e.name}(${e.star ? '*' : e.args.map(f).join(', ')})`;
    case 'Lambda':
      return `(${e.params.join(', ')}) => ${f(e.body)}`;
    case 'Arithmetic':
      return `(${f(e.left)} ${e.op} ${f(e.right)})`;
    case 'Negate':
      return `-${f(e.operand)}`;
    case 'Concat':
      return `(${f(e.left)} || ${f(e.right)})`;
    case 'Comparison':
      return `(${f(e.left)} ${e.op} ${f(e.right)})`;
    case 'Logical':
      return `(${f(e.left)} ${e.op} ${f(e.right)})`;
    case 'Not':
      return `(NOT ${f(e.operand)})`;
    case 'IsNull':
      return `(${f(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'Between':
      return `(${f(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${f(e.low)} AND ${f(e.high)})`;
    case 'In':
      return `(${f(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(f).join(', ')}))`;
    case 'Like':
      return `(${f(e.operand)} ${e.negated ? 'NOT ' : ''}LIKE ${f(e.pattern)}${e.escape !== undefined ? ` ESCAPE ${str(e.escape)}` : ''})`;
    case 'Case':
      return `(CASE${e.operand ? ' ' + f(e.operand) : ''} ${e.whens.map((w) => `WHEN ${f(w.when)} THEN ${f(w.then)}`).join(' ')}${e.else ? ` ELSE ${f(e.else)}` : ''} END)`;
    case 'Cast':
      return `CAST(${f(e.operand)} AS ${formatTypeAst(e.target)})`;
    case 'ArrayCtor':
      return `ARRAY[${e.items.map(f).join(', ')}]`;
    case 'MapCtor':
      return `MAP(${e.entries.map((x) => `${f(x.key)}:=${f(x.value)}`).join(', ')})`;
    case 'StructCtor':
      return `STRUCT(${e.fields.map((x) => `${quoteIdentifier(x.name)}:=${f(x.value)}`).join(', ')})`;
    case 'TypeConstructor':
      return `${e.typeName} ${str(e.value)}`;
    case 'IntervalUnit':
      return e.unit;
    case 'AtTimeZone':
      return `${f(e.operand)} AT TIME ZONE ${str(e.zone)}`;
  }
}
