import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqlParser } from '../../src/parser/parser.js';

// The shared parser skips chevrotain's grammar validations for a fast start; check them here.
test('the grammar passes chevrotain self-analysis validations', () => {
  assert.doesNotThrow(() => new SqlParser(true));
});
