/**
 * ParseError and the wording of syntax errors.
 *
 * The wording follows ksqlDB's SyntaxErrorValidator so messages (and conformance expectations)
 * read the same: `line L:C: Syntax Error` followed by one detail line:
 *   - `"X" is a reserved keyword and it can't be used as an identifier...` where a name fits;
 *   - `Unknown statement 'X'` + `Did you mean 'Y'?` when the first word is not a statement;
 *   - `missing ')' at ','` when exactly one token was required and inserting it would fit;
 *   - `Expecting {A, B}` when a required token or token set did not match and the set is short
 *     (ksqlDB's "<= 3" rule);
 *   - otherwise (also whenever no alternative of a choice fits) `Syntax error at or near 'X' at
 *     line L:C` and, as our addition, a line
 *     `Expecting one of: A, B, ...` so the reader always learns what would have fitted.
 * `line`, `column` (1-based), `found` and `expected` are also available as fields.
 */

export class ParseError extends Error {
  override name = 'ParseError';
  constructor(
    message: string,
    /** 1-based line of the offending token */
    readonly line: number,
    /** 1-based column of the offending token */
    readonly column: number,
    /** text of the offending token ('<EOF>' at the end of input) */
    readonly found: string,
    /** display names of the tokens that would have been accepted there (may be empty) */
    readonly expected: readonly string[],
  ) {
    super(message);
  }
}

/** The statements ksqlDB suggests when the first word is unknown (SyntaxErrorValidator). */
const COMMANDS = [
  'SELECT', 'CREATE', 'INSERT', 'DESCRIBE', 'PRINT', 'EXPLAIN', 'SHOW', 'LIST', 'TERMINATE', 'PAUSE',
  'RESUME', 'DROP', 'SET', 'DEFINE', 'UNDEFINE', 'UNSET', 'ASSERT', 'ALTER',
];

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

export function mostSimilarCommand(word: string): string {
  const w = word.toUpperCase();
  let best = COMMANDS[0]!;
  let bestD = Infinity;
  for (const c of COMMANDS) {
    const d = levenshtein(c, w);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

export interface SyntaxErrorInfo {
  line: number;
  column: number;
  /** raw text of the offending token, or '<EOF>' */
  found: string;
  /** display names, sorted: the set ANTLR would report at this point */
  expected: string[];
  /** display names of every token acceptable at this point */
  expectedAll: string[];
  /** the error is at the first token of a statement */
  atStatementStart: boolean;
  /** exactly one token was required and the offending token could follow it */
  missing?: string;
  /** no alternative of a choice fits (ANTLR's "no viable alternative"): never a short list */
  noViableAlt?: boolean;
  /** a reserved word stands where an identifier would fit */
  reservedKeyword?: boolean;
}

export function syntaxError(info: SyntaxErrorInfo): ParseError {
  const { line, column, found, expected, expectedAll } = info;
  const head = `line ${line}:${column}: Syntax Error\n`;
  let detail: string;
  if (info.reservedKeyword) {
    detail =
      `"${found}" is a reserved keyword and it can't be used as an identifier. ` +
      `You can use it as an identifier by escaping it as '${found}' `;
  } else if (info.atStatementStart && found !== '<EOF>') {
    detail = `Unknown statement '${found}'\nDid you mean '${mostSimilarCommand(found)}'?`;
  } else if (info.missing) {
    detail = `missing ${info.missing} at '${found}'`;
  } else if (!info.noViableAlt && expected.length > 0 && expectingListSize(expected) <= 3) {
    // ANTLR prints a one-element set without braces
    detail = expected.length === 1 ? `Expecting ${expected[0]}` : `Expecting {${expected.join(', ')}}`;
    return new ParseError(head + detail, line, column, found, expected);
  } else {
    detail = `Syntax error at or near '${found}' at line ${line}:${column}`;
    if (expectedAll.length > 0) detail += `\nExpecting one of: ${shortList(expectedAll)}`;
  }
  return new ParseError(head + detail, line, column, found, expectedAll);
}

/**
 * ksqlDB decides whether to print the expected set by splitting ANTLR's `{a, b}` text on ','
 * (so a `','` entry counts twice); IDENTIFIER stands for many tokens in ANTLR's set.
 */
function expectingListSize(expected: string[]): number {
  if (expected.includes('IDENTIFIER')) return Infinity;
  return `{${expected.join(', ')}}`.split(',').length;
}

function shortList(expected: string[]): string {
  const max = 16;
  return expected.length <= max ? expected.join(', ') : expected.slice(0, max).join(', ') + ', ...';
}
