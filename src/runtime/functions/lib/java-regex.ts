/**
 * java.util.regex patterns and replacement strings, translated to JavaScript RegExp.
 *
 * Most syntax is shared; this handles what users of ksqlDB's REGEXP_* functions commonly rely on
 * and JS lacks or spells differently: leading inline flags ((?i), (?s), (?m), (?u), (?x) is
 * rejected), \A \Z \z anchors, \Q...\E quoting, POSIX \p{Alpha}-style classes, \h, possessive
 * quantifiers and atomic groups (treated as their greedy / non-capturing forms), and the
 * $1 / ${name} / \$ replacement syntax.
 */

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
  javaLowerCase: 'a-z',
  javaUpperCase: 'A-Z',
  javaWhitespace: ' \\t\\n\\x0B\\f\\r\\x1C-\\x1F',
};

const HSPACE = ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000';

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

export class JavaRegexError extends Error {
  override name = 'JavaRegexError';
}

/** Translates a Java pattern to a JS RegExp source and flags. */
export function translateJavaRegex(pattern: string): { source: string; flags: string } {
  let flags = '';
  let p = pattern;
  // leading inline flags, e.g. (?i) or (?is)
  const lead = /^\(\?([imsux]+)\)/.exec(p);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'x') throw new JavaRegexError(`Invalid regular expression pattern: ${pattern} (comments mode is not supported)`);
      if (f === 'u') continue;
      if (!flags.includes(f)) flags += f;
    }
    p = p.slice(lead[0].length);
  }
  let out = '';
  let inClass = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new JavaRegexError(`Invalid regular expression pattern: ${pattern}`);
      if (n === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
        out += escapeLiteral(lit);
        i = end < 0 ? p.length : end + 1;
        continue;
      }
      if (!inClass && n === 'A') {
        out += '(?<![\\s\\S])';
        i++;
        continue;
      }
      if (!inClass && (n === 'z' || n === 'Z')) {
        out += n === 'z' ? '(?![\\s\\S])' : '(?=\\n?(?![\\s\\S]))';
        i++;
        continue;
      }
      if (n === 'h') {
        out += inClass ? HSPACE : `[${HSPACE}]`;
        i++;
        continue;
      }
      if ((n === 'p' || n === 'P') && p[i + 2] === '{') {
        const close = p.indexOf('}', i + 3);
        const name = close < 0 ? '' : p.slice(i + 3, close).replace(/^Is/, '');
        const cls = POSIX[name];
        if (cls !== undefined) {
          if (inClass) {
            if (n === 'P') throw new JavaRegexError(`Invalid regular expression pattern: ${pattern} (negated class inside a class)`);
            out += cls;
          } else out += n === 'p' ? `[${cls}]` : `[^${cls}]`;
          i = close;
          continue;
        }
        // Unicode properties (\p{L}, \p{Lu}) need the JS 'u' flag
        if (!flags.includes('u')) flags += 'u';
        out += p.slice(i, close + 1);
        i = close;
        continue;
      }
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[') {
        // Java allows nested classes (unions) such as [a-z[0-9]]; flatten them
        inClass++;
        continue;
      }
      if (c === ']') {
        inClass--;
        if (inClass === 0) out += ']';
        continue;
      }
      if (c === '&' && p[i + 1] === '&') throw new JavaRegexError(`Invalid regular expression pattern: ${pattern} (class intersection is not supported)`);
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = 1;
      out += '[';
      // a leading ']' or '^]' is literal in Java
      if (p[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && p.startsWith('(?>', i)) {
      out += '(?:';
      i += 2;
      continue;
    }
    if (c === '+' && i > 0 && /[*+?}]/.test(p[i - 1]!) && p[i - 2] !== '\\') {
      // possessive quantifier: matched greedily (no backtracking control in JS)
      continue;
    }
    out += c;
  }
  if (inClass) throw new JavaRegexError(`Invalid regular expression pattern: ${pattern} (unclosed character class)`);
  return { source: out, flags };
}

/** Compiles a Java pattern with extra JS flags (e.g. 'g'); errors say "Invalid regular expression pattern". */
export function compileJavaRegex(pattern: string, extraFlags = ''): RegExp {
  const { source, flags } = translateJavaRegex(pattern);
  try {
    return new RegExp(source, flags + extraFlags);
  } catch (e) {
    throw new JavaRegexError(`Invalid regular expression pattern: ${pattern} (${(e as Error).message})`);
  }
}

type Part = string | number | { name: string };

/** Parses a java.util.regex.Matcher replacement string: $n, ${name}, and backslash escapes. */
export function parseJavaReplacement(r: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < r.length; i++) {
    const c = r[i]!;
    if (c === '\\') {
      i++;
      if (i >= r.length) throw new JavaRegexError('character to be escaped is missing');
      lit += r[i];
    } else if (c === '$') {
      if (lit) parts.push(lit);
      lit = '';
      if (r[i + 1] === '{') {
        const close = r.indexOf('}', i + 2);
        if (close < 0) throw new JavaRegexError("named capturing group is missing trailing '}'");
        parts.push({ name: r.slice(i + 2, close) });
        i = close;
      } else {
        const m = /^\d+/.exec(r.slice(i + 1));
        if (!m) throw new JavaRegexError('Illegal group reference');
        parts.push(Number(m[0]));
        i += m[0].length;
      }
    } else lit += c;
  }
  if (lit) parts.push(lit);
  return parts;
}

/** Replaces every match like Java's String.replaceAll(regex, replacement). */
export function replaceAllJava(s: string, re: RegExp, parts: Part[]): string {
  re.lastIndex = 0;
  if (parts.every((p) => typeof p === 'string')) {
    const lit = (parts as string[]).join('');
    return s.replace(re, () => lit);
  }
  return s.replace(re, (...args: unknown[]) => {
    const hasGroups = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null;
    const groups = (hasGroups ? args[args.length - 1] : undefined) as Record<string, string | undefined> | undefined;
    const captures = args.slice(0, hasGroups ? -3 : -2) as (string | undefined)[];
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else if (typeof p === 'number') {
        if (p >= captures.length) throw new JavaRegexError(`No group ${p}`);
        out += captures[p] ?? '';
      } else {
        if (!groups || !(p.name in groups)) throw new JavaRegexError(`No group with name {${p.name}}`);
        out += groups[p.name] ?? '';
      }
    }
    return out;
  });
}
