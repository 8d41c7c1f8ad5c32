/**
 * `${name}` substitution, as ksqlDB's VariableSubstitutor does it before a statement is built:
 * - a VARIABLE token (identifier or literal position) is replaced by the variable's value;
 * - inside string literals every `${name}` of a defined variable is replaced too;
 * - values are "sanitised": single quotes inside them are doubled (a quoted value keeps its
 *   outer quotes), so a value cannot end a string literal early;
 * - an undefined variable is left as written: inside a string it stays text, as an identifier
 *   or literal the parser then rejects it ("Illegal argument ...");
 * - a value replacing a whole token must be an identifier (possibly quoted) or a literal
 *   (quoted string, boolean, number). ksqlDB checks this against the position (identifier or
 *   literal); we accept either form anywhere, which only matters for odd values.
 * Variable names are case-sensitive.
 */
import type { IToken } from 'chevrotain';
import { ParseError } from './errors.js';
import * as T from './lexer.js';

interface Slice {
  text: string;
  offset: number;
  tokens: IToken[];
}

const IN_STRING = /\$\{([^}]*)\}/g;

function escapeQuotes(s: string): string {
  return s.split("'").join("''");
}

/** ksqlDB's ParserUtil.sanitize */
export function sanitize(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
    const inner = value.slice(1, -1).split("''").join("'");
    return "'" + escapeQuotes(inner) + "'";
  }
  return escapeQuotes(value);
}

/** Returns the statement text with defined variables substituted (unchanged if none apply). */
export function substituteVariables(slice: Slice, vars: ReadonlyMap<string, string>): string {
  let out = '';
  let copied = 0; // index into slice.text up to which text has been copied
  for (const t of slice.tokens) {
    let replacement: string | undefined;
    if (t.tokenType === T.Variable) {
      const value = vars.get(t.image.slice(2, -1));
      if (value !== undefined) {
        checkStandaloneValue(value, t);
        replacement = sanitize(value);
      }
    } else if (t.tokenType === T.Str && t.image.includes('${')) {
      const replaced = t.image.replace(IN_STRING, (whole, name: string) => {
        const value = vars.get(name);
        return value === undefined ? whole : sanitize(value);
      });
      if (replaced !== t.image) replacement = replaced;
    }
    if (replacement !== undefined) {
      const start = t.startOffset - slice.offset;
      out += slice.text.slice(copied, start) + replacement;
      copied = t.endOffset! + 1 - slice.offset;
    }
  }
  return copied === 0 ? slice.text : out + slice.text.slice(copied);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_@]*$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function checkStandaloneValue(value: string, at: IToken): void {
  const quoted = (q: string) => value.length >= 2 && value.startsWith(q) && value.endsWith(q);
  const bare = quoted('"') || quoted('`') ? value.slice(1, -1) : value;
  const ok =
    IDENTIFIER.test(bare) || quoted("'") || NUMBER.test(value) || /^(true|false)$/i.test(value);
  if (!ok) {
    throw new ParseError(
      `Illegal argument at ${at.startLine}:${at.startColumn}. Identifier names cannot start with '@' and ` +
        `may only contain alphanumeric values and '_'. Got: '${value}'`,
      at.startLine!,
      at.startColumn!,
      at.image,
      [],
    );
  }
}
