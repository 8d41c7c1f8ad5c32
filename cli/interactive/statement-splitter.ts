/**
 * Splitting CLI input into statements. A statement ends at a `;` outside quotes, back-quoted
 * identifiers and comments; input is only sent once it ends in `;` (as the ksql CLI does), so
 * `isComplete` tells the line editor whether to submit or to ask for another line.
 */

/** Where the scanner stands at the end of the text: inside a quote or block comment, or not. */
interface ScanResult {
  statements: string[];
  /** text after the last `;` (may be only whitespace and comments) */
  rest: string;
  /** an unclosed quote, back-quote or block comment at the end */
  open: boolean;
}

function scan(text: string): ScanResult {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  let open = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      // SQL quoting: a doubled quote character inside the quote stands for itself
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        if (text[j] === c) {
          if (text[j + 1] === c) {
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        j++;
      }
      if (!closed) {
        open = true;
        i = text.length;
        break;
      }
      i = j + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) {
        open = true;
        i = text.length;
        break;
      }
      i = end + 2;
    } else if (c === ';') {
      statements.push(text.slice(start, i + 1));
      start = i + 1;
      i++;
    } else {
      i++;
    }
  }
  return { statements, rest: text.slice(start), open };
}

/** Removes `--` line comments and `/* *\/` block comments outside quotes (used to see whether text is blank). */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === c) {
          if (text[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * The statements of a script or of `-e` text, each with its `;` and surrounding whitespace
 * trimmed. Text after the last `;` that is not blank is a statement too (a script's last
 * statement may omit it); comment-only pieces are dropped.
 */
export function splitStatements(text: string): string[] {
  const { statements, rest } = scan(text);
  const all = [...statements];
  if (stripComments(rest).trim()) all.push(rest);
  return all.map((s) => s.trim()).filter((s) => stripComments(s).replace(/;\s*$/, '').trim().length > 0);
}

/** CLI commands that need no `;` (case-insensitive, as in the ksql CLI). */
const BARE_COMMANDS = /^\s*(exit|quit|help|version|output(\s+\S+)?|run\s+script\s+'(?:[^']|'')*')\s*;?\s*$/i;

/**
 * Whether buffered input is ready to be sent: it ends with `;` outside any quote or comment,
 * or it is a CLI command that needs no `;`.
 */
export function isComplete(text: string): boolean {
  if (BARE_COMMANDS.test(stripComments(text))) return true;
  const { statements, rest, open } = scan(text);
  if (open) return false;
  return statements.length > 0 && stripComments(rest).trim() === '';
}
