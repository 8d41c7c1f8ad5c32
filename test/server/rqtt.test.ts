/**
 * ksqlDB's REST query-validation cases (../shared/qtt/rest-query-validation-tests) against a
 * real server: at least 80% must pass (the pass count may only go up).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { runRestPaths } from '../../src/testing/rqtt-runner.js';

// ../shared from the main checkout, ../../shared from a worktree under /work/wt
const RQTT = ['../shared/qtt/rest-query-validation-tests', '../../shared/qtt/rest-query-validation-tests'].find((p) => existsSync(p)) ?? '../shared/qtt/rest-query-validation-tests';
const FLOOR = 235;

test('REST query-validation cases: at least 80% and the recorded floor pass', { skip: !existsSync(RQTT) && 'no ../shared/qtt here' }, async () => {
  const summary = await runRestPaths([RQTT]);
  const total = summary.passed + summary.failed + summary.skipped;
  assert.ok(total >= 250, `expected the whole suite, ran ${total}`);
  assert.ok(summary.passed >= FLOOR, `passed ${summary.passed} of ${total}, floor ${FLOOR}`);
  assert.ok(summary.passed / total >= 0.8, `passed ${summary.passed} of ${total}`);
});
