/**
 * The editing state of the prompt as a pure value, so that keys can be unit-tested without a
 * terminal: the lines already entered of a multi-line statement, the line being edited, the
 * cursor, and where up/down stand in the history.
 */
import { complete, type CompletionNames } from './completion.js';

export interface EditorState {
  /** earlier lines of a statement not yet ended with `;` */
  pending: string[];
  line: string;
  cursor: number;
  /** index into history while browsing it with up/down; history.length when not browsing */
  historyIndex: number;
  /** the line as typed before browsing history, restored by going past the newest entry */
  draft: string;
  /** candidates listed after an ambiguous tab */
  candidates: string[];
}

export const emptyEditor = (historyLength: number): EditorState => ({ pending: [], line: '', cursor: 0, historyIndex: historyLength, draft: '', candidates: [] });

export function insertText(s: EditorState, text: string): EditorState {
  return { ...s, line: s.line.slice(0, s.cursor) + text + s.line.slice(s.cursor), cursor: s.cursor + text.length, candidates: [] };
}

export function backspace(s: EditorState): EditorState {
  if (s.cursor === 0) return s;
  return { ...s, line: s.line.slice(0, s.cursor - 1) + s.line.slice(s.cursor), cursor: s.cursor - 1, candidates: [] };
}

export function moveCursor(s: EditorState, to: number): EditorState {
  return { ...s, cursor: Math.max(0, Math.min(s.line.length, to)) };
}

export function historyStep(s: EditorState, history: string[], delta: -1 | 1): EditorState {
  const idx = Math.max(0, Math.min(history.length, s.historyIndex + delta));
  if (idx === s.historyIndex) return s;
  const draft = s.historyIndex === history.length ? s.line : s.draft;
  const line = idx === history.length ? draft : history[idx]!;
  return { ...s, historyIndex: idx, draft, line, cursor: line.length, candidates: [] };
}

/** Tab: completes the word before the cursor; several candidates are listed. */
export function tabComplete(s: EditorState, names: CompletionNames): EditorState {
  const before = s.line.slice(0, s.cursor);
  const c = complete(before, names);
  if (!c) return s;
  const line = before.slice(0, c.start) + c.replacement + s.line.slice(s.cursor);
  return { ...s, line, cursor: c.start + c.replacement.length, candidates: c.candidates.length > 1 ? c.candidates : [] };
}

/** The whole text entered so far, pending lines and the current one. */
export function fullText(s: EditorState): string {
  return [...s.pending, s.line].join('\n');
}
