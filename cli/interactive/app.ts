/**
 * The interactive CLI, drawn with ink: a `ksql>` prompt (continuation `>` for multi-line
 * statements), history on up/down, tab completion, and output written above the prompt through
 * ink's stdout writer so it scrolls like a normal terminal. While a statement runs the prompt is
 * hidden; Ctrl-C then cancels a running query (the CLI keeps going), Ctrl-D on an empty line or
 * `exit` quits. Written with React.createElement so the project needs no JSX compiler setting.
 */
import { Box, render, Text, useApp, useInput, useStdout } from 'ink';
import React, { useEffect, useRef, useState } from 'react';
import { History } from './history.js';
import { backspace, emptyEditor, fullText, historyStep, insertText, moveCursor, tabComplete, type EditorState } from './line-editor.js';
import type { Session, SessionOutput } from './session.js';
import { isComplete } from './statement-splitter.js';

const h = React.createElement;
const PROMPT = 'ksql> ';
const CONTINUATION = '    > ';

interface AppProps {
  session: Session;
  history: History;
  /** output lines are queued here and flushed through ink's writer */
  outputRef: { write?: (s: string) => void };
}

function App({ session, history, outputRef }: AppProps): React.ReactElement {
  const { exit } = useApp();
  const { write } = useStdout();
  const [ed, setEd] = useState<EditorState>(() => emptyEditor(history.entries.length));
  const [running, setRunning] = useState(false);
  const edRef = useRef(ed);
  edRef.current = ed;

  useEffect(() => {
    outputRef.write = write;
    return () => {
      outputRef.write = undefined;
    };
  }, [write, outputRef]);

  const submit = (text: string) => {
    const echo = text.split('\n').map((l, i) => (i === 0 ? PROMPT : CONTINUATION) + l);
    write(echo.join('\n') + '\n');
    history.add(text);
    setEd(emptyEditor(history.entries.length));
    setRunning(true);
    session.run(text).then(
      (outcome) => {
        setRunning(false);
        if (outcome === 'exit') exit();
      },
      (err: unknown) => {
        // the session reports statement errors itself; this is a bug's last resort, not a crash
        write(`\x1b[31m${(err as Error).stack ?? String(err)}\x1b[0m\n`);
        setRunning(false);
      },
    );
  };

  useInput((input, key) => {
    if (running) {
      if (key.ctrl && input === 'c') void session.cancelQuery();
      return;
    }
    const s = edRef.current;
    if (key.ctrl && input === 'c') {
      const text = fullText(s);
      if (text) write(text.split('\n').map((l, i) => (i === 0 ? PROMPT : CONTINUATION) + l).join('\n') + '^C\n');
      setEd(emptyEditor(history.entries.length));
      return;
    }
    if (key.ctrl && input === 'd') {
      if (!fullText(s)) exit();
      return;
    }
    if (key.return) {
      const text = fullText(s);
      if (!text.trim()) {
        setEd({ ...s, line: '', cursor: 0 });
        return;
      }
      if (isComplete(text)) submit(text);
      else setEd({ ...emptyEditor(history.entries.length), pending: [...s.pending, s.line] });
      return;
    }
    if (key.upArrow) return setEd(historyStep(s, history.entries, -1));
    if (key.downArrow) return setEd(historyStep(s, history.entries, 1));
    if (key.leftArrow) return setEd(moveCursor(s, s.cursor - 1));
    if (key.rightArrow) return setEd(moveCursor(s, s.cursor + 1));
    if (key.home || (key.ctrl && input === 'a')) return setEd(moveCursor(s, 0));
    if (key.end || (key.ctrl && input === 'e')) return setEd(moveCursor(s, s.line.length));
    if (key.ctrl && input === 'u') return setEd({ ...s, line: s.line.slice(s.cursor), cursor: 0 });
    if (key.tab) return setEd(tabComplete(s, session.names));
    // most terminals send DEL (0x7f) for the backspace key, which ink reports as `delete`
    if (key.backspace || key.delete) return setEd(backspace(s));
    if (key.ctrl || key.meta || key.escape) return;
    if (input) {
      // pasted text may hold newlines: each ends a line as Enter would
      const parts = input.replace(/\r\n?/g, '\n').split('\n');
      let cur = s;
      for (let i = 0; i < parts.length; i++) {
        cur = insertText(cur, parts[i]!);
        if (i < parts.length - 1) {
          const text = fullText(cur);
          if (isComplete(text)) {
            submit(text);
            return;
          }
          cur = { ...emptyEditor(history.entries.length), pending: [...cur.pending, cur.line] };
        }
      }
      setEd(cur);
    }
  });

  if (running) return h(Text, { dimColor: true }, '(running: Ctrl-C cancels a query)');
  const prompt = ed.pending.length ? CONTINUATION : PROMPT;
  const at = ed.line[ed.cursor] ?? ' ';
  return h(
    Box,
    { flexDirection: 'column' },
    ...ed.pending.map((l, i) => h(Text, { key: `p${i}` }, (i === 0 ? PROMPT : CONTINUATION) + l)),
    h(Text, { key: 'line' }, prompt, ed.line.slice(0, ed.cursor), h(Text, { inverse: true }, at), ed.line.slice(ed.cursor + 1)),
    ed.candidates.length ? h(Text, { key: 'cands', dimColor: true }, ed.candidates.join('  ')) : null,
  );
}

/** Starts the interactive CLI on the terminal; resolves to the exit code when the user quits. */
export async function runInteractive(session: Session): Promise<number> {
  const outputRef: AppProps['outputRef'] = {};
  // lines are batched per tick: one ink write per batch keeps a fast push query cheap to draw
  let queued: string[] = [];
  let scheduled = false;
  const emit = (text: string) => {
    queued.push(text);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const chunk = queued.join('\n') + '\n';
      queued = [];
      if (outputRef.write) outputRef.write(chunk);
      else process.stdout.write(chunk);
    });
  };
  const out: SessionOutput = {
    line: emit,
    error: (t) => emit(`\x1b[31m${t}\x1b[0m`),
    width: () => process.stdout.columns || 80,
  };
  session.setOutput(out);
  const history = new History();
  try {
    const info = await session.client.info();
    out.line(`Sluice CLI, server version ${info.version ?? 'unknown'} at ${session.client.server}`);
    out.line(`Server Status: ${info.serverStatus ?? 'unknown'}`);
  } catch (err) {
    out.error((err as Error).message);
  }
  out.line('Type HELP; for the CLI commands, EXIT or Ctrl-D to quit.');
  await session.refreshNames();
  const app = render(h(App, { session, history, outputRef }), { exitOnCtrlC: false });
  await app.waitUntilExit();
  await session.cancelQuery();
  return 0;
}
