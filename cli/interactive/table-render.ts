/**
 * Draws result tables in the ksql CLI's style (+---+ borders), fitted to the terminal width:
 * columns keep their natural width when everything fits; otherwise the widest ones shrink and
 * their cells wrap onto several lines. string-width measures cells so wide (CJK) and emoji
 * characters line up.
 */
import stringWidth from 'string-width';

/** How a JSON value from the server reads in a cell: strings bare, null as `null`, the rest as JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Splits text into pieces at most `width` columns wide (hard breaks, newlines respected). */
export function wrapCell(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.replace(/\r/g, '').replace(/\t/g, ' ').split('\n')) {
    let cur = '';
    let curW = 0;
    for (const ch of line) {
      const w = stringWidth(ch);
      if (curW + w > width && cur) {
        out.push(cur);
        cur = '';
        curW = 0;
      }
      cur += ch;
      curW += w;
    }
    out.push(cur);
  }
  return out;
}

const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - stringWidth(s)));

/**
 * Column widths (content only, without borders) for the given natural widths so that the whole
 * table, borders included, is at most `maxWidth` wide: the widest column gives up a column at a
 * time until it fits, none going below `minWidth` (so a very narrow terminal still overflows
 * rather than drawing unreadable one-letter columns).
 */
export function fitWidths(natural: number[], maxWidth: number, minWidth = 4): number[] {
  const widths = natural.map((w) => Math.max(1, w));
  const border = widths.length * 3 + 1; // "| " before each cell, " " after, a final "|"
  const budget = maxWidth - border;
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > budget) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i]! > minWidth && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    widths[widest]!--;
    total--;
  }
  return widths;
}

export function separator(widths: number[]): string {
  return '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
}

/** One table row, its cells wrapped to their column widths (so possibly several lines). */
export function rowLines(cells: string[], widths: number[]): string[] {
  const wrapped = widths.map((w, i) => wrapCell(cells[i] ?? '', w));
  const height = Math.max(1, ...wrapped.map((c) => c.length));
  const lines: string[] = [];
  for (let l = 0; l < height; l++) lines.push('|' + widths.map((w, i) => ' ' + pad(wrapped[i]![l] ?? '', w) + ' ').join('|') + '|');
  return lines;
}

/** A whole table: header, separator, rows, closing separator. */
export function renderTable(headers: string[], rows: string[][], maxWidth = Infinity): string[] {
  const natural = headers.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => Math.max(...wrapCell(r[i] ?? '', Infinity).map((x) => stringWidth(x))))));
  const widths = fitWidths(natural, maxWidth);
  const sep = separator(widths);
  return [sep, ...rowLines(headers, widths), sep, ...rows.flatMap((r) => rowLines(r, widths)), sep];
}

/**
 * Widths for a push query's columns, fixed before any row arrives: the terminal width shared
 * equally (as the ksql CLI does), each at least as wide as its header when there is room; with
 * no known width (output to a pipe), the header width or 16, whichever is larger.
 */
export function streamingWidths(headers: string[], maxWidth: number | undefined): number[] {
  if (!maxWidth || !Number.isFinite(maxWidth)) return headers.map((h) => Math.max(16, stringWidth(h)));
  const share = Math.floor((maxWidth - (headers.length * 3 + 1)) / Math.max(1, headers.length));
  return fitWidths(
    headers.map((h) => Math.max(share, Math.min(stringWidth(h), share))),
    maxWidth,
  );
}
