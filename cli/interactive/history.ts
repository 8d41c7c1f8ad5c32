/**
 * Statement history kept between runs in ~/.sluice_history (or $SLUICE_HISTORY_FILE), one
 * entry a line: a statement typed over several lines is kept as one line. Consecutive
 * duplicates are not recorded (as the ksql CLI does).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const MAX_HISTORY = 1000;

export function historyPath(): string {
  return process.env.SLUICE_HISTORY_FILE || join(homedir(), '.sluice_history');
}

export class History {
  readonly entries: string[];

  constructor(private readonly path: string = historyPath()) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      /* no history yet */
    }
    this.entries = text.split('\n').filter((l) => l.trim()).slice(-MAX_HISTORY);
  }

  /** Records an entry in memory and in the file; a file that cannot be written only loses history. */
  add(entry: string): void {
    const one = entry.replace(/\s*\n\s*/g, ' ').trim();
    if (!one || this.entries[this.entries.length - 1] === one) return;
    this.entries.push(one);
    try {
      appendFileSync(this.path, one + '\n');
    } catch {
      /* read-only home: history stays in memory */
    }
  }
}
