/**
 * Public entry points of the parser: scripts, single statements, expressions and types.
 *
 * A script is lexed once and cut at ';' tokens (a ';' never occurs inside a statement, strings
 * and comments are already single tokens), so each statement gets its own text and position and
 * the grammar only ever sees one statement at a time.
 */
import {
  EOF,
  type IRecognitionException,
  type ISyntacticContentAssistPath,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type { Expr, Loc, ParsedStatement, Statement, TypeAst } from './ast.js';
import { ParseError, syntaxError } from './errors.js';
import * as T from './lexer.js';
import { LexError, tokenize } from './lexer.js';
import { MISMATCH_PREFIX, NO_VIABLE_ALT_PREFIX, sharedParser, TOKEN_SET_PREFIX, type SqlParser } from './parser.js';
import { substituteVariables } from './variables.js';

export { ParseError } from './errors.js';
export type * from './ast.js';

export interface ParseOptions {
  /**
   * Variables for `${name}` substitution (ksqlDB's DEFINE semantics). When given, DEFINE and
   * UNDEFINE statements of the script update a copy of this map for the statements after them.
   * Without it no substitution happens and a `${name}` identifier or literal is an error.
   */
  variables?: Record<string, string>;
  /** also accept ksql-test-runner statements: ASSERT VALUES / NULL VALUES / STREAM / TABLE, RUN SCRIPT */
  testStatements?: boolean;
}

/** One statement of a script before parsing. */
export interface StatementSlice {
  /** trimmed text, ending with ';' */
  text: string;
  loc: Loc;
  /** offset of the statement's first character in the script */
  offset: number;
  tokens: IToken[];
}

/** Cuts a script into statements without parsing them. */
export function splitStatements(text: string): StatementSlice[] {
  const tokens = lex(text);
  const slices: StatementSlice[] = [];
  let current: IToken[] = [];
  const flush = () => {
    // an empty statement (`;;`) is skipped
    if (current.length > 0 && !(current.length === 1 && current[0]!.tokenType === T.Semi)) {
      const first = current[0]!;
      const last = current[current.length - 1]!;
      let body = text.slice(first.startOffset, last.endOffset! + 1);
      if (last.tokenType !== T.Semi) body += ';';
      slices.push({
        text: body,
        loc: { line: first.startLine!, column: first.startColumn! },
        offset: first.startOffset,
        tokens: current,
      });
    }
    current = [];
  };
  for (const t of tokens) {
    current.push(t);
    if (t.tokenType === T.Semi) flush();
  }
  flush();
  return slices;
}

/** Parses every statement of a script. Throws ParseError at the first bad statement. */
export function parseStatements(text: string, opts: ParseOptions = {}): ParsedStatement[] {
  const slices = splitStatements(text);
  const vars = opts.variables ? new Map(Object.entries(opts.variables)) : undefined;
  const result: ParsedStatement[] = [];
  for (const slice of slices) {
    let { tokens, text: stmtText } = slice;
    if (vars) {
      const substituted = substituteVariables(slice, vars);
      if (substituted !== slice.text) {
        stmtText = substituted;
        tokens = lex(substituted, {
          startLine: slice.loc.line,
          startColumn: slice.loc.column,
          startOffset: slice.offset,
        });
      }
    }
    const statement = runRule(tokens, 'singleStatement', (p) => p.singleStatement(), opts.testStatements);
    if (vars) {
      if (statement.type === 'DefineVariable') vars.set(statement.name, statement.value);
      else if (statement.type === 'UndefineVariable') vars.delete(statement.name);
    }
    result.push({ statement, text: stmtText, loc: slice.loc });
  }
  return result;
}

/** Parses text holding exactly one statement (the trailing ';' is optional). */
export function parseStatement(text: string, opts: ParseOptions = {}): Statement {
  const all = parseStatements(text, opts);
  if (all.length !== 1) {
    const at = all[1]?.loc ?? { line: 1, column: 1 };
    throw new ParseError(
      `line ${at.line}:${at.column}: Expected exactly one statement but found ${all.length}`,
      at.line,
      at.column,
      all.length === 0 ? '<EOF>' : all[1]!.text,
      [],
    );
  }
  return all[0]!.statement;
}

/** Parses a standalone expression, e.g. `a + 1 > b`. */
export function parseExpression(text: string): Expr {
  return runRule(lex(text), 'singleExpression', (p) => p.singleExpression());
}

/** Parses a type, e.g. `MAP<STRING, ARRAY<DECIMAL(4, 2)>>`. */
export function parseType(text: string): TypeAst {
  return runRule(lex(text), 'singleType', (p) => p.singleType());
}

// ---------------------------------------------------------------- internals

function lex(text: string, opts?: T.TokenizeOptions): IToken[] {
  try {
    return tokenize(text, opts);
  } catch (e) {
    if (e instanceof LexError) throw new ParseError(e.message, e.line, e.column, e.found, [e.expected]);
    throw e;
  }
}

function runRule<R>(tokens: IToken[], ruleName: string, rule: (p: SqlParser) => R, testStatements = false): R {
  const p = sharedParser();
  p.testStatements = testStatements;
  p.input = tokens;
  let result: R;
  try {
    result = rule(p);
  } catch (e) {
    if (e instanceof RangeError) {
      const t = tokens[0];
      throw new ParseError(
        'Error processing statement: Statement is too large to parse. ' +
          'This may be caused by having too many nested expressions in the statement.',
        t?.startLine ?? 1,
        t?.startColumn ?? 1,
        t?.image ?? '<EOF>',
        [],
      );
    }
    throw e;
  }
  const err = p.errors[0];
  if (err) throw toParseError(p, err, tokens, ruleName, testStatements);
  return result;
}

function toParseError(
  p: SqlParser,
  err: IRecognitionException,
  tokens: IToken[],
  ruleName: string,
  testStatements: boolean,
): ParseError {
  const offending = err.token;
  let idx = tokens.indexOf(offending);
  if (idx < 0) idx = tokens.length;
  const atEnd = idx >= tokens.length || offending.tokenType === EOF;
  const last = tokens[tokens.length - 1];
  // position of <EOF>: just after the last token
  const line = atEnd ? (last?.endLine ?? 1) : offending.startLine!;
  const column = atEnd ? (last ? last.endColumn! + 1 : 1) : offending.startColumn!;
  const found = atEnd ? '<EOF>' : offending.image;
  const prefix = tokens.slice(0, idx);
  // content assist replays the grammar over the prefix: exact but slow on huge statements,
  // where chevrotain's own (narrower) expectation has to do
  const assist = prefix.length <= CONTENT_ASSIST_LIMIT;
  let paths = assist ? contentAssist(p, ruleName, prefix) : [];
  if (!testStatements) paths = paths.filter((path) => !isTestStatementPath(path, prefix));
  const expectedAll = assist ? displayList(uniqueTypes(paths)) : displayList(chevrotainExpectation(err.message));

  let expected = expectedAll;
  let missing: string | undefined;
  let noViableAlt = false;
  if (err.message.startsWith(TOKEN_SET_PREFIX)) {
    const set = err.message.slice(TOKEN_SET_PREFIX.length).split(',');
    expected = displayList(set.map((name) => typeByName.get(name)!).filter((t) => t !== undefined));
  } else if (err.message.startsWith(NO_VIABLE_ALT_PREFIX)) {
    noViableAlt = true;
  } else if (err.message.startsWith(MISMATCH_PREFIX) && assist) {
    // A required token was not there. ANTLR (so ksqlDB) reports the tokens acceptable in the
    // rule where that happened, not the optional tails of sub-rules already finished.
    const frame = err.context.ruleStack;
    const occurrences = err.context.ruleOccurrenceStack;
    const sameFrame = paths.filter(
      (path) =>
        path.ruleStack.length === frame.length &&
        path.ruleStack.every((r, i) => r === frame[i]) &&
        path.occurrenceStack.every((o, i) => i === 0 || o === occurrences[i]),
    );
    const local = displayList(uniqueTypes(sameFrame));
    const required = typeByName.get(err.message.slice(MISMATCH_PREFIX.length));
    if (local.length > 1) {
      // a loop or option was skipped just before: ANTLR reports its whole decision set
      expected = local;
    } else if (required && !atEnd) {
      // a plain mismatch: ANTLR says "missing X" when X would fit before the offending token
      const after = uniqueTypes(contentAssist(p, ruleName, [...prefix, fakeToken(required, offending)]));
      if (after.some((t) => T.isA(offending, t))) missing = T.displayNames.get(required);
      else expected = local.length > 0 ? local : expectedAll;
    }
  }
  // ksqlDB's special case: a reserved word where an identifier fits, and dropping it would let
  // the statement go on (ANTLR's "extraneous input")
  const next = tokens[idx + 1];
  const reservedKeyword =
    !atEnd &&
    T.isA(offending, T.Keyword) &&
    !T.isA(offending, T.IdentLike) &&
    paths.some((path) => path.nextTokenType === T.IdentLike) &&
    next !== undefined &&
    paths.some((path) => T.isA(next, path.nextTokenType));
  return syntaxError({
    line,
    column,
    found,
    expected,
    expectedAll,
    atStatementStart: idx === 0 && ruleName === 'singleStatement',
    missing,
    noViableAlt,
    reservedKeyword,
  });
}

/** Longest statement prefix (in tokens) for which expectations come from content assist. */
const CONTENT_ASSIST_LIMIT = 400;

/** The token types chevrotain itself named in the error (see parser.ts errorMessageProvider). */
function chevrotainExpectation(message: string): TokenType[] {
  for (const prefix of [MISMATCH_PREFIX, TOKEN_SET_PREFIX, NO_VIABLE_ALT_PREFIX]) {
    if (message.startsWith(prefix)) {
      return message
        .slice(prefix.length)
        .split(',')
        .map((name) => typeByName.get(name))
        .filter((t): t is TokenType => t !== undefined);
    }
  }
  return [];
}

/**
 * Content assist ignores GATEs, so it would offer the test-runner statements (RUN SCRIPT,
 * ASSERT VALUES / NULL VALUES / STREAM / TABLE) even when they are switched off.
 */
function isTestStatementPath(path: ISyntacticContentAssistPath, prefix: IToken[]): boolean {
  if (prefix.length === 0) return path.nextTokenType === T.RUN;
  if (prefix.length === 1 && prefix[0]!.tokenType === T.ASSERT) {
    return [T.VALUES, T.NULL, T.STREAM, T.TABLE].includes(path.nextTokenType);
  }
  return false;
}

const typeByName = new Map<string, TokenType>(T.vocabulary.map((t) => [t.name, t]));

function fakeToken(type: TokenType, at: IToken): IToken {
  return { ...at, image: '', tokenType: type, tokenTypeIdx: type.tokenTypeIdx! };
}

/** Paths to the tokens acceptable after `prefix` (chevrotain content assist; gates ignored). */
function contentAssist(p: SqlParser, ruleName: string, prefix: IToken[]): ISyntacticContentAssistPath[] {
  try {
    return p.computeContentAssist(ruleName, prefix);
  } catch {
    return [];
  }
}

function uniqueTypes(paths: ISyntacticContentAssistPath[]): TokenType[] {
  return [...new Set(paths.map((path) => path.nextTokenType))];
}

/** Display names, categories expanded where the list stays meaningful, in ANTLR order. */
function displayList(types: TokenType[]): string[] {
  const expanded = new Set<TokenType>();
  for (const t of types) {
    if (t === T.NumberTok) [T.IntegerValue, T.DecimalValue, T.FloatValue].forEach((x) => expanded.add(x));
    else if (t === T.WindowUnit) WINDOW_UNITS.forEach((x) => expanded.add(x));
    else expanded.add(t);
  }
  // IDENTIFIER stands for all identifier-like tokens: drop the keywords it covers
  if (expanded.has(T.IdentLike)) {
    for (const t of [...expanded]) if (t !== T.IdentLike && t.CATEGORIES?.includes(T.IdentLike)) expanded.delete(t);
  }
  const rank = (t: TokenType) => (t === T.IdentLike ? T.tokenRank.get(T.Identifier)! : (T.tokenRank.get(t) ?? 1e9));
  return [...expanded].sort((a, b) => rank(a) - rank(b)).map((t) => T.displayNames.get(t) ?? t.name);
}

const WINDOW_UNITS = [
  T.DAY, T.HOUR, T.MINUTE, T.SECOND, T.MILLISECOND, T.DAYS, T.HOURS, T.MINUTES, T.SECONDS, T.MILLISECONDS,
];
