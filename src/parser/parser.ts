/**
 * The ksqlDB statement grammar as a chevrotain embedded-actions parser building the AST of
 * ./ast.ts directly (no intermediate CST: faster and one place to read).
 *
 * The grammar follows ksqlDB's SqlBase.g4 rule by rule, rewritten for LL(k):
 * - ANTLR's left-recursive `booleanExpression`/`valueExpression` become precedence levels:
 *   OR < AND < NOT < predicate (comparison, BETWEEN, IN, LIKE, IS [NOT] NULL,
 *   IS [NOT] DISTINCT FROM) < `||` < `+ -` < `* / %` < unary `- +` < AT TIME ZONE <
 *   postfix (`[i]`, `->f`) < primary. (In ksqlDB `||` binds looser than `+`.)
 * - Where ANTLR relies on full-context prediction, GATEs look ahead by hand: lambdas, `col->*`
 *   select items, `GROUP BY (a, b)` lists, aliases that are non-reserved keywords.
 * - Chevrotain records the grammar by running every rule once at start-up, so every piece of
 *   AST building sits inside ACTION (skipped while recording).
 */
import {
  defaultParserErrorProvider,
  EmbeddedActionsParser,
  EOF,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type {
  Expr,
  JoinClause,
  JoinWindow,
  LiteralExpr,
  Loc,
  Properties,
  PropertyValue,
  Query,
  SelectItem,
  Statement,
  TableElement,
  TypeAst,
  WindowExpr,
  AliasedSource,
} from './ast.js';
import { ParseError } from './errors.js';
import * as T from './lexer.js';
import { isA } from './lexer.js';

const UNIT_MS: Record<string, number> = {
  DAY: 86_400_000,
  DAYS: 86_400_000,
  HOUR: 3_600_000,
  HOURS: 3_600_000,
  MINUTE: 60_000,
  MINUTES: 60_000,
  SECOND: 1000,
  SECONDS: 1000,
  MILLISECOND: 1,
  MILLISECONDS: 1,
};

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Source names must be valid Kafka Streams store names (ksqlDB ParserUtil.getSourceName). */
const VALID_SOURCE_NAME = /^[a-zA-Z0-9_-]*$/;

const loc = (t: IToken): Loc => ({ line: t.startLine ?? 1, column: t.startColumn ?? 1 });

/** A number as written: optional minus and the number token. */
interface NumberText {
  text: string;
  token: IToken;
  loc: Loc;
}

/** Semantic errors raised while building the AST (ksqlDB raises them in AstBuilder). */
function semanticError(message: string, at: Loc, found: string): ParseError {
  return new ParseError(message, at.line, at.column, found, []);
}

/** ksqlDB's unquote: strip the quotes and undouble the inner ones. */
export function unquote(image: string, quote: string): string {
  return image.slice(1, -1).split(quote + quote).join(quote);
}

/**
 * ksqlDB's getIdentifierText: quoted identifiers verbatim, others upper-cased (or as written
 * when caseSensitive, e.g. topic names in PRINT).
 */
export function identifierText(t: IToken, caseSensitive = false): string {
  switch (t.tokenType) {
    case T.QuotedIdentifier:
      return unquote(t.image, '"');
    case T.BackQuotedIdentifier:
      return unquote(t.image, '`');
    case T.Variable:
      throw semanticError(
        `Illegal argument at ${t.startLine}:${t.startColumn}. Identifier names cannot start with '@' ` +
          `and may only contain alphanumeric values and '_'. Got: '${t.image}' (undefined variable)`,
        loc(t),
        t.image,
      );
    default:
      return caseSensitive ? t.image : t.image.toUpperCase();
  }
}

const PRIMITIVE_TYPES: Record<string, TypeAst['kind']> = {
  BOOLEAN: 'BOOLEAN',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  VARCHAR: 'STRING',
  STRING: 'STRING',
  BYTES: 'BYTES',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

/** Tokens that continue an expression after a parenthesised group (see groupingList). */
const EXPRESSION_CONTINUATIONS = new Set<TokenType>([
  T.Comma, T.Plus, T.Minus, T.Asterisk, T.Slash, T.Percent, T.Concat, T.LBracket, T.Arrow, T.AT,
]);

/** Prefix of a mismatch error's message, followed by the name of the token type required. */
export const MISMATCH_PREFIX = 'MISMATCH:';

/**
 * Prefix of a failed choice that ANTLR treats as a plain token set (e.g. `INTEGER_VALUE |
 * 'STRING'`), followed by the token type names; such failures read like mismatches.
 */
export const TOKEN_SET_PREFIX = 'SET:';
/** Prefix of a failed choice among alternatives (ANTLR's "no viable alternative"), then names. */
export const NO_VIABLE_ALT_PREFIX = 'NO_VIABLE_ALT:';
/** ERR_MSG marking an OR whose alternatives are single tokens, like an ANTLR set. */
const TOKEN_SET = 'TOKEN_SET';

/**
 * Error messages here are codes read back by index.ts, which words the final message the way
 * ksqlDB does (mismatch vs. token set vs. no viable alternative matter there).
 */
const errorMessageProvider: IParserErrorMessageProvider = {
  ...defaultParserErrorProvider,
  buildMismatchTokenMessage: ({ expected }) => MISMATCH_PREFIX + expected.name,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, customUserDescription }) =>
    (customUserDescription === TOKEN_SET ? TOKEN_SET_PREFIX : NO_VIABLE_ALT_PREFIX) +
    expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]!.name)).join(','),
  buildEarlyExitMessage: ({ expectedIterationPaths, customUserDescription }) =>
    (customUserDescription === TOKEN_SET ? TOKEN_SET_PREFIX : NO_VIABLE_ALT_PREFIX) +
    expectedIterationPaths.map((path) => path[0]!.name).join(','),
};

export class SqlParser extends EmbeddedActionsParser {
  /** accept ksql-test-runner statements (ASSERT VALUES/NULL VALUES/STREAM/TABLE, RUN SCRIPT) */
  testStatements = false;
  /** lambda parameters in scope, innermost last */
  private lambdaScopes: string[][] = [];

  /**
   * @param validate run chevrotain's grammar validations (ambiguities, duplicate occurrence
   *   indices); slow, so only tests do it — the grammar is fixed at build time.
   */
  constructor(validate = false) {
    super(T.vocabulary, { maxLookahead: 3, recoveryEnabled: false, errorMessageProvider, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  /** Resets per-parse state; call before each top-level rule. */
  override reset(): void {
    super.reset();
    this.lambdaScopes = [];
  }

  // ================================================================ lookahead helpers

  private laIs(i: number, type: TokenType): boolean {
    return isA(this.LA(i), type);
  }

  /** Index k (LA(k)) of the ')' matching the '(' at LA(start), or -1. */
  private matchingClose(start: number): number {
    let depth = 0;
    for (let k = start; ; k++) {
      const t = this.LA(k);
      if (t.tokenType === EOF) return -1;
      if (t.tokenType === T.LParen || t.tokenType === T.LBracket) depth++;
      else if (t.tokenType === T.RParen || t.tokenType === T.RBracket) {
        depth--;
        if (depth === 0) return k;
      }
    }
  }

  /** `x =>` or `(x, y) =>` ahead. */
  private lambdaAhead(): boolean {
    if (this.laIs(1, T.IdentLike)) return this.LA(2).tokenType === T.Lambda;
    if (this.LA(1).tokenType !== T.LParen) return false;
    let k = 2;
    for (;;) {
      if (!this.laIs(k, T.IdentLike)) return false;
      k++;
      if (this.LA(k).tokenType === T.Comma) {
        k++;
        continue;
      }
      return this.LA(k).tokenType === T.RParen && this.LA(k + 1).tokenType === T.Lambda;
    }
  }

  /** The select item ahead ends with `-> *` (ksqlDB's selectStructAll). */
  private structAllAhead(): boolean {
    let depth = 0;
    for (let k = 1; ; k++) {
      const t = this.LA(k).tokenType;
      if (t === EOF && depth > 0) return false; // unbalanced: let the parser report it
      if (t === T.LParen || t === T.LBracket) depth++;
      else if (t === T.RParen || t === T.RBracket) {
        if (depth === 0) return false;
        depth--;
      } else if (depth === 0 && (t === T.Comma || t === T.FROM || t === T.Semi || t === EOF)) {
        return k > 2 && this.LA(k - 2).tokenType === T.Arrow && this.LA(k - 1).tokenType === T.Asterisk;
      }
    }
  }

  /** `GROUP BY (a, b)` is a parenthesised list unless the group continues an expression. */
  private parenListAhead(): boolean {
    if (this.LA(1).tokenType !== T.LParen) return false;
    const close = this.matchingClose(1);
    if (close < 0) return false;
    const next = this.LA(close + 1).tokenType;
    // `(a) + 1, b` is an expression list starting with a parenthesised expression
    return !EXPRESSION_CONTINUATIONS.has(next);
  }

  /** An optional alias ahead, not to be confused with a following clause keyword. */
  private aliasAhead(): boolean {
    const t1 = this.LA(1).tokenType;
    if (t1 === T.AS) return true;
    if (!this.laIs(1, T.IdentLike)) return false;
    const t2 = this.LA(2).tokenType;
    if (t1 === T.PARTITION && t2 === T.BY) return false;
    if (t1 === T.EMIT && (t2 === T.CHANGES || t2 === T.FINAL)) return false;
    return true;
  }

  // ================================================================ statements

  public singleStatement = this.RULE('singleStatement', (): Statement => {
    const s = this.SUBRULE(this.statement);
    this.OPTION(() => this.CONSUME(T.Semi));
    return s;
  });

  public statement = this.RULE('statement', (): Statement =>
    this.OR([
      {
        ALT: () => {
          const q = this.SUBRULE(this.query);
          return this.ACTION((): Statement => ({ type: 'Query', query: q, loc: q.loc }));
        },
      },
      { ALT: () => this.SUBRULE(this.listStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.printStatement) },
      { ALT: () => this.SUBRULE(this.queryControlStatement) },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.unsetStatement) },
      { ALT: () => this.SUBRULE(this.alterStatement) },
      { ALT: () => this.SUBRULE(this.defineStatement) },
      { ALT: () => this.SUBRULE(this.undefineStatement) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.dropStatement) },
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.assertStatement) },
      { GATE: () => this.testStatements, ALT: () => this.SUBRULE(this.runScript) },
    ]),
  );

  private listStatement = this.RULE('listStatement', (): Statement => {
    const start = this.OR1([{ ALT: () => this.CONSUME(T.LIST) }, { ALT: () => this.CONSUME(T.SHOW) }]);
    let what: Extract<Statement, { type: 'Show' }>['what'] = 'STREAMS';
    let extended = false;
    let all = false;
    let connectorType: 'SOURCE' | 'SINK' | undefined;
    const ext = (idx: number) =>
      this.option(idx, () => {
        this.consume(idx, T.EXTENDED);
        extended = true;
      });
    this.OR2([
      { ALT: () => { this.CONSUME(T.PROPERTIES); what = 'PROPERTIES'; } },
      {
        ALT: () => {
          this.OPTION1(() => { this.CONSUME(T.ALL); all = true; });
          this.CONSUME(T.TOPICS);
          what = 'TOPICS';
          ext(2);
        },
      },
      { ALT: () => { this.CONSUME(T.STREAMS); what = 'STREAMS'; ext(3); } },
      { ALT: () => { this.CONSUME(T.TABLES); what = 'TABLES'; ext(4); } },
      { ALT: () => { this.CONSUME(T.FUNCTIONS); what = 'FUNCTIONS'; } },
      {
        ALT: () => {
          this.OPTION5(() =>
            this.OR3([
              { ALT: () => { this.CONSUME(T.SOURCE); connectorType = 'SOURCE'; } },
              { ALT: () => { this.CONSUME(T.SINK); connectorType = 'SINK'; } },
            ]),
          );
          this.CONSUME(T.CONNECTORS);
          what = 'CONNECTORS';
        },
      },
      { ALT: () => { this.CONSUME(T.CONNECTOR); this.CONSUME(T.PLUGINS); what = 'CONNECTOR_PLUGINS'; } },
      { ALT: () => { this.CONSUME(T.TYPES); what = 'TYPES'; } },
      { ALT: () => { this.CONSUME(T.VARIABLES); what = 'VARIABLES'; } },
      { ALT: () => { this.CONSUME(T.QUERIES); what = 'QUERIES'; ext(6); } },
    ]);
    return this.ACTION((): Statement => {
      const s: Statement = { type: 'Show', what, extended, all, loc: loc(start) };
      if (connectorType) s.connectorType = connectorType;
      return s;
    });
  });

  private describeStatement = this.RULE('describeStatement', (): Statement => {
    const start = this.CONSUME(T.DESCRIBE);
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.STREAMS);
            const e = this.OPTION1(() => this.CONSUME1(T.EXTENDED));
            return this.ACTION((): Statement => ({ type: 'DescribeStreams', extended: !!e, loc: loc(start) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.CONNECTOR);
            const id = this.SUBRULE1(this.identifier);
            return this.ACTION((): Statement => ({ type: 'DescribeConnector', name: identifierText(id), loc: loc(start) }));
          },
        },
        {
          GATE: () => this.LA(1).tokenType === T.FUNCTION && this.laIs(2, T.IdentLike),
          ALT: () => {
            this.CONSUME(T.FUNCTION);
            const id = this.SUBRULE2(this.identifier);
            return this.ACTION((): Statement => ({ type: 'DescribeFunction', name: identifierText(id), loc: loc(start) }));
          },
        },
        {
          ALT: () => {
            const id = this.SUBRULE3(this.identifier);
            const e = this.OPTION2(() => this.CONSUME2(T.EXTENDED));
            return this.ACTION((): Statement => {
              // ksqlDB: an unquoted TABLES means DESCRIBE TABLES, not a source called TABLES
              if (id.tokenType === T.TABLES) return { type: 'DescribeTables', extended: !!e, loc: loc(start) };
              return { type: 'Describe', name: this.sourceNameText(id), extended: !!e, loc: loc(start) };
            });
          },
        },
      ],
    });
  });

  private printStatement = this.RULE('printStatement', (): Statement => {
    const start = this.CONSUME(T.PRINT);
    const topic = this.SUBRULE(this.resourceName);
    let fromBeginning = false;
    let interval: NumberText | undefined;
    let limit: NumberText | undefined;
    this.OPTION1(() => {
      this.CONSUME(T.FROM);
      this.CONSUME(T.BEGINNING);
      fromBeginning = true;
    });
    this.OPTION2(() => {
      this.OR({ ERR_MSG: TOKEN_SET, DEF: [{ ALT: () => this.CONSUME(T.INTERVAL) }, { ALT: () => this.CONSUME(T.SAMPLE) }] });
      interval = this.SUBRULE1(this.number);
    });
    this.OPTION3(() => {
      this.CONSUME(T.LIMIT);
      limit = this.SUBRULE2(this.number);
    });
    return this.ACTION((): Statement => {
      const s: Statement = { type: 'Print', topic, fromBeginning, loc: loc(start) };
      if (interval) s.interval = integerNumber(interval, 'INTERVAL');
      if (limit) s.limit = integerNumber(limit, 'LIMIT');
      return s;
    });
  });

  /** TERMINATE / PAUSE / RESUME  (ALL | queryId) */
  private queryControlStatement = this.RULE('queryControlStatement', (): Statement => {
    const start = this.OR1([
      { ALT: () => this.CONSUME(T.TERMINATE) },
      { ALT: () => this.CONSUME(T.PAUSE) },
      { ALT: () => this.CONSUME(T.RESUME) },
    ]);
    let all = false;
    let id: IToken | undefined;
    this.OR2([
      { ALT: () => { this.CONSUME(T.ALL); all = true; } },
      { ALT: () => { id = this.SUBRULE(this.identifier); } },
    ]);
    return this.ACTION((): Statement => {
      const type = start.tokenType === T.TERMINATE ? 'Terminate' : start.tokenType === T.PAUSE ? 'Pause' : 'Resume';
      const s: { type: typeof type; all: boolean; queryId?: string; loc: Loc } = { type, all, loc: loc(start) };
      if (id) s.queryId = identifierText(id);
      return s as Statement;
    });
  });

  private setStatement = this.RULE('setStatement', (): Statement => {
    const start = this.CONSUME(T.SET);
    const k = this.CONSUME1(T.Str);
    this.CONSUME(T.Eq);
    const v = this.CONSUME2(T.Str);
    return this.ACTION((): Statement => ({
      type: 'SetProperty',
      name: unquote(k.image, "'"),
      value: unquote(v.image, "'"),
      loc: loc(start),
    }));
  });

  private unsetStatement = this.RULE('unsetStatement', (): Statement => {
    const start = this.CONSUME(T.UNSET);
    const k = this.CONSUME(T.Str);
    return this.ACTION((): Statement => ({ type: 'UnsetProperty', name: unquote(k.image, "'"), loc: loc(start) }));
  });

  /** ALTER SYSTEM 'k'='v'  |  ALTER STREAM|TABLE name ADD [COLUMN] c type, ... */
  private alterStatement = this.RULE('alterStatement', (): Statement => {
    const start = this.CONSUME(T.ALTER);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.SYSTEM);
          const k = this.CONSUME1(T.Str);
          this.CONSUME(T.Eq);
          const v = this.CONSUME2(T.Str);
          return this.ACTION((): Statement => ({
            type: 'AlterSystem',
            name: unquote(k.image, "'"),
            value: unquote(v.image, "'"),
            loc: loc(start),
          }));
        },
      },
      {
        ALT: () => {
          const kind = this.OR2([{ ALT: () => this.CONSUME(T.STREAM) }, { ALT: () => this.CONSUME(T.TABLE) }]);
          const name = this.SUBRULE(this.sourceName);
          const addColumns: { name: string; type: TypeAst }[] = [];
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () => {
              this.CONSUME(T.ADD);
              this.OPTION(() => this.CONSUME(T.COLUMN));
              const col = this.SUBRULE(this.identifier);
              const type = this.SUBRULE(this.type);
              this.ACTION(() => addColumns.push({ name: identifierText(col), type }));
            },
          });
          return this.ACTION((): Statement => ({
            type: 'AlterSource',
            sourceType: kind.tokenType === T.STREAM ? 'STREAM' : 'TABLE',
            name,
            addColumns,
            loc: loc(start),
          }));
        },
      },
    ]);
  });

  /** ksqlDB accepts any word (even a reserved one) as a variable name, kept as written. */
  private variableName = this.RULE('variableName', (): IToken =>
    this.OR([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.Keyword) }]),
  );

  private defineStatement = this.RULE('defineStatement', (): Statement => {
    const start = this.CONSUME(T.DEFINE);
    const name = this.SUBRULE(this.variableName);
    this.CONSUME(T.Eq);
    const v = this.CONSUME(T.Str);
    return this.ACTION((): Statement => ({
      type: 'DefineVariable',
      name: name.image,
      value: unquote(v.image, "'"),
      loc: loc(start),
    }));
  });

  private undefineStatement = this.RULE('undefineStatement', (): Statement => {
    const start = this.CONSUME(T.UNDEFINE);
    const name = this.SUBRULE(this.variableName);
    return this.ACTION((): Statement => ({ type: 'UndefineVariable', name: name.image, loc: loc(start) }));
  });

  private createStatement = this.RULE('createStatement', (): Statement => {
    const start = this.CONSUME(T.CREATE);
    return this.OR([
      // CREATE TYPE [IF NOT EXISTS] name AS type
      {
        ALT: () => {
          this.CONSUME(T.TYPE);
          const ine = this.SUBRULE1(this.ifNotExists);
          const id = this.SUBRULE1(this.identifier);
          this.CONSUME1(T.AS);
          const typeDef = this.SUBRULE(this.type);
          return this.ACTION((): Statement => ({
            type: 'CreateType',
            name: identifierText(id),
            ifNotExists: ine,
            typeDef,
            loc: loc(start),
          }));
        },
      },
      // CREATE SINK|SOURCE CONNECTOR [IF NOT EXISTS] name WITH (...)
      {
        ALT: () => {
          const kind = this.OR1([{ ALT: () => this.CONSUME1(T.SINK) }, { ALT: () => this.CONSUME1(T.SOURCE) }]);
          this.CONSUME(T.CONNECTOR);
          const ine = this.SUBRULE2(this.ifNotExists);
          const id = this.SUBRULE2(this.identifier);
          this.CONSUME1(T.WITH);
          const properties = this.SUBRULE1(this.tableProperties, { ARGS: [true] });
          return this.ACTION((): Statement => ({
            type: 'CreateConnector',
            connectorType: kind.tokenType === T.SINK ? 'SINK' : 'SOURCE',
            name: identifierText(id),
            ifNotExists: ine,
            properties,
            loc: loc(start),
          }));
        },
      },
      // CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name [(elements)] [WITH (...)] [AS query]
      {
        ALT: () => {
          let orReplace = false;
          let isSource = false;
          let elements: TableElement[] | undefined;
          let properties: Properties = {};
          let query: Query | undefined;
          this.OPTION1(() => {
            this.CONSUME(T.OR);
            this.CONSUME(T.REPLACE);
            orReplace = true;
          });
          this.OPTION2(() => {
            this.CONSUME2(T.SOURCE);
            isSource = true;
          });
          const kind = this.OR2([{ ALT: () => this.CONSUME(T.STREAM) }, { ALT: () => this.CONSUME(T.TABLE) }]);
          const ine = this.SUBRULE3(this.ifNotExists);
          const name = this.SUBRULE(this.sourceName);
          this.OPTION3(() => {
            elements = this.SUBRULE(this.tableElements);
          });
          this.OPTION4(() => {
            this.CONSUME2(T.WITH);
            properties = this.SUBRULE2(this.tableProperties);
          });
          // `AS query` only without column list and SOURCE (ksqlDB's createStreamAs/createTableAs)
          this.OPTION5({
            GATE: () => elements === undefined && !isSource,
            DEF: () => {
              this.CONSUME2(T.AS);
              query = this.SUBRULE(this.query);
            },
          });
          return this.ACTION((): Statement => {
            const sourceType = kind.tokenType === T.STREAM ? 'STREAM' : 'TABLE';
            if (query) {
              return { type: 'CreateAsSelect', sourceType, orReplace, ifNotExists: ine, name, properties, query, loc: loc(start) };
            }
            return {
              type: 'CreateSource',
              sourceType,
              orReplace,
              isSource,
              ifNotExists: ine,
              name,
              elements: elements ?? [],
              properties,
              loc: loc(start),
            };
          });
        },
      },
    ]);
  });

  private ifNotExists = this.RULE('ifNotExists', (): boolean => {
    let present = false;
    this.OPTION(() => {
      this.CONSUME(T.IF);
      this.CONSUME(T.NOT);
      this.CONSUME(T.EXISTS);
      present = true;
    });
    return present;
  });

  private ifExists = this.RULE('ifExists', (): boolean => {
    let present = false;
    this.OPTION(() => {
      this.CONSUME(T.IF);
      this.CONSUME(T.EXISTS);
      present = true;
    });
    return present;
  });

  private insertStatement = this.RULE('insertStatement', (): Statement => {
    const start = this.CONSUME(T.INSERT);
    this.CONSUME(T.INTO);
    const target = this.SUBRULE(this.sourceName);
    return this.OR([
      {
        ALT: () => {
          const columns = this.SUBRULE(this.columns);
          this.CONSUME1(T.VALUES);
          const values = this.SUBRULE1(this.values);
          return this.ACTION((): Statement => ({ type: 'InsertValues', target, columns, values, loc: loc(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.VALUES);
          const values = this.SUBRULE2(this.values);
          return this.ACTION((): Statement => ({ type: 'InsertValues', target, values, loc: loc(start) }));
        },
      },
      {
        ALT: () => {
          let properties: Properties = {};
          this.OPTION(() => {
            this.CONSUME(T.WITH);
            properties = this.SUBRULE(this.tableProperties);
          });
          const query = this.SUBRULE(this.query);
          return this.ACTION((): Statement => ({ type: 'InsertInto', target, properties, query, loc: loc(start) }));
        },
      },
    ]);
  });

  private dropStatement = this.RULE('dropStatement', (): Statement => {
    const start = this.CONSUME(T.DROP);
    return this.OR([
      {
        ALT: () => {
          const kind = this.OR1([{ ALT: () => this.CONSUME(T.STREAM) }, { ALT: () => this.CONSUME(T.TABLE) }]);
          const ie = this.SUBRULE1(this.ifExists);
          const name = this.SUBRULE(this.sourceName);
          let deleteTopic = false;
          this.OPTION(() => {
            this.CONSUME(T.DELETE);
            this.CONSUME(T.TOPIC);
            deleteTopic = true;
          });
          return this.ACTION((): Statement => ({
            type: 'DropSource',
            sourceType: kind.tokenType === T.STREAM ? 'STREAM' : 'TABLE',
            ifExists: ie,
            name,
            deleteTopic,
            loc: loc(start),
          }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.CONNECTOR);
          const ie = this.SUBRULE2(this.ifExists);
          const id = this.SUBRULE1(this.identifier);
          return this.ACTION((): Statement => ({ type: 'DropConnector', name: identifierText(id), ifExists: ie, loc: loc(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.TYPE);
          const ie = this.SUBRULE3(this.ifExists);
          const id = this.SUBRULE2(this.identifier);
          return this.ACTION((): Statement => ({ type: 'DropType', name: identifierText(id), ifExists: ie, loc: loc(start) }));
        },
      },
    ]);
  });

  /** EXPLAIN statement | EXPLAIN queryId */
  private explainStatement = this.RULE('explainStatement', (): Statement => {
    const start = this.CONSUME(T.EXPLAIN);
    return this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.laIs(1, T.IdentLike) && (this.LA(2).tokenType === T.Semi || this.LA(2).tokenType === EOF),
          ALT: () => {
            const id = this.SUBRULE(this.identifier);
            return this.ACTION((): Statement => ({ type: 'Explain', queryId: identifierText(id), loc: loc(start) }));
          },
        },
        {
          ALT: () => {
            const statement = this.SUBRULE(this.statement);
            return this.ACTION((): Statement => ({ type: 'Explain', statement, loc: loc(start) }));
          },
        },
      ],
    });
  });

  private assertStatement = this.RULE('assertStatement', (): Statement => {
    const start = this.CONSUME(T.ASSERT);
    return this.OR([
      // ASSERT [NOT EXISTS] TOPIC name [WITH (...)] [TIMEOUT n unit]
      // ASSERT [NOT EXISTS] SCHEMA [SUBJECT name] [ID literal] [TIMEOUT n unit]
      {
        ALT: () => {
          let exists = true;
          this.OPTION1(() => {
            this.CONSUME(T.NOT);
            this.CONSUME(T.EXISTS);
            exists = false;
          });
          return this.OR2([
            {
              ALT: () => {
                this.CONSUME(T.TOPIC);
                const topic = this.SUBRULE1(this.resourceName);
                let properties: Properties = {};
                let timeoutMs: number | undefined;
                this.OPTION2(() => {
                  this.CONSUME1(T.WITH);
                  properties = this.SUBRULE1(this.tableProperties);
                });
                this.OPTION3(() => {
                  timeoutMs = this.SUBRULE1(this.timeout);
                });
                return this.ACTION((): Statement => {
                  const s: Statement = { type: 'AssertTopic', topic, exists, properties, loc: loc(start) };
                  if (timeoutMs !== undefined) s.timeoutMs = timeoutMs;
                  return s;
                });
              },
            },
            {
              ALT: () => {
                const schemaTok = this.CONSUME(T.SCHEMA);
                let subject: string | undefined;
                let idLit: LiteralExpr | undefined;
                let timeoutMs: number | undefined;
                this.OPTION4(() => {
                  this.CONSUME(T.SUBJECT);
                  subject = this.SUBRULE2(this.resourceName);
                });
                this.OPTION5(() => {
                  this.CONSUME(T.ID);
                  idLit = this.SUBRULE(this.signedLiteral);
                });
                this.OPTION6(() => {
                  timeoutMs = this.SUBRULE2(this.timeout);
                });
                return this.ACTION((): Statement => {
                  if (subject === undefined && idLit === undefined) {
                    throw semanticError(
                      'ASSERT SCHEMA statements much include a subject name or an id',
                      loc(schemaTok),
                      schemaTok.image,
                    );
                  }
                  const s: Statement = { type: 'AssertSchema', exists, loc: loc(start) };
                  if (subject !== undefined) s.subject = subject;
                  if (idLit !== undefined) {
                    if (idLit.literalType !== 'INTEGER') throw semanticError('ID must be an integer', idLit.loc, String(idLit.value));
                    s.id = Number(idLit.value);
                  }
                  if (timeoutMs !== undefined) s.timeoutMs = timeoutMs;
                  return s;
                });
              },
            },
          ]);
        },
      },
      // test-runner only: ASSERT VALUES / ASSERT NULL VALUES / ASSERT STREAM / ASSERT TABLE
      {
        GATE: () => this.testStatements,
        ALT: () => {
          let tombstone = false;
          this.OPTION7(() => {
            this.CONSUME(T.NULL);
            tombstone = true;
          });
          this.CONSUME1(T.VALUES);
          const target = this.SUBRULE1(this.sourceName);
          let columns: string[] | undefined;
          this.OPTION8(() => {
            columns = this.SUBRULE(this.columns);
          });
          this.OR3([
            { GATE: () => !tombstone, ALT: () => this.CONSUME2(T.VALUES) },
            { GATE: () => tombstone, ALT: () => this.CONSUME(T.KEY) },
          ]);
          const values = this.SUBRULE(this.values);
          return this.ACTION((): Statement => {
            const s: { type: 'AssertTombstone' | 'AssertValues'; target: string; columns?: string[]; values: Expr[]; loc: Loc } =
              { type: tombstone ? 'AssertTombstone' : 'AssertValues', target, values, loc: loc(start) };
            if (columns) s.columns = columns;
            return s as Statement;
          });
        },
      },
      {
        GATE: () => this.testStatements,
        ALT: () => {
          const kind = this.OR4([{ ALT: () => this.CONSUME(T.STREAM) }, { ALT: () => this.CONSUME(T.TABLE) }]);
          const name = this.SUBRULE2(this.sourceName);
          let elements: TableElement[] = [];
          let properties: Properties = {};
          this.OPTION9(() => {
            elements = this.SUBRULE(this.tableElements);
          });
          this.option(10, () => {
            this.CONSUME2(T.WITH);
            properties = this.SUBRULE2(this.tableProperties);
          });
          return this.ACTION((): Statement => ({
            type: 'AssertSource',
            sourceType: kind.tokenType === T.STREAM ? 'STREAM' : 'TABLE',
            name,
            elements,
            properties,
            loc: loc(start),
          }));
        },
      },
    ]);
  });

  private runScript = this.RULE('runScript', (): Statement => {
    const start = this.CONSUME(T.RUN);
    this.CONSUME(T.SCRIPT);
    const path = this.CONSUME(T.Str);
    return this.ACTION((): Statement => ({ type: 'RunScript', path: unquote(path.image, "'"), loc: loc(start) }));
  });

  /** TIMEOUT n unit, in ms */
  private timeout = this.RULE('timeout', (): number => {
    this.CONSUME(T.TIMEOUT);
    return this.SUBRULE(this.duration);
  });

  /** identifier (case-sensitive when unquoted) or 'string' — topic and subject names */
  private resourceName = this.RULE('resourceName', (): string =>
    this.OR([
      {
        ALT: () => {
          const s = this.CONSUME(T.Str);
          return this.ACTION(() => unquote(s.image, "'"));
        },
      },
      {
        ALT: () => {
          const id = this.SUBRULE(this.identifier);
          return this.ACTION(() => identifierText(id, true));
        },
      },
    ]),
  );

  // ================================================================ DDL pieces

  private tableElements = this.RULE('tableElements', (): TableElement[] => {
    const elements: TableElement[] = [];
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const e = this.SUBRULE(this.tableElement);
        this.ACTION(() => elements.push(e));
      },
    });
    this.CONSUME(T.RParen);
    return elements;
  });

  private tableElement = this.RULE('tableElement', (): TableElement => {
    const id = this.SUBRULE(this.identifier);
    const type = this.SUBRULE(this.type);
    let constraint: TableElement['constraint'];
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            let primary = false;
            this.OPTION1(() => {
              this.CONSUME(T.PRIMARY);
              primary = true;
            });
            this.CONSUME(T.KEY);
            constraint = primary ? { kind: 'PRIMARY_KEY' } : { kind: 'KEY' };
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.HEADERS);
            constraint = { kind: 'HEADERS' };
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.HEADER);
            this.CONSUME(T.LParen);
            const key = this.CONSUME(T.Str);
            this.CONSUME(T.RParen);
            this.ACTION(() => {
              constraint = { kind: 'HEADER', key: unquote(key.image, "'").trim() };
            });
          },
        },
      ]);
    });
    return this.ACTION((): TableElement => {
      const e: TableElement = { name: identifierText(id), type, loc: loc(id) };
      if (constraint) e.constraint = constraint;
      return e;
    });
  });

  /**
   * ( key = literal, ... ); keys upper-cased, values as JS values. Connector configurations keep
   * quoted keys as written ('connector.class'), since Kafka Connect's keys are case-sensitive.
   */
  private tableProperties = this.RULE('tableProperties', (keepQuotedKeyCase = false): Properties => {
    const props: Properties = {};
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        let quotedKey = false;
        const key = this.OR([
          {
            ALT: () => {
              const s = this.CONSUME(T.Str);
              quotedKey = true;
              return this.ACTION(() => unquote(s.image, "'"));
            },
          },
          {
            ALT: () => {
              const id = this.SUBRULE(this.identifier);
              return this.ACTION(() => identifierText(id));
            },
          },
        ]);
        this.CONSUME(T.Eq);
        const value = this.SUBRULE(this.signedLiteral);
        this.ACTION(() => {
          props[keepQuotedKeyCase && quotedKey ? key : key.toUpperCase()] = propertyValue(value);
        });
      },
    });
    this.CONSUME(T.RParen);
    return props;
  });

  private columns = this.RULE('columns', (): string[] => {
    const cols: string[] = [];
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const id = this.SUBRULE(this.identifier);
        this.ACTION(() => cols.push(identifierText(id)));
      },
    });
    this.CONSUME(T.RParen);
    return cols;
  });

  private values = this.RULE('values', (): Expr[] => {
    const vals: Expr[] = [];
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const e = this.SUBRULE(this.valueExpression);
        this.ACTION(() => vals.push(e));
      },
    });
    this.CONSUME(T.RParen);
    return vals;
  });

  private sourceName = this.RULE('sourceName', (): string => {
    const id = this.SUBRULE(this.identifier);
    return this.ACTION(() => this.sourceNameText(id));
  });

  private sourceNameText(id: IToken): string {
    const text = identifierText(id);
    if (!VALID_SOURCE_NAME.test(text)) {
      throw semanticError(
        `Illegal argument at ${id.startLine}:${id.startColumn}. Source names may only contain alphanumeric ` +
          `values, '_' or '-'. Got: '${text}'`,
        loc(id),
        id.image,
      );
    }
    return text;
  }

  // ================================================================ types

  public type = this.RULE('type', (): TypeAst => {
    let t = this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.LA(2).tokenType === T.Lt,
          ALT: () => {
            this.CONSUME(T.ARRAY);
            this.CONSUME1(T.Lt);
            const element = this.SUBRULE1(this.type);
            this.CONSUME1(T.Gt);
            return this.ACTION((): TypeAst => ({ kind: 'ARRAY', element }));
          },
        },
        {
          GATE: () => this.LA(2).tokenType === T.Lt,
          ALT: () => {
            this.CONSUME(T.MAP);
            this.CONSUME2(T.Lt);
            const key = this.SUBRULE2(this.type);
            this.CONSUME1(T.Comma);
            const value = this.SUBRULE3(this.type);
            this.CONSUME2(T.Gt);
            return this.ACTION((): TypeAst => ({ kind: 'MAP', key, value }));
          },
        },
        {
          GATE: () => this.LA(2).tokenType === T.Lt,
          ALT: () => {
            this.CONSUME(T.STRUCT);
            this.CONSUME3(T.Lt);
            const fields: { name: string; type: TypeAst }[] = [];
            this.MANY_SEP({
              SEP: T.Comma,
              DEF: () => {
                const id = this.SUBRULE1(this.identifier);
                const ft = this.SUBRULE4(this.type);
                this.ACTION(() => fields.push({ name: identifierText(id), type: ft }));
              },
            });
            this.CONSUME3(T.Gt);
            return this.ACTION((): TypeAst => ({ kind: 'STRUCT', fields }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.DECIMAL);
            this.CONSUME1(T.LParen);
            const p = this.SUBRULE1(this.number);
            this.CONSUME2(T.Comma);
            const s = this.SUBRULE2(this.number);
            this.CONSUME1(T.RParen);
            return this.ACTION((): TypeAst => ({
              kind: 'DECIMAL',
              precision: integerNumber(p, 'DECIMAL(PRECISION)'),
              scale: integerNumber(s, 'DECIMAL(SCALE)'),
            }));
          },
        },
        {
          ALT: () => {
            const id = this.SUBRULE2(this.identifier);
            // type parameters such as VARCHAR(10) are accepted and ignored, as in ksqlDB
            this.OPTION(() => {
              this.CONSUME2(T.LParen);
              this.AT_LEAST_ONE_SEP({
                SEP: T.Comma,
                ERR_MSG: TOKEN_SET,
                DEF: () =>
                  this.OR2({
                    ERR_MSG: TOKEN_SET,
                    DEF: [{ ALT: () => this.CONSUME(T.IntegerValue) }, { ALT: () => this.CONSUME(T.STRING_KW) }],
                  }),
              });
              this.CONSUME2(T.RParen);
            });
            return this.ACTION((): TypeAst => {
              const name = identifierText(id);
              const kind = PRIMITIVE_TYPES[name.toUpperCase()];
              return kind ? ({ kind } as TypeAst) : { kind: 'CUSTOM', name };
            });
          },
        },
      ],
    });
    // legacy postfix form: `INT ARRAY` is ARRAY<INT>
    this.MANY(() => {
      this.CONSUME2(T.ARRAY);
      this.ACTION(() => {
        t = { kind: 'ARRAY', element: t };
      });
    });
    return t;
  });

  // ================================================================ queries

  public query = this.RULE('query', (): Query => {
    const start = this.CONSUME(T.SELECT);
    const select: SelectItem[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const item = this.SUBRULE(this.selectItem);
        this.ACTION(() => select.push(item));
      },
    });
    this.CONSUME(T.FROM);
    const from = this.SUBRULE(this.aliasedRelation);
    const joins: JoinClause[] = [];
    this.MANY(() => {
      const j = this.SUBRULE(this.joinedSource);
      this.ACTION(() => joins.push(j));
    });
    const q = this.ACTION((): Query => ({ select, from, joins, loc: loc(start) })) as Query;
    this.OPTION1(() => {
      this.CONSUME(T.WINDOW);
      const w = this.SUBRULE(this.windowExpression);
      this.ACTION(() => (q.window = w));
    });
    this.OPTION2(() => {
      this.CONSUME(T.WHERE);
      const e = this.SUBRULE1(this.expression);
      this.ACTION(() => (q.where = e));
    });
    this.OPTION3(() => {
      this.CONSUME(T.GROUP);
      this.CONSUME1(T.BY);
      const g = this.SUBRULE1(this.groupingList);
      this.ACTION(() => (q.groupBy = g));
    });
    this.OPTION4(() => {
      this.CONSUME(T.PARTITION);
      this.CONSUME2(T.BY);
      const p = this.SUBRULE2(this.groupingList);
      this.ACTION(() => (q.partitionBy = p));
    });
    this.OPTION5(() => {
      this.CONSUME(T.HAVING);
      const e = this.SUBRULE2(this.expression);
      this.ACTION(() => (q.having = e));
    });
    this.OPTION6(() => {
      this.CONSUME(T.EMIT);
      this.OR({
        ERR_MSG: TOKEN_SET,
        DEF: [
          { ALT: () => { this.CONSUME(T.CHANGES); this.ACTION(() => (q.emit = 'CHANGES')); } },
          { ALT: () => { this.CONSUME(T.FINAL); this.ACTION(() => (q.emit = 'FINAL')); } },
        ],
      });
    });
    this.OPTION7(() => {
      this.CONSUME(T.LIMIT);
      const n = this.SUBRULE(this.number);
      this.ACTION(() => (q.limit = integerNumber(n, 'LIMIT')));
    });
    return q;
  });

  private selectItem = this.RULE('selectItem', (): SelectItem =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            const star = this.CONSUME1(T.Asterisk);
            return this.ACTION((): SelectItem => ({ type: 'AllColumns', loc: loc(star) }));
          },
        },
        {
          GATE: () => this.laIs(1, T.IdentLike) && this.LA(2).tokenType === T.Dot && this.LA(3).tokenType === T.Asterisk,
          ALT: () => {
            const id = this.SUBRULE(this.identifier);
            this.CONSUME(T.Dot);
            this.CONSUME2(T.Asterisk);
            return this.ACTION((): SelectItem => ({ type: 'AllColumns', source: identifierText(id), loc: loc(id) }));
          },
        },
        {
          GATE: () => this.structAllAhead(),
          ALT: () => {
            const base = this.SUBRULE(this.postfixExpression);
            this.CONSUME(T.Arrow);
            this.CONSUME3(T.Asterisk);
            return this.ACTION((): SelectItem => ({ type: 'StructAll', base, loc: base.loc }));
          },
        },
        {
          ALT: () => {
            const expr = this.SUBRULE(this.expression);
            let alias: string | undefined;
            this.OPTION({
              GATE: () => this.aliasAhead(),
              DEF: () => {
                this.OPTION1(() => this.CONSUME(T.AS));
                const id = this.SUBRULE2(this.identifier);
                this.ACTION(() => (alias = identifierText(id)));
              },
            });
            return this.ACTION((): SelectItem => {
              const item: SelectItem = { type: 'SelectExpr', expr, loc: expr.loc };
              if (alias !== undefined) item.alias = alias;
              return item;
            });
          },
        },
      ],
    }),
  );

  private aliasedRelation = this.RULE('aliasedRelation', (): AliasedSource => {
    const first = this.LA(1);
    const name = this.SUBRULE1(this.sourceName);
    let alias: string | undefined;
    this.OPTION({
      GATE: () => this.aliasAhead(),
      DEF: () => {
        this.OPTION1(() => this.CONSUME(T.AS));
        alias = this.SUBRULE2(this.sourceName);
      },
    });
    return this.ACTION((): AliasedSource => {
      const s: AliasedSource = { name, loc: loc(first) };
      if (alias !== undefined) s.alias = alias;
      return s;
    });
  });

  private joinedSource = this.RULE('joinedSource', (): JoinClause => {
    const first = this.LA(1);
    let joinType: JoinClause['joinType'] = 'INNER';
    this.OPTION1(() =>
      this.OR([
        { ALT: () => this.CONSUME(T.INNER) },
        { ALT: () => { this.CONSUME(T.FULL); this.OPTION2(() => this.CONSUME1(T.OUTER)); joinType = 'FULL'; } },
        { ALT: () => { this.CONSUME(T.LEFT); this.OPTION3(() => this.CONSUME2(T.OUTER)); joinType = 'LEFT'; } },
        { ALT: () => { this.CONSUME(T.RIGHT); this.OPTION4(() => this.CONSUME3(T.OUTER)); joinType = 'RIGHT'; } },
      ]),
    );
    this.CONSUME(T.JOIN);
    const source = this.SUBRULE(this.aliasedRelation);
    let within: JoinWindow | undefined;
    this.OPTION5(() => {
      this.CONSUME(T.WITHIN);
      within = this.SUBRULE(this.withinExpression);
    });
    this.CONSUME(T.ON);
    const on = this.SUBRULE(this.expression);
    return this.ACTION((): JoinClause => {
      const j: JoinClause = { joinType, source, on, loc: loc(first) };
      if (within) j.within = within;
      return j;
    });
  });

  private withinExpression = this.RULE('withinExpression', (): JoinWindow => {
    const w = this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const before = this.SUBRULE1(this.duration);
          this.CONSUME(T.Comma);
          const after = this.SUBRULE2(this.duration);
          this.CONSUME(T.RParen);
          return { beforeMs: before, afterMs: after } as JoinWindow;
        },
      },
      {
        ALT: () => {
          const size = this.SUBRULE3(this.duration);
          return { beforeMs: size, afterMs: size } as JoinWindow;
        },
      },
    ]);
    this.OPTION(() => {
      const g = this.SUBRULE(this.gracePeriod);
      this.ACTION(() => (w.graceMs = g));
    });
    return w;
  });

  private gracePeriod = this.RULE('gracePeriod', (): number => {
    this.CONSUME(T.GRACE);
    this.CONSUME(T.PERIOD);
    return this.SUBRULE(this.duration);
  });

  private retention = this.RULE('retention', (): number => {
    this.CONSUME(T.RETENTION);
    return this.SUBRULE(this.duration);
  });

  /** number windowUnit, in milliseconds */
  private duration = this.RULE('duration', (): number => {
    const n = this.SUBRULE(this.number);
    const unit = this.CONSUME(T.WindowUnit);
    return this.ACTION(() => {
      if (n.token.tokenType !== T.IntegerValue) {
        throw semanticError(`Invalid duration: '${n.text}' must be an integer`, n.loc, n.text);
      }
      return Number(n.text) * UNIT_MS[unit.image.toUpperCase()]!;
    });
  });

  private windowExpression = this.RULE('windowExpression', (): WindowExpr => {
    // an optional window name, ignored as in ksqlDB
    this.OPTION(() => this.CONSUME(T.Identifier));
    let w = this.OR([
      {
        ALT: () => {
          const start = this.CONSUME(T.TUMBLING);
          this.CONSUME1(T.LParen);
          this.CONSUME1(T.SIZE);
          const size = this.SUBRULE1(this.duration);
          return this.ACTION((): WindowExpr => ({ kind: 'TUMBLING', sizeMs: size, loc: loc(start) }));
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(T.HOPPING);
          this.CONSUME2(T.LParen);
          this.CONSUME2(T.SIZE);
          const size = this.SUBRULE2(this.duration);
          this.CONSUME(T.Comma);
          this.CONSUME(T.ADVANCE);
          this.CONSUME(T.BY);
          const advance = this.SUBRULE3(this.duration);
          return this.ACTION((): WindowExpr => ({ kind: 'HOPPING', sizeMs: size, advanceMs: advance, loc: loc(start) }));
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME(T.SESSION);
          this.CONSUME3(T.LParen);
          const gap = this.SUBRULE4(this.duration);
          return this.ACTION((): WindowExpr => ({ kind: 'SESSION', gapMs: gap, loc: loc(start) }));
        },
      },
    ]);
    this.OPTION1(() => {
      this.CONSUME1(T.Comma);
      const r = this.SUBRULE(this.retention);
      this.ACTION(() => (w.retentionMs = r));
    });
    this.OPTION2(() => {
      this.CONSUME2(T.Comma);
      const g = this.SUBRULE(this.gracePeriod);
      this.ACTION(() => (w.graceMs = g));
    });
    this.CONSUME(T.RParen);
    return w;
  });

  /** GROUP BY / PARTITION BY: `a, b` or `(a, b)` or `()` */
  private groupingList = this.RULE('groupingList', (): Expr[] => {
    const list: Expr[] = [];
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.parenListAhead(),
          ALT: () => {
            this.CONSUME(T.LParen);
            this.MANY_SEP({
              SEP: T.Comma,
              DEF: () => {
                const e = this.SUBRULE1(this.valueExpression);
                this.ACTION(() => list.push(e));
              },
            });
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.AT_LEAST_ONE_SEP({
              SEP: T.Comma,
              DEF: () => {
                const e = this.SUBRULE2(this.valueExpression);
                this.ACTION(() => list.push(e));
              },
            });
          },
        },
      ],
    });
    return list;
  });

  // ================================================================ expressions

  /** expression: OR is the loosest operator */
  public expression = this.RULE('expression', (): Expr => {
    let left = this.SUBRULE1(this.andExpression);
    this.MANY(() => {
      this.CONSUME(T.OR);
      const right = this.SUBRULE2(this.andExpression);
      this.ACTION(() => {
        left = { type: 'Logical', op: 'OR', left, right, loc: left.loc };
      });
    });
    return left;
  });

  private andExpression = this.RULE('andExpression', (): Expr => {
    let left = this.SUBRULE1(this.notExpression);
    this.MANY(() => {
      this.CONSUME(T.AND);
      const right = this.SUBRULE2(this.notExpression);
      this.ACTION(() => {
        left = { type: 'Logical', op: 'AND', left, right, loc: left.loc };
      });
    });
    return left;
  });

  private notExpression = this.RULE('notExpression', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const not = this.CONSUME(T.NOT);
          const operand = this.SUBRULE(this.notExpression);
          return this.ACTION((): Expr => ({ type: 'Not', operand, loc: loc(not) }));
        },
      },
      { ALT: () => this.SUBRULE(this.predicated) },
    ]),
  );

  /** valueExpression followed by at most one predicate */
  private predicated = this.RULE('predicated', (): Expr => {
    let value = this.SUBRULE1(this.valueExpression);
    this.OPTION1(() => {
      value = this.OR1([
        {
          ALT: () => {
            const opTok = this.OR2([
              { ALT: () => this.CONSUME(T.Eq) },
              { ALT: () => this.CONSUME(T.Neq) },
              { ALT: () => this.CONSUME(T.Lt) },
              { ALT: () => this.CONSUME(T.Lte) },
              { ALT: () => this.CONSUME(T.Gt) },
              { ALT: () => this.CONSUME(T.Gte) },
            ]);
            const right = this.SUBRULE2(this.valueExpression);
            return this.ACTION((): Expr => {
              const op = opTok.tokenType === T.Neq ? '<>' : (opTok.image as '=' | '<' | '<=' | '>' | '>=');
              return { type: 'Comparison', op, left: value, right, loc: value.loc };
            });
          },
        },
        {
          ALT: () => {
            let negated = false;
            this.OPTION2(() => {
              this.CONSUME1(T.NOT);
              negated = true;
            });
            return this.OR3([
              {
                ALT: () => {
                  this.CONSUME(T.BETWEEN);
                  const low = this.SUBRULE3(this.valueExpression);
                  this.CONSUME(T.AND);
                  const high = this.SUBRULE4(this.valueExpression);
                  return this.ACTION((): Expr => ({ type: 'Between', operand: value, low, high, negated, loc: value.loc }));
                },
              },
              {
                ALT: () => {
                  this.CONSUME(T.IN);
                  this.CONSUME(T.LParen);
                  const list: Expr[] = [];
                  this.AT_LEAST_ONE_SEP({
                    SEP: T.Comma,
                    DEF: () => {
                      const e = this.SUBRULE(this.expression);
                      this.ACTION(() => list.push(e));
                    },
                  });
                  this.CONSUME(T.RParen);
                  return this.ACTION((): Expr => ({ type: 'In', operand: value, list, negated, loc: value.loc }));
                },
              },
              {
                ALT: () => {
                  this.CONSUME(T.LIKE);
                  const pattern = this.SUBRULE5(this.valueExpression);
                  let escape: IToken | undefined;
                  this.OPTION3(() => {
                    this.CONSUME(T.ESCAPE);
                    escape = this.CONSUME(T.Str);
                  });
                  return this.ACTION((): Expr => {
                    const e: Expr = { type: 'Like', operand: value, pattern, negated, loc: value.loc };
                    if (escape) {
                      const s = unquote(escape.image, "'");
                      if (s.length !== 1) {
                        throw semanticError(
                          `Failed to prepare statement: ${escape.startLine}:${escape.startColumn}: Expected single character escape but got: ${s}`,
                          loc(escape),
                          escape.image,
                        );
                      }
                      e.escape = s;
                    }
                    return e;
                  });
                },
              },
            ]);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.IS);
            let negated = false;
            this.OPTION4(() => {
              this.CONSUME2(T.NOT);
              negated = true;
            });
            return this.OR4([
              {
                ALT: () => {
                  this.CONSUME(T.NULL);
                  return this.ACTION((): Expr => ({ type: 'IsNull', operand: value, negated, loc: value.loc }));
                },
              },
              {
                ALT: () => {
                  this.CONSUME(T.DISTINCT_KW);
                  this.CONSUME(T.FROM);
                  const right = this.SUBRULE6(this.valueExpression);
                  return this.ACTION((): Expr => ({
                    type: 'Comparison',
                    op: negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM',
                    left: value,
                    right,
                    loc: value.loc,
                  }));
                },
              },
            ]);
          },
        },
      ]);
    });
    return value;
  });

  /** ksqlDB's valueExpression: concatenation is its loosest operator */
  public valueExpression = this.RULE('valueExpression', (): Expr => {
    let left = this.SUBRULE1(this.additive);
    this.MANY(() => {
      this.CONSUME(T.Concat);
      const right = this.SUBRULE2(this.additive);
      this.ACTION(() => {
        left = { type: 'Concat', left, right, loc: left.loc };
      });
    });
    return left;
  });

  private additive = this.RULE('additive', (): Expr => {
    let left = this.SUBRULE1(this.multiplicative);
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      const right = this.SUBRULE2(this.multiplicative);
      this.ACTION(() => {
        left = { type: 'Arithmetic', op: op.image as '+' | '-', left, right, loc: left.loc };
      });
    });
    return left;
  });

  private multiplicative = this.RULE('multiplicative', (): Expr => {
    let left = this.SUBRULE1(this.unary);
    this.MANY(() => {
      const op = this.OR([
        { ALT: () => this.CONSUME(T.Asterisk) },
        { ALT: () => this.CONSUME(T.Slash) },
        { ALT: () => this.CONSUME(T.Percent) },
      ]);
      const right = this.SUBRULE2(this.unary);
      this.ACTION(() => {
        left = { type: 'Arithmetic', op: op.image as '*' | '/' | '%', left, right, loc: left.loc };
      });
    });
    return left;
  });

  private unary = this.RULE('unary', (): Expr =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        // `-1` is a negative literal (ksqlDB's number rule), not a negation
        {
          ALT: () => {
            const m = this.CONSUME1(T.Minus);
            const t = this.CONSUME(T.NumberTok);
            return this.ACTION(() => numberLiteral({ text: '-' + t.image, token: t, loc: loc(m) }));
          },
        },
        {
          ALT: () => {
            const m = this.CONSUME2(T.Minus);
            const operand = this.SUBRULE1(this.unary);
            return this.ACTION((): Expr => ({ type: 'Negate', operand, loc: loc(m) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Plus);
            return this.SUBRULE2(this.unary);
          },
        },
        { ALT: () => this.SUBRULE(this.postfixExpression) },
      ],
    }),
  );

  /** primary followed by `[index]` and `->field` (but not `->*`, a select item of its own), then AT TIME ZONE */
  private postfixExpression = this.RULE('postfixExpression', (): Expr => {
    let base = this.SUBRULE(this.primaryExpression);
    this.MANY({
      GATE: () => !(this.LA(1).tokenType === T.Arrow && this.LA(2).tokenType === T.Asterisk),
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              this.CONSUME(T.LBracket);
              const index = this.SUBRULE(this.valueExpression);
              this.CONSUME(T.RBracket);
              this.ACTION(() => {
                base = { type: 'Subscript', base, index, loc: base.loc };
              });
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Arrow);
              const field = this.SUBRULE(this.identifier);
              this.ACTION(() => {
                base = { type: 'Dereference', base, field: identifierText(field), loc: base.loc };
              });
            },
          },
        ]);
      },
    });
    // AT TIME ZONE binds tighter than unary minus, looser than subscripts (ksqlDB's valueExpression)
    this.MANY2(() => {
      this.CONSUME(T.AT);
      this.CONSUME(T.TIME);
      this.CONSUME(T.ZONE);
      const zone = this.CONSUME(T.Str);
      this.ACTION(() => {
        base = { type: 'AtTimeZone', operand: base, zone: unquote(zone.image, "'"), loc: base.loc };
      });
    });
    return base;
  });

  private primaryExpression = this.RULE('primaryExpression', (): Expr =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.literal) },
        // typeConstructor: identifier 'string', e.g. DECIMAL '1.2'
        {
          GATE: () => this.LA(2).tokenType === T.Str,
          ALT: () => {
            const id = this.SUBRULE1(this.identifier);
            const s = this.CONSUME(T.Str);
            return this.ACTION((): Expr => ({
              type: 'TypeConstructor',
              typeName: identifierText(id),
              value: unquote(s.image, "'"),
              loc: loc(id),
            }));
          },
        },
        { ALT: () => this.SUBRULE(this.caseExpression) },
        {
          ALT: () => {
            const c = this.CONSUME(T.CAST);
            this.CONSUME1(T.LParen);
            const operand = this.SUBRULE1(this.expression);
            this.CONSUME(T.AS);
            const target = this.SUBRULE(this.type);
            this.CONSUME1(T.RParen);
            return this.ACTION((): Expr => ({ type: 'Cast', operand, target, loc: loc(c) }));
          },
        },
        {
          GATE: () => this.LA(2).tokenType === T.LBracket,
          ALT: () => {
            const a = this.CONSUME(T.ARRAY);
            this.CONSUME(T.LBracket);
            const items: Expr[] = [];
            this.MANY_SEP1({
              SEP: T.Comma,
              DEF: () => {
                const e = this.SUBRULE2(this.expression);
                this.ACTION(() => items.push(e));
              },
            });
            this.CONSUME(T.RBracket);
            return this.ACTION((): Expr => ({ type: 'ArrayCtor', items, loc: loc(a) }));
          },
        },
        {
          GATE: () => this.LA(2).tokenType === T.LParen,
          ALT: () => {
            const m = this.CONSUME(T.MAP);
            this.CONSUME2(T.LParen);
            const entries: { key: Expr; value: Expr }[] = [];
            this.MANY_SEP2({
              SEP: T.Comma,
              DEF: () => {
                const key = this.SUBRULE3(this.expression);
                this.CONSUME1(T.Assign);
                const value = this.SUBRULE4(this.expression);
                this.ACTION(() => entries.push({ key, value }));
              },
            });
            this.CONSUME2(T.RParen);
            return this.ACTION((): Expr => ({ type: 'MapCtor', entries, loc: loc(m) }));
          },
        },
        {
          GATE: () => this.LA(2).tokenType === T.LParen,
          ALT: () => {
            const s = this.CONSUME(T.STRUCT);
            this.CONSUME3(T.LParen);
            const fields: { name: string; value: Expr }[] = [];
            this.MANY_SEP3({
              SEP: T.Comma,
              DEF: () => {
                const id = this.SUBRULE2(this.identifier);
                this.CONSUME2(T.Assign);
                const value = this.SUBRULE5(this.expression);
                this.ACTION(() => fields.push({ name: identifierText(id), value }));
              },
            });
            this.CONSUME3(T.RParen);
            return this.ACTION((): Expr => ({ type: 'StructCtor', fields, loc: loc(s) }));
          },
        },
        { GATE: () => this.LA(2).tokenType === T.LParen, ALT: () => this.SUBRULE(this.functionCall) },
        // qualified column reference: source.column
        {
          GATE: () => this.LA(2).tokenType === T.Dot,
          ALT: () => {
            const src = this.SUBRULE3(this.identifier);
            this.CONSUME(T.Dot);
            const col = this.SUBRULE4(this.identifier);
            return this.ACTION((): Expr => ({
              type: 'ColumnRef',
              source: identifierText(src),
              name: identifierText(col),
              loc: loc(src),
            }));
          },
        },
        {
          ALT: () => {
            const id = this.SUBRULE5(this.identifier);
            return this.ACTION((): Expr => {
              const name = identifierText(id);
              if (this.lambdaScopes.some((scope) => scope.includes(name))) {
                return { type: 'LambdaVariable', name, loc: loc(id) };
              }
              return { type: 'ColumnRef', name, loc: loc(id) };
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME4(T.LParen);
            const e = this.SUBRULE6(this.expression);
            this.CONSUME4(T.RParen);
            return e;
          },
        },
      ],
    }),
  );

  private caseExpression = this.RULE('caseExpression', (): Expr => {
    const c = this.CONSUME(T.CASE);
    let operand: Expr | undefined;
    this.OPTION1(() => {
      operand = this.SUBRULE1(this.valueExpression);
    });
    const whens: { when: Expr; then: Expr }[] = [];
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.WHEN);
      const when = this.SUBRULE1(this.expression);
      this.CONSUME(T.THEN);
      const then = this.SUBRULE2(this.expression);
      this.ACTION(() => whens.push({ when, then }));
    });
    let elseExpr: Expr | undefined;
    this.OPTION2(() => {
      this.CONSUME(T.ELSE);
      elseExpr = this.SUBRULE3(this.expression);
    });
    this.CONSUME(T.END);
    return this.ACTION((): Expr => {
      const e: Expr = { type: 'Case', whens, loc: loc(c) };
      if (operand) e.operand = operand;
      if (elseExpr) e.else = elseExpr;
      return e;
    });
  });

  private functionCall = this.RULE('functionCall', (): Expr => {
    const id = this.SUBRULE(this.identifier);
    this.CONSUME(T.LParen);
    const args: Expr[] = [];
    let star = false;
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Asterisk);
            star = true;
          },
        },
        {
          ALT: () => {
            this.AT_LEAST_ONE_SEP({
              SEP: T.Comma,
              DEF: () => {
                const a = this.SUBRULE(this.functionArgument);
                this.ACTION(() => args.push(a));
              },
            });
          },
        },
      ]);
    });
    this.CONSUME(T.RParen);
    return this.ACTION((): Expr => {
      const e: Expr = { type: 'FunctionCall', name: identifierText(id), args, loc: loc(id) };
      if (star) e.star = true;
      return e;
    });
  });

  /**
   * A lambda, an expression or a time unit. As in ksqlDB, a unit that is also a non-reserved
   * word (DAY, HOUR, MINUTE, SECOND) reads as a column; the plural/MILLISECOND forms are units.
   */
  private functionArgument = this.RULE('functionArgument', (): Expr =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.lambdaAhead(), ALT: () => this.SUBRULE(this.lambda) },
        { ALT: () => this.SUBRULE(this.expression) },
        {
          ALT: () => {
            const u = this.CONSUME(T.WindowUnit);
            return this.ACTION((): Expr => ({ type: 'IntervalUnit', unit: u.image.toUpperCase(), loc: loc(u) }));
          },
        },
      ],
    }),
  );

  private lambda = this.RULE('lambda', (): Expr => {
    const first = this.LA(1);
    const params: string[] = [];
    this.OR([
      {
        ALT: () => {
          const id = this.SUBRULE1(this.identifier);
          this.ACTION(() => params.push(identifierText(id)));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () => {
              const id = this.SUBRULE2(this.identifier);
              this.ACTION(() => params.push(identifierText(id)));
            },
          });
          this.CONSUME(T.RParen);
        },
      },
    ]);
    this.CONSUME(T.Lambda);
    this.ACTION(() => this.lambdaScopes.push(params));
    const body = this.SUBRULE(this.expression);
    this.ACTION(() => this.lambdaScopes.pop());
    return this.ACTION((): Expr => ({ type: 'Lambda', params, body, loc: loc(first) }));
  });

  public literal = this.RULE('literal', (): LiteralExpr =>
    this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.NULL);
          return this.ACTION((): LiteralExpr => ({ type: 'Literal', literalType: 'NULL', value: null, loc: loc(t) }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.TRUE);
          return this.ACTION((): LiteralExpr => ({ type: 'Literal', literalType: 'BOOLEAN', value: true, loc: loc(t) }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.FALSE);
          return this.ACTION((): LiteralExpr => ({ type: 'Literal', literalType: 'BOOLEAN', value: false, loc: loc(t) }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Str);
          return this.ACTION((): LiteralExpr => ({
            type: 'Literal',
            literalType: 'STRING',
            value: unquote(t.image, "'"),
            loc: loc(t),
          }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberTok);
          return this.ACTION(() => numberLiteral({ text: t.image, token: t, loc: loc(t) }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Variable);
          return this.ACTION((): LiteralExpr => {
            throw semanticError(
              `Illegal argument at ${t.startLine}:${t.startColumn}. Got: '${t.image}' (undefined variable)`,
              loc(t),
              t.image,
            );
          });
        },
      },
    ]),
  );

  /** ksqlDB's `literal` where a sign is part of the number (WITH properties, ASSERT SCHEMA ID) */
  private signedLiteral = this.RULE('signedLiteral', (): LiteralExpr =>
    this.OR([
      {
        ALT: () => {
          const m = this.CONSUME(T.Minus);
          const t = this.CONSUME(T.NumberTok);
          return this.ACTION(() => numberLiteral({ text: '-' + t.image, token: t, loc: loc(m) }));
        },
      },
      { ALT: () => this.SUBRULE(this.literal) },
    ]),
  );

  /** MINUS? (INTEGER_VALUE | DECIMAL_VALUE | FLOATING_POINT_VALUE) */
  private number = this.RULE('number', (): NumberText => {
    const minus = this.OPTION(() => this.CONSUME(T.Minus));
    const t = this.CONSUME(T.NumberTok);
    return this.ACTION((): NumberText => ({
      text: (minus ? '-' : '') + t.image,
      token: t,
      loc: loc(minus ?? t),
    }));
  });

  /** Any identifier token (ksqlDB's `identifier` rule); callers normalise its text. */
  private identifier = this.RULE('identifier', (): IToken => this.CONSUME(T.IdentLike));

  // ================================================================ entry points for fragments

  public singleExpression = this.RULE('singleExpression', (): Expr => this.SUBRULE(this.expression));
  public singleType = this.RULE('singleType', (): TypeAst => this.SUBRULE(this.type));
}

/** Integer/BIGINT/DECIMAL/DOUBLE literal from its text, with ksqlDB's range rules. */
function numberLiteral(n: NumberText): LiteralExpr {
  const base = { type: 'Literal' as const, value: n.text, loc: n.loc };
  switch (n.token.tokenType) {
    case T.IntegerValue: {
      const v = BigInt(n.text);
      if (v >= INT_MIN && v <= INT_MAX) return { ...base, literalType: 'INTEGER' };
      if (v >= LONG_MIN && v <= LONG_MAX) return { ...base, literalType: 'BIGINT' };
      throw semanticError(`line ${n.loc.line}:${n.loc.column}: Invalid numeric literal: ${n.text}`, n.loc, n.text);
    }
    case T.DecimalValue:
      return { ...base, literalType: 'DECIMAL' };
    default: {
      const d = Number(n.text);
      if (!Number.isFinite(d)) {
        throw semanticError(`line ${n.loc.line}:${n.loc.column}: Number overflows DOUBLE: ${n.text}`, n.loc, n.text);
      }
      return { ...base, literalType: 'DOUBLE' };
    }
  }
}

/** ksqlDB's processIntegerNumber: LIMIT, INTERVAL, DECIMAL(p, s) need a 32-bit integer. */
function integerNumber(n: NumberText, command: string): number {
  if (n.token.tokenType !== T.IntegerValue) {
    throw semanticError(`Failed to prepare statement: Value must be integer for command: ${command}`, n.loc, n.text);
  }
  const lit = numberLiteral(n);
  if (lit.literalType !== 'INTEGER') {
    throw semanticError(`line ${n.loc.line}:${n.loc.column}: Invalid numeric literal: ${n.text}`, n.loc, n.text);
  }
  return Number(n.text);
}

function propertyValue(lit: LiteralExpr): PropertyValue {
  switch (lit.literalType) {
    case 'NULL':
      return null;
    case 'BOOLEAN':
    case 'STRING':
      return lit.value;
    default:
      return Number(lit.value);
  }
}

/** Built once: chevrotain's grammar analysis is the costly part. */
let instance: SqlParser | undefined;
export function sharedParser(): SqlParser {
  return (instance ??= new SqlParser());
}
