/**
 * The abstract syntax tree the parser produces and the planner consumes.
 *
 * Conventions:
 * - Identifiers are already case-normalised: unquoted ones upper-cased, back-quoted and
 *   double-quoted ones kept verbatim (ksqlDB's rules).
 * - Every node carries `loc` (1-based line and column of its first token) for error messages.
 * - Durations (window sizes, WITHIN, GRACE, RETENTION, TIMEOUT) are converted to milliseconds.
 * - The AST is plain data (JSON-serialisable apart from nothing): no classes, no functions.
 */

export interface Loc {
  line: number;
  column: number;
}

// ---------------------------------------------------------------- types

/** A type as written in SQL; CUSTOM refers to a type registered with CREATE TYPE. */
export type TypeAst =
  | { kind: 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING' | 'BYTES' | 'DATE' | 'TIME' | 'TIMESTAMP' }
  | { kind: 'DECIMAL'; precision: number; scale: number }
  | { kind: 'ARRAY'; element: TypeAst }
  | { kind: 'MAP'; key: TypeAst; value: TypeAst }
  | { kind: 'STRUCT'; fields: { name: string; type: TypeAst }[] }
  | { kind: 'CUSTOM'; name: string };

// ---------------------------------------------------------------- expressions

export type Expr =
  | LiteralExpr
  | ColumnRefExpr
  | DereferenceExpr
  | SubscriptExpr
  | FunctionCallExpr
  | LambdaExpr
  | LambdaVariableExpr
  | ArithmeticExpr
  | NegateExpr
  | ConcatExpr
  | ComparisonExpr
  | LogicalExpr
  | NotExpr
  | IsNullExpr
  | BetweenExpr
  | InExpr
  | LikeExpr
  | CaseExpr
  | CastExpr
  | ArrayCtorExpr
  | MapCtorExpr
  | StructCtorExpr
  | TypeConstructorExpr
  | IntervalUnitExpr
  | AtTimeZoneExpr;

/**
 * A literal. `value` is the source text for numbers (so exact decimals and 64-bit integers
 * survive), the unescaped text for strings, a boolean for booleans, null for NULL.
 * Integer literals are INTEGER when they fit 32 bits, else BIGINT; `1.5` is DECIMAL; `1.5E3` DOUBLE.
 */
export interface LiteralExpr {
  type: 'Literal';
  literalType: 'NULL' | 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DECIMAL' | 'DOUBLE' | 'STRING';
  value: string | boolean | null;
  loc: Loc;
}

/** `col` or `src.col`. `source` is the qualifier (source name or alias) when written. */
export interface ColumnRefExpr {
  type: 'ColumnRef';
  source?: string;
  name: string;
  loc: Loc;
}

/** `base->field` */
export interface DereferenceExpr {
  type: 'Dereference';
  base: Expr;
  field: string;
  loc: Loc;
}

/** `base[index]` (arrays are 1-based, negative counts from the end; maps by key) */
export interface SubscriptExpr {
  type: 'Subscript';
  base: Expr;
  index: Expr;
  loc: Loc;
}

/** `NAME(args)`; `COUNT(*)` has star=true and no args. Lambdas appear as LambdaExpr args. */
export interface FunctionCallExpr {
  type: 'FunctionCall';
  name: string;
  args: Expr[];
  star?: boolean;
  loc: Loc;
}

/** `x => body` or `(x, y) => body` */
export interface LambdaExpr {
  type: 'Lambda';
  params: string[];
  body: Expr;
  loc: Loc;
}

/**
 * A reference to a lambda parameter inside a lambda body. The parser may emit ColumnRef for
 * these; the planner resolves names against enclosing lambda parameters first either way.
 */
export interface LambdaVariableExpr {
  type: 'LambdaVariable';
  name: string;
  loc: Loc;
}

export interface ArithmeticExpr {
  type: 'Arithmetic';
  op: '+' | '-' | '*' | '/' | '%';
  left: Expr;
  right: Expr;
  loc: Loc;
}

/** Unary minus (unary plus is dropped by the parser). */
export interface NegateExpr {
  type: 'Negate';
  operand: Expr;
  loc: Loc;
}

/** `a || b` */
export interface ConcatExpr {
  type: 'Concat';
  left: Expr;
  right: Expr;
  loc: Loc;
}

export interface ComparisonExpr {
  type: 'Comparison';
  op: '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';
  left: Expr;
  right: Expr;
  loc: Loc;
}

export interface LogicalExpr {
  type: 'Logical';
  op: 'AND' | 'OR';
  left: Expr;
  right: Expr;
  loc: Loc;
}

export interface NotExpr {
  type: 'Not';
  operand: Expr;
  loc: Loc;
}

export interface IsNullExpr {
  type: 'IsNull';
  operand: Expr;
  negated: boolean;
  loc: Loc;
}

export interface BetweenExpr {
  type: 'Between';
  operand: Expr;
  low: Expr;
  high: Expr;
  negated: boolean;
  loc: Loc;
}

export interface InExpr {
  type: 'In';
  operand: Expr;
  list: Expr[];
  negated: boolean;
  loc: Loc;
}

export interface LikeExpr {
  type: 'Like';
  operand: Expr;
  pattern: Expr;
  /** the single escape character from `ESCAPE 'c'` */
  escape?: string;
  negated: boolean;
  loc: Loc;
}

/** Searched CASE (operand absent) or simple CASE (operand present). */
export interface CaseExpr {
  type: 'Case';
  operand?: Expr;
  whens: { when: Expr; then: Expr }[];
  else?: Expr;
  loc: Loc;
}

export interface CastExpr {
  type: 'Cast';
  operand: Expr;
  target: TypeAst;
  loc: Loc;
}

export interface ArrayCtorExpr {
  type: 'ArrayCtor';
  items: Expr[];
  loc: Loc;
}

export interface MapCtorExpr {
  type: 'MapCtor';
  entries: { key: Expr; value: Expr }[];
  loc: Loc;
}

export interface StructCtorExpr {
  type: 'StructCtor';
  fields: { name: string; value: Expr }[];
  loc: Loc;
}

/** `identifier 'string'` e.g. a typed literal such as DATE '2021-01-01' */
export interface TypeConstructorExpr {
  type: 'TypeConstructor';
  typeName: string;
  value: string;
  loc: Loc;
}

/** A time unit passed as a function argument: TIMESTAMPADD(SECONDS, 5, ts). Unit is singular/plural upper-case as written. */
export interface IntervalUnitExpr {
  type: 'IntervalUnit';
  unit: string;
  loc: Loc;
}

/** `expr AT TIME ZONE 'zone'` */
export interface AtTimeZoneExpr {
  type: 'AtTimeZone';
  operand: Expr;
  zone: string;
  loc: Loc;
}

// ---------------------------------------------------------------- queries

export type SelectItem =
  | { type: 'AllColumns'; source?: string; loc: Loc } // `*` or `src.*`
  | { type: 'StructAll'; base: Expr; loc: Loc } // `col->*`
  | { type: 'SelectExpr'; expr: Expr; alias?: string; loc: Loc };

export interface AliasedSource {
  name: string;
  alias?: string;
  loc: Loc;
}

export interface JoinWindow {
  /** symmetric WITHIN n unit gives before === after */
  beforeMs: number;
  afterMs: number;
  graceMs?: number;
}

export interface JoinClause {
  joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
  source: AliasedSource;
  within?: JoinWindow;
  on: Expr;
  loc: Loc;
}

export type WindowExpr =
  | { kind: 'TUMBLING'; sizeMs: number; retentionMs?: number; graceMs?: number; loc: Loc }
  | { kind: 'HOPPING'; sizeMs: number; advanceMs: number; retentionMs?: number; graceMs?: number; loc: Loc }
  | { kind: 'SESSION'; gapMs: number; retentionMs?: number; graceMs?: number; loc: Loc };

export interface Query {
  select: SelectItem[];
  from: AliasedSource;
  joins: JoinClause[];
  window?: WindowExpr;
  where?: Expr;
  groupBy?: Expr[];
  partitionBy?: Expr[];
  having?: Expr;
  emit?: 'CHANGES' | 'FINAL';
  limit?: number;
  loc: Loc;
}

// ---------------------------------------------------------------- statements

export type PropertyValue = string | number | boolean | null;

/**
 * WITH (...) properties; keys upper-cased, values from literals (numbers as JS numbers).
 * Exception: in CREATE ... CONNECTOR, quoted keys keep their case ('connector.class').
 */
export type Properties = Record<string, PropertyValue>;

export interface TableElement {
  name: string;
  type: TypeAst;
  /** KEY / PRIMARY KEY / HEADERS / HEADER('name') */
  constraint?: { kind: 'KEY' } | { kind: 'PRIMARY_KEY' } | { kind: 'HEADERS' } | { kind: 'HEADER'; key: string };
  loc: Loc;
}

export type Statement =
  | { type: 'Query'; query: Query; loc: Loc }
  | {
      type: 'CreateSource';
      sourceType: 'STREAM' | 'TABLE';
      orReplace: boolean;
      isSource: boolean;
      ifNotExists: boolean;
      name: string;
      elements: TableElement[];
      properties: Properties;
      loc: Loc;
    }
  | {
      type: 'CreateAsSelect';
      sourceType: 'STREAM' | 'TABLE';
      orReplace: boolean;
      ifNotExists: boolean;
      name: string;
      properties: Properties;
      query: Query;
      loc: Loc;
    }
  | { type: 'InsertInto'; target: string; properties: Properties; query: Query; loc: Loc }
  | { type: 'InsertValues'; target: string; columns?: string[]; values: Expr[]; loc: Loc }
  | { type: 'DropSource'; sourceType: 'STREAM' | 'TABLE'; ifExists: boolean; name: string; deleteTopic: boolean; loc: Loc }
  | { type: 'CreateType'; name: string; ifNotExists: boolean; typeDef: TypeAst; loc: Loc }
  | { type: 'DropType'; name: string; ifExists: boolean; loc: Loc }
  | { type: 'AlterSource'; sourceType: 'STREAM' | 'TABLE'; name: string; addColumns: { name: string; type: TypeAst }[]; loc: Loc }
  | { type: 'Terminate'; queryId?: string; all: boolean; loc: Loc }
  /** PAUSE <queryId> | PAUSE ALL */
  | { type: 'Pause'; queryId?: string; all: boolean; loc: Loc }
  /** RESUME <queryId> | RESUME ALL */
  | { type: 'Resume'; queryId?: string; all: boolean; loc: Loc }
  | {
      type: 'Show';
      what: 'STREAMS' | 'TABLES' | 'QUERIES' | 'TOPICS' | 'PROPERTIES' | 'FUNCTIONS' | 'TYPES' | 'VARIABLES' | 'CONNECTORS' | 'CONNECTOR_PLUGINS';
      extended: boolean;
      /** SHOW ALL TOPICS */
      all: boolean;
      /** SHOW SOURCE|SINK CONNECTORS */
      connectorType?: 'SOURCE' | 'SINK';
      loc: Loc;
    }
  | { type: 'Describe'; name: string; extended: boolean; loc: Loc }
  | { type: 'DescribeStreams'; extended: boolean; loc: Loc }
  /** `DESCRIBE TABLES` (unquoted TABLES is this, not a source named TABLES) */
  | { type: 'DescribeTables'; extended: boolean; loc: Loc }
  | { type: 'DescribeFunction'; name: string; loc: Loc }
  | { type: 'DescribeConnector'; name: string; loc: Loc }
  | { type: 'Explain'; queryId?: string; statement?: Statement; loc: Loc }
  | { type: 'Print'; topic: string; fromBeginning: boolean; interval?: number; limit?: number; loc: Loc }
  | { type: 'SetProperty'; name: string; value: string; loc: Loc }
  | { type: 'AlterSystem'; name: string; value: string; loc: Loc }
  | { type: 'UnsetProperty'; name: string; loc: Loc }
  | { type: 'DefineVariable'; name: string; value: string; loc: Loc }
  | { type: 'UndefineVariable'; name: string; loc: Loc }
  | { type: 'CreateConnector'; connectorType: 'SOURCE' | 'SINK'; name: string; ifNotExists: boolean; properties: Properties; loc: Loc }
  | { type: 'DropConnector'; name: string; ifExists: boolean; loc: Loc }
  | { type: 'AssertTopic'; topic: string; exists: boolean; properties: Properties; timeoutMs?: number; loc: Loc }
  | { type: 'AssertSchema'; exists: boolean; subject?: string; id?: number; timeoutMs?: number; loc: Loc }
  // test-runner statements (ksql-test-runner's assertStatement)
  | { type: 'AssertValues'; target: string; columns?: string[]; values: Expr[]; loc: Loc }
  | { type: 'AssertTombstone'; target: string; columns?: string[]; values: Expr[]; loc: Loc }
  | { type: 'AssertSource'; sourceType: 'STREAM' | 'TABLE'; name: string; elements: TableElement[]; properties: Properties; loc: Loc }
  | { type: 'RunScript'; path: string; loc: Loc };

export type StatementType = Statement['type'];

/** One statement of a script together with its own text, as ksqlDB keeps it (statementText). */
export interface ParsedStatement {
  statement: Statement;
  /** the statement's source text, trimmed, ending with ';' */
  text: string;
  loc: Loc;
}
