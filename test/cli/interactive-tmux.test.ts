/**
 * Drives the interactive CLI in a real terminal: tmux runs it in a pseudo-terminal, keys are sent
 * with send-keys and the screen is read with capture-pane. Skipped when tmux is not installed.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ksql, SLUICE_BIN, startServer, waitFor } from './cli-helpers.js';

const WIDTH = 70;
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

test('the interactive CLI in a terminal: two-line statement, table, push query streamed and cancelled with Ctrl-C', { skip: hasTmux ? false : 'tmux is not installed' }, async () => {
  const server = await startServer();
  const dir = await mkdtemp(join(tmpdir(), 'sluice-cli-tmux-'));
  const socket = join(dir, 'tmux.sock');
  const history = join(dir, 'history');
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  // tmux reads a trailing `;` in an argument as a command separator, hence the escape
  const type = (text: string) => {
    tmux('send-keys', '-t', 'cli', '-l', text.replace(/;$/, '\\;'));
    tmux('send-keys', '-t', 'cli', 'Enter');
  };
  // -J joins lines the terminal wrapped, so a table wider than the terminal would show
  const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'cli', '-S', '-500');
  const shows = (what: string, re: RegExp) => waitFor(`the screen to show ${what}`, () => (re.test(screen()) ? true : undefined));
  try {
    await ksql(server.url, "CREATE STREAM people (id INT KEY, name VARCHAR) WITH (kafka_topic='people', value_format='json', partitions=1);");
    await ksql(server.url, "INSERT INTO people (id, name) VALUES (1, 'alice');");
    // longer than the terminal is wide: the table must wrap it inside its column
    await ksql(server.url, `INSERT INTO people (id, name) VALUES (3, '${'long-name-'.repeat(10)}');`);
    // ink renders only the final frame when CI is set (is-ci); the terminal test wants the live UI
    const cmd = `env -u CI SLUICE_HISTORY_FILE='${history}' '${process.execPath}' '${SLUICE_BIN}' cli --server ${server.url}`;
    tmux('new-session', '-d', '-s', 'cli', '-x', String(WIDTH), '-y', '50', cmd);
    await shows('the prompt', /ksql>/);

    type("SET 'auto.offset.reset'='earliest';");
    await shows('the SET confirmation', /Successfully changed local property 'auto\.offset\.reset'/);
    type('SELECT *');
    await shows('the continuation prompt', /ksql> SELECT \*\n\s+>/);
    type('  FROM people;');
    await shows('the pull query table', /\| ID\s+\| NAME\s+\|[\s\S]*\| 1\s+\| alice\s+\|/);

    const tableLines = screen().split('\n').filter((l) => /^[+|]/.test(l));
    assert.ok(tableLines.length >= 6);
    for (const l of tableLines) assert.ok(l.trimEnd().length <= WIDTH, `table line wider than the terminal: ${l}`);

    // tab completes a stream name fetched from the server
    tmux('send-keys', '-t', 'cli', '-l', 'DESCRIBE peo');
    tmux('send-keys', '-t', 'cli', 'Tab');
    await shows('the completed name', /ksql> DESCRIBE PEOPLE/);
    type(';');
    await shows('the description', /Name\s+: PEOPLE/);

    // a bad statement shows the server's message and the CLI goes on; up arrow recalls it
    type('SELECT nope FROM people;');
    await shows('the error', /SELECT column 'NOPE' cannot be resolved/);
    tmux('send-keys', '-t', 'cli', 'Up');
    await shows('the recalled statement', /ksql> SELECT nope FROM people;\s*$/);
    tmux('send-keys', '-t', 'cli', 'C-c');

    type("UNSET 'auto.offset.reset';");
    await shows('the UNSET confirmation', /Successfully unset local property/);
    type('SELECT name FROM people EMIT CHANGES;');
    await shows('the push query header', /ksql> SELECT name FROM people EMIT CHANGES;\n\+-+\+\n\| NAME/);
    // the push query reads from latest, so a row inserted now must stream in
    await waitFor('the row to stream', async () => {
      await ksql(server.url, "INSERT INTO people (id, name) VALUES (2, 'zed');");
      return /\| zed\s+\|/.test(screen()) ? true : undefined;
    }, 60, 500);
    tmux('send-keys', '-t', 'cli', 'C-c');
    await shows('the query cancelled', /Query terminated/);

    type('SHOW STREAMS;');
    await shows('the CLI answering after Ctrl-C', /\| Stream Name\s+\|[\s\S]*\| PEOPLE\s+\|/);

    type('exit');
    await waitFor('the CLI to exit', () => (spawnSync('tmux', ['-S', socket, 'has-session', '-t', 'cli']).status !== 0 ? true : undefined));
    const saved = await readFile(history, 'utf8');
    assert.match(saved, /^SELECT \* FROM people;$/m, 'the two-line statement is one history entry');
    assert.match(saved, /^SHOW STREAMS;$/m);
  } finally {
    spawnSync('tmux', ['-S', socket, 'kill-server']);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
