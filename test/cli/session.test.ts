import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KsqlError, type RestClient } from '../../cli/interactive/rest-client.js';
import { Session } from '../../cli/interactive/session.js';
import { substitute } from '../../cli/interactive/variables.js';

test('variables are substituted in identifiers and string literals, quotes doubled inside literals', () => {
  const vars = { src: 'PAGEVIEWS', who: "o'brien" };
  assert.equal(substitute("SELECT * FROM ${src} WHERE name = '${who}';", vars), "SELECT * FROM PAGEVIEWS WHERE name = 'o''brien';");
  assert.equal(substitute('SELECT ${SRC} FROM t;', vars), 'SELECT PAGEVIEWS FROM t;', 'case-insensitive fallback');
  assert.equal(substitute("SELECT '${nope}' FROM t;", vars), "SELECT '${nope}' FROM t;", 'undefined variables are left alone');
});

/** A stand-in for the REST client that records what the session sends. */
function fakeSession(answers: { ksql?: (text: string) => unknown[] } = {}) {
  const sent: { ksql: string; properties: Record<string, unknown> }[] = [];
  const client = {
    server: 'http://fake',
    ksql: async (text: string, ctx: { properties: Record<string, unknown> }) => {
      sent.push({ ksql: text, properties: ctx.properties });
      return answers.ksql ? answers.ksql(text) : [];
    },
  } as unknown as RestClient;
  const lines: string[] = [];
  const errors: string[] = [];
  const session = new Session(client, { line: (l) => lines.push(l), error: (e) => errors.push(e), width: () => 80 });
  return { session, sent, lines, errors };
}

test('SET and UNSET are client-side and sent as streamsProperties; DEFINE substitutes before sending', async () => {
  const { session, sent, lines } = fakeSession();
  assert.equal(await session.run("SET 'auto.offset.reset'='earliest'; DEFINE t = 'X'; DROP STREAM ${t}; UNSET 'auto.offset.reset'; DROP STREAM Y;"), 'ok');
  assert.deepEqual(sent.map((s) => s.ksql).filter((k) => !k.startsWith('SHOW')), ['DROP STREAM X;', 'DROP STREAM Y;']);
  assert.deepEqual(sent[0]!.properties, { 'auto.offset.reset': 'earliest' });
  assert.deepEqual(sent.find((s) => s.ksql === 'DROP STREAM Y;')!.properties, {});
  assert.ok(lines.some((l) => l.includes("Successfully changed local property 'auto.offset.reset' to 'earliest'")));
});

test('OUTPUT switches the format; unknown formats are errors; EXIT ends the run', async () => {
  const { session, errors } = fakeSession();
  assert.equal(await session.run("OUTPUT 'JSON';"), 'ok');
  assert.equal(session.format, 'JSON');
  assert.equal(await session.run('OUTPUT XML;'), 'error');
  assert.match(errors[0]!, /Unknown output format/);
  assert.equal(await session.run('exit'), 'exit');
});

test('a server error is shown and stops the statements after it; an ERROR status is an error too', async () => {
  const { session, sent, errors } = fakeSession({
    ksql: (text) => {
      if (text.startsWith('BAD')) throw new KsqlError("line 1:1: Syntax Error", 40001, text);
      if (text.startsWith('TERMINATE')) return [{ '@type': 'currentStatus', commandStatus: { status: 'ERROR', message: 'no such query' } }];
      return [];
    },
  });
  assert.equal(await session.run('BAD; SHOW TOPICS;'), 'error');
  assert.deepEqual(sent.map((s) => s.ksql), ['BAD;']);
  assert.equal(errors[0], 'line 1:1: Syntax Error');
  assert.equal(await session.run('TERMINATE q;'), 'error');
  assert.equal(errors[1], 'no such query');
});

test('RUN SCRIPT runs a file; a missing file is a clear error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-session-'));
  try {
    const file = join(dir, 'a.sql');
    await writeFile(file, "SET 'p'='1';\nSHOW TOPICS;\n");
    const { session, sent, errors } = fakeSession();
    assert.equal(await session.run(`RUN SCRIPT '${file}';`), 'ok');
    assert.deepEqual(sent.map((s) => s.ksql), ['SHOW TOPICS;']);
    assert.deepEqual(sent[0]!.properties, { p: '1' });
    assert.equal(await session.run(`RUN SCRIPT '${join(dir, 'none.sql')}';`), 'error');
    assert.match(errors[0]!, /Cannot read script .*none\.sql.*ENOENT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
