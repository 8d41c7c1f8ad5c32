/** The interactive CLI in a real terminal, through test/cli-tmux.sh (skipped without tmux). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

test('two-line statement, table, push query cancelled by Ctrl-C, CLI still running', { skip: (!hasTmux || !existsSync('test/cli-tmux.sh')) && 'needs tmux and the repository root as cwd' }, () => {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const r = spawnSync('bash', ['test/cli-tmux.sh'], { env: { ...process.env, PORT: port }, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /all CLI checks passed/);
});
