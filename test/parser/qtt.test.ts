/**
 * Parses every statement of ksqlDB's query-validation test cases (../shared/qtt). Statements of
 * cases that expect no exception must all parse, even those ksqlDB later rejects semantically.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseStatements } from '../../src/parser/index.js';

interface QttCase {
  name: string;
  statements?: string[];
  format?: string[];
  expectedException?: unknown;
  /** REST cases */
  expectedError?: unknown;
}

/** ../shared/qtt/<sub> from the repository root; a worktree under wt/ sits one level deeper. */
function qttDir(sub: string): string | undefined {
  for (const base of ['../shared/qtt', '../../shared/qtt']) {
    const dir = resolve(process.cwd(), base, sub);
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

for (const sub of ['query-validation-tests', 'rest-query-validation-tests']) {
  test(`every ${sub} statement parses (except in cases expecting an exception)`, (t) => {
    const dir = qttDir(sub);
    if (!dir) {
      t.skip('../shared/qtt not found');
      return;
    }
    let parsed = 0;
    let expectedFailures = 0;
    const failures: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const cases = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { tests: QttCase[] }).tests;
      for (const c of cases) {
        for (const format of c.format ?? ['']) {
          for (const raw of c.statements ?? []) {
            const text = raw.split('{FORMAT}').join(format);
            try {
              parseStatements(text);
              parsed++;
            } catch (e) {
              if (c.expectedException || c.expectedError) expectedFailures++;
              else failures.push(`${file} / ${c.name}: ${text}\n  ${(e as Error).message}`);
            }
          }
        }
      }
    }
    t.diagnostic(`${sub}: parsed ${parsed} statements; ${expectedFailures} failed in cases expecting an exception`);
    assert.ok(parsed > 500, 'the corpus should be substantial');
    assert.deepEqual(failures, []);
  });
}
