/**
 * Tokens of ksqlDB's SQL dialect and a hand-written scanner producing chevrotain tokens.
 *
 * Why hand-written rather than chevrotain's regex lexer: ksqlDB's ANTLR lexer uses longest-match
 * (e.g. `1E3` is a float but `1E3X` a digit-identifier, `.5` a decimal), keywords are
 * case-insensitive and far more numerous than other tokens, and we want precise errors for
 * unterminated strings and comments. A single pass over the characters does all of that cheaply;
 * words are looked up in a keyword map instead of trying ~200 keyword regexes.
 *
 * Token types are still chevrotain TokenTypes (pattern NA), so the parser can use categories:
 * `IdentLike` covers everything usable as an identifier (ksqlDB's `identifier` rule, including
 * the `nonReserved` keywords), `Keyword` covers every keyword.
 *
 * Order of creation matters: it mirrors ANTLR's token numbering (implicit literal tokens first,
 * then the lexer rules in SqlBase.g4 order) so that "Expecting {...}" lists come out in the same
 * order as ksqlDB prints them.
 */
import { createToken, EOF, Lexer, type IToken, type TokenType } from 'chevrotain';

/** Human-readable name of each token type, in ANTLR's vocabulary style ('SELECT', ',', STRING). */
export const displayNames = new Map<TokenType, string>();
/** Creation rank of each token type (ANTLR token number order), used to sort expected sets. */
export const tokenRank = new Map<TokenType, number>();
const allTokenTypes: TokenType[] = [];

function tok(name: string, display: string, categories?: TokenType[]): TokenType {
  const t = categories
    ? createToken({ name, pattern: Lexer.NA, categories })
    : createToken({ name, pattern: Lexer.NA });
  displayNames.set(t, display);
  tokenRank.set(t, allTokenTypes.length);
  allTokenTypes.push(t);
  return t;
}

// ---------------------------------------------------------------- categories
/** Anything ksqlDB's `identifier` rule accepts. */
export const IdentLike = createToken({ name: 'IdentLike', pattern: Lexer.NA });
/** Every keyword (reserved or not); DEFINE/UNDEFINE accept any of them as a variable name. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });
/** INTEGER_VALUE, DECIMAL_VALUE, FLOATING_POINT_VALUE */
export const NumberTok = createToken({ name: 'NumberTok', pattern: Lexer.NA });
displayNames.set(IdentLike, 'IDENTIFIER');
displayNames.set(Keyword, 'keyword');
displayNames.set(NumberTok, 'number');
/** DAY(S), HOUR(S), MINUTE(S), SECOND(S), MILLISECOND(S): ksqlDB's `windowUnit` rule */
export const WindowUnit = createToken({ name: 'WindowUnit', pattern: Lexer.NA });
displayNames.set(WindowUnit, 'windowUnit');
const WINDOW_UNITS = new Set(
  'DAY HOUR MINUTE SECOND MILLISECOND DAYS HOURS MINUTES SECONDS MILLISECONDS'.split(' '),
);
displayNames.set(EOF, '<EOF>');

// ---------------------------------------------------------------- implicit literal tokens
export const Semi = tok('SEMI', "';'");
export const Comma = tok('COMMA', "','");
export const LParen = tok('LPAREN', "'('");
export const RParen = tok('RPAREN', "')'");
export const Dot = tok('DOT', "'.'");
export const LBracket = tok('LBRACKET', "'['");
export const RBracket = tok('RBRACKET', "']'");

// ---------------------------------------------------------------- keywords
/** ksqlDB's `nonReserved` rule: keywords that may also be used as identifiers. */
const NON_RESERVED = new Set(
  (
    'SHOW TABLES COLUMNS COLUMN PARTITIONS FUNCTIONS FUNCTION SESSION STRUCT MAP ARRAY PARTITION ' +
    'INTEGER DATE TIME TIMESTAMP INTERVAL ZONE STRING YEAR MONTH DAY HOUR MINUTE SECOND ' +
    'EXPLAIN ANALYZE TYPE TYPES SET RESET IF SOURCE SINK PRIMARY KEY EMIT CHANGES FINAL ESCAPE ' +
    'REPLACE ASSERT ALTER ADD HEADER HEADERS GRACE PERIOD DEFINE UNDEFINE VARIABLES PLUGINS ' +
    'SYSTEM TIMEOUT SCHEMA SUBJECT ID'
  ).split(' '),
);

/** Keyword token types by upper-case spelling. */
export const keywords = new Map<string, TokenType>();
function kw(word: string): TokenType {
  const cats = NON_RESERVED.has(word) ? [Keyword, IdentLike] : [Keyword];
  if (WINDOW_UNITS.has(word)) cats.push(WindowUnit);
  // 'STRING' is an implicit literal token in ksqlDB's grammar (typeParameter / nonReserved)
  const t = tok(word === 'STRING' ? 'STRING_KW' : word, `'${word}'`, cats);
  keywords.set(word, t);
  return t;
}

export const STRING_KW = kw('STRING');
export const EMIT = kw('EMIT');
export const CHANGES = kw('CHANGES');
export const FINAL = kw('FINAL');
export const SELECT = kw('SELECT');
export const FROM = kw('FROM');
export const AS = kw('AS');
export const ALL = kw('ALL');
export const DISTINCT_KW = kw('DISTINCT');
export const WHERE = kw('WHERE');
export const WITHIN = kw('WITHIN');
export const WINDOW = kw('WINDOW');
export const GROUP = kw('GROUP');
export const BY = kw('BY');
export const HAVING = kw('HAVING');
export const LIMIT = kw('LIMIT');
export const AT = kw('AT');
export const OR = kw('OR');
export const AND = kw('AND');
export const IN = kw('IN');
export const NOT = kw('NOT');
export const EXISTS = kw('EXISTS');
export const BETWEEN = kw('BETWEEN');
export const LIKE = kw('LIKE');
export const ESCAPE = kw('ESCAPE');
export const IS = kw('IS');
export const NULL = kw('NULL');
export const TRUE = kw('TRUE');
export const FALSE = kw('FALSE');
export const INTEGER = kw('INTEGER');
export const DATE = kw('DATE');
export const TIME = kw('TIME');
export const TIMESTAMP = kw('TIMESTAMP');
export const INTERVAL = kw('INTERVAL');
kw('YEAR');
kw('MONTH');
export const DAY = kw('DAY');
export const HOUR = kw('HOUR');
export const MINUTE = kw('MINUTE');
export const SECOND = kw('SECOND');
export const MILLISECOND = kw('MILLISECOND');
kw('YEARS');
kw('MONTHS');
export const DAYS = kw('DAYS');
export const HOURS = kw('HOURS');
export const MINUTES = kw('MINUTES');
export const SECONDS = kw('SECONDS');
export const MILLISECONDS = kw('MILLISECONDS');
export const ZONE = kw('ZONE');
export const TUMBLING = kw('TUMBLING');
export const HOPPING = kw('HOPPING');
export const SIZE = kw('SIZE');
export const ADVANCE = kw('ADVANCE');
export const RETENTION = kw('RETENTION');
export const GRACE = kw('GRACE');
export const PERIOD = kw('PERIOD');
export const CASE = kw('CASE');
export const WHEN = kw('WHEN');
export const THEN = kw('THEN');
export const ELSE = kw('ELSE');
export const END = kw('END');
export const JOIN = kw('JOIN');
export const FULL = kw('FULL');
export const OUTER = kw('OUTER');
export const INNER = kw('INNER');
export const LEFT = kw('LEFT');
export const RIGHT = kw('RIGHT');
export const ON = kw('ON');
export const PARTITION = kw('PARTITION');
export const STRUCT = kw('STRUCT');
export const WITH = kw('WITH');
export const VALUES = kw('VALUES');
export const CREATE = kw('CREATE');
export const TABLE = kw('TABLE');
export const TOPIC = kw('TOPIC');
export const STREAM = kw('STREAM');
export const STREAMS = kw('STREAMS');
export const INSERT = kw('INSERT');
export const DELETE = kw('DELETE');
export const INTO = kw('INTO');
export const DESCRIBE = kw('DESCRIBE');
export const EXTENDED = kw('EXTENDED');
export const PRINT = kw('PRINT');
export const EXPLAIN = kw('EXPLAIN');
kw('ANALYZE');
export const TYPE = kw('TYPE');
export const TYPES = kw('TYPES');
export const CAST = kw('CAST');
export const SHOW = kw('SHOW');
export const LIST = kw('LIST');
export const TABLES = kw('TABLES');
export const TOPICS = kw('TOPICS');
kw('QUERY');
export const QUERIES = kw('QUERIES');
export const TERMINATE = kw('TERMINATE');
export const PAUSE = kw('PAUSE');
export const RESUME = kw('RESUME');
kw('LOAD');
kw('COLUMNS');
export const COLUMN = kw('COLUMN');
kw('PARTITIONS');
export const FUNCTIONS = kw('FUNCTIONS');
export const FUNCTION = kw('FUNCTION');
export const DROP = kw('DROP');
kw('TO');
kw('RENAME');
export const ARRAY = kw('ARRAY');
export const MAP = kw('MAP');
export const SET = kw('SET');
export const DEFINE = kw('DEFINE');
export const UNDEFINE = kw('UNDEFINE');
kw('RESET');
export const SESSION = kw('SESSION');
export const SAMPLE = kw('SAMPLE');
kw('EXPORT');
kw('CATALOG');
export const PROPERTIES = kw('PROPERTIES');
export const BEGINNING = kw('BEGINNING');
export const UNSET = kw('UNSET');
export const RUN = kw('RUN');
export const SCRIPT = kw('SCRIPT');
export const DECIMAL = kw('DECIMAL');
export const KEY = kw('KEY');
export const CONNECTOR = kw('CONNECTOR');
export const CONNECTORS = kw('CONNECTORS');
export const SINK = kw('SINK');
export const SOURCE = kw('SOURCE');
kw('NAMESPACE');
kw('MATERIALIZED');
kw('VIEW');
export const PRIMARY = kw('PRIMARY');
export const REPLACE = kw('REPLACE');
export const ASSERT = kw('ASSERT');
export const ADD = kw('ADD');
export const ALTER = kw('ALTER');
export const VARIABLES = kw('VARIABLES');
export const PLUGINS = kw('PLUGINS');
export const HEADERS = kw('HEADERS');
export const HEADER = kw('HEADER');
export const SYSTEM = kw('SYSTEM');
export const TIMEOUT = kw('TIMEOUT');
export const SCHEMA = kw('SCHEMA');
export const SUBJECT = kw('SUBJECT');
export const ID = kw('ID');
export const IF = kw('IF');

// ---------------------------------------------------------------- operators
export const Eq = tok('EQ', "'='");
export const Neq = tok('NEQ', 'NEQ');
export const Lt = tok('LT', "'<'");
export const Lte = tok('LTE', "'<='");
export const Gt = tok('GT', "'>'");
export const Gte = tok('GTE', "'>='");
export const Plus = tok('PLUS', "'+'");
export const Minus = tok('MINUS', "'-'");
export const Asterisk = tok('ASTERISK', "'*'");
export const Slash = tok('SLASH', "'/'");
export const Percent = tok('PERCENT', "'%'");
export const Concat = tok('CONCAT', "'||'");
export const Assign = tok('ASSIGN', "':='");
export const Arrow = tok('STRUCT_FIELD_REF', "'->'");
export const Lambda = tok('LAMBDA_EXPRESSION', "'=>'");

// ---------------------------------------------------------------- literals and identifiers
export const Str = tok('STRING', 'STRING');
export const IntegerValue = tok('INTEGER_VALUE', 'INTEGER_VALUE', [NumberTok]);
export const DecimalValue = tok('DECIMAL_VALUE', 'DECIMAL_VALUE', [NumberTok]);
export const FloatValue = tok('FLOATING_POINT_VALUE', 'FLOATING_POINT_VALUE', [NumberTok]);
export const Identifier = tok('IDENTIFIER', 'IDENTIFIER', [IdentLike]);
export const DigitIdentifier = tok('DIGIT_IDENTIFIER', 'DIGIT_IDENTIFIER', [IdentLike]);
export const QuotedIdentifier = tok('QUOTED_IDENTIFIER', 'QUOTED_IDENTIFIER', [IdentLike]);
export const BackQuotedIdentifier = tok('BACKQUOTED_IDENTIFIER', 'BACKQUOTED_IDENTIFIER', [IdentLike]);
export const Variable = tok('VARIABLE', 'VARIABLE', [IdentLike]);
/** Any character the dialect does not know; left to the parser to report (as ANTLR does). */
export const Unrecognized = tok('UNRECOGNIZED', 'UNRECOGNIZED');

/** Every token type, categories included, for the parser's vocabulary. */
export const vocabulary: TokenType[] = [IdentLike, Keyword, NumberTok, WindowUnit, ...allTokenTypes];

// ---------------------------------------------------------------- scanner

/** A lexical error: unterminated string / quoted identifier / comment. */
export class LexError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly found: string,
    readonly expected: string,
  ) {
    super(message);
  }
}

export interface TokenizeOptions {
  /** line and column of text[0] within a larger script (defaults 1, 1) */
  startLine?: number;
  startColumn?: number;
  /** offset of text[0] within the larger script (defaults 0) */
  startOffset?: number;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isIdentPart = (c: number) => isLetter(c) || isDigit(c) || c === 95 /* _ */ || c === 64; /* @ */

const SINGLE: Record<string, TokenType> = {
  ';': Semi,
  ',': Comma,
  '(': LParen,
  ')': RParen,
  '[': LBracket,
  ']': RBracket,
  '+': Plus,
  '*': Asterisk,
  '/': Slash,
  '%': Percent,
};

/**
 * Splits text into tokens (whitespace and comments dropped). Offsets are absolute within the
 * script; lines and columns are 1-based.
 */
export function tokenize(text: string, opts: TokenizeOptions = {}): IToken[] {
  const tokens: IToken[] = [];
  const base = opts.startOffset ?? 0;
  let line = opts.startLine ?? 1;
  let lineStart = -((opts.startColumn ?? 1) - 1); // index in text where the current line starts
  const n = text.length;
  let i = 0;

  const push = (type: TokenType, start: number, end: number, startLine: number, startCol: number) => {
    tokens.push({
      image: text.slice(start, end),
      startOffset: base + start,
      endOffset: base + end - 1,
      startLine,
      startColumn: startCol,
      endLine: line,
      endColumn: end - 1 - lineStart + 1,
      tokenType: type,
      tokenTypeIdx: type.tokenTypeIdx!,
    });
  };

  /** Scans a quoted run (string or quoted identifier) with doubled-quote escapes. */
  const scanQuoted = (quote: number, what: string): number => {
    const startLine = line;
    const startCol = i - lineStart + 1;
    let j = i + 1;
    for (;;) {
      if (j >= n) {
        throw new LexError(
          `line ${startLine}:${startCol}: Syntax Error\nUnterminated ${what} starting at or near ` +
            `'${preview(text.slice(i))}'`,
          startLine,
          startCol,
          preview(text.slice(i)),
          String.fromCharCode(quote),
        );
      }
      const c = text.charCodeAt(j);
      if (c === quote) {
        if (text.charCodeAt(j + 1) === quote) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      if (c === 10) {
        line++;
        lineStart = j + 1;
      }
      j++;
    }
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 9 || c === 13 || c === 10 || c === 12) {
      if (c === 10) {
        line++;
        lineStart = i + 1;
      }
      i++;
      continue;
    }
    const startLine = line;
    const col = i - lineStart + 1;
    const ch = text[i]!;
    // comments
    if (ch === '-' && text[i + 1] === '-') {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        throw new LexError(
          `line ${startLine}:${col}: Syntax Error\nUnterminated comment: '/*' without '*/'`,
          startLine,
          col,
          '/*',
          '*/',
        );
      }
      for (let j = i; j < close; j++) {
        if (text.charCodeAt(j) === 10) {
          line++;
          lineStart = j + 1;
        }
      }
      i = close + 2;
      continue;
    }
    // words: keywords and identifiers (ANTLR: (LETTER | '_') (LETTER | DIGIT | '_' | '@')*)
    if (isLetter(c) || c === 95) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j).toUpperCase();
      push(keywords.get(word) ?? Identifier, i, j, startLine, col);
      i = j;
      continue;
    }
    // numbers and digit-identifiers, longest match as ANTLR does
    if (isDigit(c) || (ch === '.' && isDigit(text.charCodeAt(i + 1)))) {
      const [type, end] = scanNumber(text, i);
      push(type, i, end, startLine, col);
      i = end;
      continue;
    }
    switch (ch) {
      case "'": {
        const end = scanQuoted(39, 'string literal');
        push(Str, i, end, startLine, col);
        i = end;
        continue;
      }
      case '"': {
        const end = scanQuoted(34, 'quoted identifier');
        push(QuotedIdentifier, i, end, startLine, col);
        i = end;
        continue;
      }
      case '`': {
        const end = scanQuoted(96, 'back-quoted identifier');
        push(BackQuotedIdentifier, i, end, startLine, col);
        i = end;
        continue;
      }
      case '$': {
        // VARIABLE: '${' IDENTIFIER '}'
        const m = /^\$\{[A-Za-z_][A-Za-z0-9_@]*\}/.exec(text.slice(i, i + 300));
        if (m) {
          push(Variable, i, i + m[0].length, startLine, col);
          i += m[0].length;
          continue;
        }
        break;
      }
      case '.':
        push(Dot, i, i + 1, startLine, col);
        i++;
        continue;
      case '=':
        if (text[i + 1] === '>') {
          push(Lambda, i, i + 2, startLine, col);
          i += 2;
        } else {
          push(Eq, i, i + 1, startLine, col);
          i++;
        }
        continue;
      case '<':
        if (text[i + 1] === '>') push(Neq, i, i + 2, startLine, col), (i += 2);
        else if (text[i + 1] === '=') push(Lte, i, i + 2, startLine, col), (i += 2);
        else push(Lt, i, i + 1, startLine, col), i++;
        continue;
      case '>':
        if (text[i + 1] === '=') push(Gte, i, i + 2, startLine, col), (i += 2);
        else push(Gt, i, i + 1, startLine, col), i++;
        continue;
      case '!':
        if (text[i + 1] === '=') {
          push(Neq, i, i + 2, startLine, col);
          i += 2;
          continue;
        }
        break;
      case '-':
        if (text[i + 1] === '>') push(Arrow, i, i + 2, startLine, col), (i += 2);
        else push(Minus, i, i + 1, startLine, col), i++;
        continue;
      case '|':
        if (text[i + 1] === '|') {
          push(Concat, i, i + 2, startLine, col);
          i += 2;
          continue;
        }
        break;
      case ':':
        if (text[i + 1] === '=') {
          push(Assign, i, i + 2, startLine, col);
          i += 2;
          continue;
        }
        break;
      default: {
        const single = SINGLE[ch];
        if (single) {
          push(single, i, i + 1, startLine, col);
          i++;
          continue;
        }
      }
    }
    // unknown character (a whole surrogate pair counts as one)
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    push(Unrecognized, i, i + width, startLine, col);
    i += width;
  }
  return tokens;
}

/**
 * ANTLR rules, longest match wins, ties go to the earlier rule:
 *   INTEGER_VALUE: DIGIT+ ; DECIMAL_VALUE: DIGIT+ '.' DIGIT* | '.' DIGIT+ ;
 *   FLOATING_POINT_VALUE: (DIGIT+ ('.' DIGIT*)? | '.' DIGIT+) 'E' [+-]? DIGIT+ ;
 *   DIGIT_IDENTIFIER: DIGIT (LETTER | DIGIT | '_' | '@')+
 */
function scanNumber(text: string, i: number): [TokenType, number] {
  const n = text.length;
  let j = i;
  while (j < n && isDigit(text.charCodeAt(j))) j++;
  const digitsEnd = j;
  let best: [TokenType, number] = [IntegerValue, digitsEnd];
  let numEnd = digitsEnd;
  if (text[j] === '.') {
    j++;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    numEnd = j;
    best = [DecimalValue, numEnd];
  }
  if (text[numEnd] === 'e' || text[numEnd] === 'E') {
    let k = numEnd + 1;
    if (text[k] === '+' || text[k] === '-') k++;
    if (isDigit(text.charCodeAt(k))) {
      while (k < n && isDigit(text.charCodeAt(k))) k++;
      best = [FloatValue, k];
    }
  }
  if (digitsEnd > i) {
    // DIGIT_IDENTIFIER candidate: digits then identifier characters (at least one more char)
    let k = i + 1;
    while (k < n && isIdentPart(text.charCodeAt(k))) k++;
    if (k > best[1] && k - i >= 2) best = [DigitIdentifier, k];
  }
  return best;
}

function preview(s: string): string {
  const firstLine = s.split(/\r?\n/)[0]!;
  return firstLine.length > 20 ? firstLine.slice(0, 20) + '...' : firstLine;
}

/** True for a token type that is (or belongs to) the category. */
export function isA(t: IToken, type: TokenType): boolean {
  if (t.tokenType === type) return true;
  const cats = t.tokenType.CATEGORIES;
  return !!cats && cats.includes(type);
}
