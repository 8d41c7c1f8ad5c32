/**
 * Client-side `${name}` substitution of DEFINEd variables, as the ksql CLI does before sending a
 * statement (so it works the same against any server). Inside a string literal the value's
 * single quotes are doubled so it cannot end the literal early; names are matched exactly first,
 * then case-insensitively; an undefined variable is left as written for the server to report.
 */
export function substitute(text: string, variables: Record<string, string>): string {
  const keys = Object.keys(variables);
  if (!keys.length || !text.includes('${')) return text;
  const lookup = (name: string): string | undefined => {
    if (name in variables) return variables[name];
    const k = keys.find((x) => x.toUpperCase() === name.toUpperCase());
    return k === undefined ? undefined : variables[k];
  };
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      // a doubled quote inside a literal stays inside it
      if (inString && text[i + 1] === "'") {
        out += "''";
        i++;
        continue;
      }
      inString = !inString;
      out += c;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end > 0) {
        const value = lookup(text.slice(i + 2, end));
        if (value !== undefined) {
          out += inString ? value.split("'").join("''") : value;
          i = end;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}
