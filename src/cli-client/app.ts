/**
 * The interactive CLI, drawn with ink: finished output scrolls above (Static), the prompt below
 * holds a multi-line statement until it ends with ';'. Up/down walk the history (kept in a file
 * between runs), Tab completes keywords and stream/table names, Ctrl-C cancels a running query
 * (not the CLI), clears a half-typed statement, or leaves on an empty prompt.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { Box, render, Static, Text, useApp, useInput } from 'ink';
import React, { useEffect, useRef, useState } from 'react';
import { Session } from './session.js';

interface Item {
  id: number;
  text: string;
  error?: boolean;
}

/** Output lines the session prints, handed to whichever view is listening. */
export class OutputFeed {
  private listener: ((item: Item) => void) | undefined;
  private pending: Item[] = [];
  private next = 0;
  constructor(private readonly columns: () => number) {}
  listen(l: (item: Item) => void): void {
    this.listener = l;
    for (const p of this.pending.splice(0)) l(p);
  }
  push(text: string, error = false): void {
    const item = { id: this.next++, text, error };
    if (this.listener) this.listener(item);
    else this.pending.push(item);
  }
  sink() {
    return { print: (t: string) => this.push(t), error: (t: string) => this.push(t, true), width: () => this.columns() };
  }
}

function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        try {
          return JSON.parse(l) as string;
        } catch {
          return l;
        }
      })
      .slice(-500);
  } catch {
    return [];
  }
}

function commonPrefix(words: string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) while (!w.toUpperCase().startsWith(p.toUpperCase())) p = p.slice(0, -1);
  return p;
}

const h = React.createElement;

function App(props: { session: Session; feed: OutputFeed; historyFile: string }): React.ReactElement {
  const { session, feed, historyFile } = props;
  const { exit } = useApp();
  const [items, setItems] = useState<Item[]>([]);
  // keys can arrive faster than React re-renders: the handler reads refs, the view reads state
  const [buffer, setBufferState] = useState('');
  const [running, setRunningState] = useState(false);
  const bufferRef = useRef('');
  const runningRef = useRef(false);
  const setBuffer = (v: string) => {
    bufferRef.current = v;
    setBufferState(v);
  };
  const setRunning = (v: boolean) => {
    runningRef.current = v;
    setRunningState(v);
  };
  const [hint, setHint] = useState('');
  const abort = useRef<AbortController | null>(null);
  const history = useRef<string[]>(loadHistory(historyFile));
  const histPos = useRef(-1);

  useEffect(() => feed.listen((item) => setItems((prev) => [...prev, item])), [feed]);

  const submit = (text: string) => {
    setBuffer('');
    setHint('');
    histPos.current = -1;
    feed.push(text.split('\n').map((l, i) => `${i === 0 ? 'sluice> ' : '      > '}${l}`).join('\n'));
    if (history.current[history.current.length - 1] !== text) {
      history.current.push(text);
      try {
        appendFileSync(historyFile, `${JSON.stringify(text)}\n`);
      } catch {
        /* history is a convenience */
      }
    }
    const ac = new AbortController();
    abort.current = ac;
    setRunning(true);
    void session.run(text, ac.signal).finally(() => {
      abort.current = null;
      setRunning(false);
      if (session.exitRequested) exit();
    });
  };

  useInput((input, key) => {
    const buffer = bufferRef.current;
    const running = runningRef.current;
    if (key.ctrl && input === 'c') {
      if (running && abort.current) abort.current.abort();
      else if (buffer) setBuffer('');
      else exit();
      return;
    }
    if (running) return;
    if (key.return) {
      if (Session.isComplete(buffer)) submit(buffer.trim());
      else if (buffer.trim()) setBuffer(`${buffer}\n`);
      return;
    }
    if (key.backspace || key.delete) {
      setBuffer(buffer.slice(0, -1));
      return;
    }
    if (key.tab) {
      const options = session.complete(buffer);
      const word = /([A-Za-z_][A-Za-z0-9_]*)$/.exec(buffer)?.[1] ?? '';
      if (options.length === 1) {
        setBuffer(buffer.slice(0, buffer.length - word.length) + options[0]! + ' ');
        setHint('');
      } else if (options.length > 1) {
        const p = commonPrefix(options);
        if (p.length > word.length) setBuffer(buffer.slice(0, buffer.length - word.length) + p);
        setHint(options.slice(0, 20).join('  '));
      }
      return;
    }
    if (key.upArrow || key.downArrow) {
      const hs = history.current;
      if (hs.length === 0) return;
      let pos = histPos.current < 0 ? hs.length : histPos.current;
      pos = key.upArrow ? Math.max(0, pos - 1) : pos + 1;
      if (pos >= hs.length) {
        histPos.current = -1;
        setBuffer('');
      } else {
        histPos.current = pos;
        setBuffer(hs[pos]!);
      }
      return;
    }
    if (input && !key.ctrl && !key.meta) {
      // several keys may come in one chunk: erase characters (DEL, BS) edit as they go
      let b = buffer;
      for (const ch of input.replace(/\r/g, '\n')) b = ch === '\x7f' || ch === '\b' ? b.slice(0, -1) : b + ch;
      setBuffer(b);
    }
  });

  const lines = buffer.split('\n');
  return h(
    Box,
    { flexDirection: 'column' },
    h(Static, { items, children: (it: Item) => h(Text, { key: it.id, ...(it.error ? { color: 'red' } : {}) }, it.text) } as never),
    running
      ? h(Text, { dimColor: true }, 'Running… (Ctrl-C to cancel)')
      : h(
          Box,
          { flexDirection: 'column' },
          ...lines.map((l, i) => h(Text, { key: `l${i}` }, `${i === 0 ? 'sluice> ' : '      > '}${l}${i === lines.length - 1 ? '█' : ''}`)),
          hint ? h(Text, { dimColor: true }, hint) : null,
        ),
  );
}

export async function runInteractive(session: Session, feed: OutputFeed, historyFile: string): Promise<void> {
  const app = render(h(App, { session, feed, historyFile }), { exitOnCtrlC: false });
  await app.waitUntilExit();
}
