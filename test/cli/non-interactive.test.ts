import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ksql, SLUICE_BIN, startServer, type RunningServer } from './cli-helpers.js';

let server: RunningServer;
let dir: string;

before(async () => {
  server = await startServer();
  dir = await mkdtemp(join(tmpdir(), 'sluice-cli-'));
  await ksql(server.url, "CREATE STREAM people (id INT KEY, name VARCHAR) WITH (kafka_topic='people', value_format='json', partitions=1);");
});

after(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SLUICE_BIN, 'cli', '--server', server.url, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('-f runs a file: inserts, SET, a pull query printed as a table; exit code 0', async () => {
  const file = join(dir, 'script.sql');
  await writeFile(
    file,
    "-- a script\nINSERT INTO people (id, name) VALUES (1, 'alice');\nINSERT INTO people (id, name) VALUES (2, 'bob');\n" +
      "SET 'auto.offset.reset'='earliest';\nSELECT *\n  FROM people;\n",
  );
  const r = await cli(['-f', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\| ID\s+\| NAME\s+\|/);
  assert.match(r.stdout, /\| 1\s+\| alice\s+\|/);
  assert.match(r.stdout, /\| 2\s+\| bob\s+\|/);
});

test('-e with --output JSON prints entities and rows as JSON', async () => {
  const r = await cli(['-o', 'JSON', '-e', 'SHOW STREAMS;']);
  assert.equal(r.code, 0, r.stderr);
  const entities = JSON.parse(r.stdout) as { '@type': string; streams: { name: string }[] }[];
  assert.equal(entities[0]!['@type'], 'streams');
  assert.ok(entities[0]!.streams.some((s) => s.name === 'PEOPLE'));
});

test('a bad statement prints the server message on stderr, stops the run and exits non-zero', async () => {
  const r = await cli(['-e', 'SELECT nope FROM people; SHOW STREAMS;']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /NOPE/);
  assert.doesNotMatch(r.stdout, /Stream Name/, 'statements after the error are not run');
});

test('an unreachable server and a missing file are clear errors', async () => {
  const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(process.execPath, [SLUICE_BIN, 'cli', '--server', 'http://127.0.0.1:1', '-e', 'SHOW STREAMS;'], (err, _o, stderr) => resolve({ code: err ? 1 : 0, stderr })),
  );
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Could not reach the server at http:\/\/127\.0\.0\.1:1/);
  const m = await cli(['-f', join(dir, 'missing.sql')]);
  assert.equal(m.code, 1);
  assert.match(m.stderr, /Cannot read .*missing\.sql.*ENOENT/);
});
