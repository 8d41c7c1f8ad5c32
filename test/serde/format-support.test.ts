import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createSerde,
  formatSupports,
  keySchemaErrorMessage,
  validateFormatProperties,
} from '../../src/runtime/serde/index.js';
import { arr, BIG, BOOL, cols, dec, DBL, INT, map, STR, struct } from './helpers.js';

const key = { isKey: true };
const value = { isKey: false };

test('KAFKA: one column of INT, BIGINT, DOUBLE, STRING or BYTES', () => {
  assert.equal(formatSupports('KAFKA', cols({ K: STR }), key), undefined);
  assert.equal(formatSupports('KAFKA', [], key), undefined);
  assert.equal(formatSupports('KAFKA', cols({ K: BOOL }), key), "The 'KAFKA' format does not support type 'BOOLEAN'");
  assert.equal(formatSupports('KAFKA', cols({ K: dec(2, 1) }), key), "The 'KAFKA' format does not support type 'DECIMAL'");
  assert.equal(formatSupports('KAFKA', cols({ F: arr(INT) }), value), "The 'KAFKA' format does not support type 'ARRAY'");
  assert.equal(
    formatSupports('KAFKA', cols({ V0: INT, V1: STR }), value),
    "The 'KAFKA' format only supports a single field. Got: [`V0` INTEGER, `V1` STRING]",
  );
  assert.equal(
    keySchemaErrorMessage('KAFKA', cols({ K1: INT, K2: INT }), formatSupports('KAFKA', cols({ K1: INT, K2: INT }), key)!),
    'Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K1` INTEGER KEY, `K2` INTEGER KEY], features=[]}\n' +
      "reason: The 'KAFKA' format only supports a single field. Got: [`K1` INTEGER KEY, `K2` INTEGER KEY]",
  );
});

test('DELIMITED: primitives only, naming the column', () => {
  assert.equal(formatSupports('DELIMITED', cols({ A: INT, B: STR, C: dec(4, 2) }), value), undefined);
  assert.equal(
    formatSupports('DELIMITED', cols({ K: struct({ F: DBL }) }), key),
    "The 'DELIMITED' format does not support type 'STRUCT', column: `K`",
  );
  assert.match(formatSupports('DELIMITED', cols({ FOO: arr(INT) }), value)!, /^The 'DELIMITED' format does not support type 'ARRAY'/);
});

test('MAP keys are refused for every format, before format rules', () => {
  const expected =
    'Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent ' +
    'serialization. Key column name: `K`. Column type: MAP<STRING, DOUBLE>. See https://github.com/confluentinc/ksql/issues/6621 for more.';
  for (const f of ['DELIMITED', 'JSON', 'KAFKA'] as const) assert.equal(formatSupports(f, cols({ K: map(STR, DBL) }), key), expected);
  assert.match(formatSupports('JSON', cols({ K: arr(map(STR, INT)) }), key)!, /^Map keys/);
  assert.equal(formatSupports('JSON', cols({ V: map(STR, DBL) }), value), undefined);
});

test('JSON maps need STRING keys', () => {
  assert.equal(formatSupports('JSON', cols({ FOO: map(INT, DBL) }), value), 'JSON only supports MAP types with STRING keys');
  assert.equal(formatSupports('JSON', cols({ FOO: struct({ M: map(BIG, INT) }) }), value), 'JSON only supports MAP types with STRING keys');
});

test('NONE only without columns', () => {
  assert.equal(formatSupports('NONE', [], key), undefined);
  assert.equal(formatSupports('NONE', cols({ FOO: INT }), value), 'The \'NONE\' format can only be used when no columns are defined. Got: [`FOO` INTEGER]');
});

test('WRAP_SINGLE_VALUE rules', () => {
  assert.equal(formatSupports('KAFKA', cols({ FOO: INT }), { isKey: false, wrapSingleValue: true }), "Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.");
  assert.equal(formatSupports('DELIMITED', cols({ FOO: INT }), { isKey: false, wrapSingleValue: true }), "Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.");
  assert.equal(formatSupports('DELIMITED', cols({ FOO: INT }), { isKey: false, wrapSingleValue: false }), undefined);
  assert.equal(formatSupports('PROTOBUF', cols({ FOO: INT }), { isKey: false, wrapSingleValue: false }), "Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'.");
  assert.equal(formatSupports('JSON', cols({ A: STR, B: STR }), { isKey: false, wrapSingleValue: true }), "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  assert.equal(formatSupports('JSON', cols({ A: STR, B: STR }), { isKey: false, wrapSingleValue: false }), "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
});

test('format properties', () => {
  assert.equal(validateFormatProperties({ format: 'JSON', properties: { delimiter: '|' } }), 'JSON does not support the following configs: [delimiter]');
  assert.equal(validateFormatProperties({ format: 'DELIMITED', properties: { delimiter: '|' } }), undefined);
  assert.equal(validateFormatProperties({ format: 'AVRO', properties: { fullSchemaName: '' } }), 'fullSchemaName cannot be empty. Format configuration: {fullSchemaName=}');
});

test('createSerde refuses what formatSupports refuses', () => {
  assert.throws(() => createSerde({ format: 'DELIMITED', properties: {} }, cols({ A: arr(INT) }), value), /does not support type 'ARRAY'/);
  assert.throws(() => createSerde({ format: 'PROTOBUF', properties: {} }, cols({ M: map(INT, INT) }), value), /PROTOBUF format only supports MAP types with STRING keys/);
  assert.throws(() => createSerde({ format: 'DELIMITED', properties: { delimiter: '<~>' } }, cols({ A: INT }), value), /Invalid delimiter value/);
});
