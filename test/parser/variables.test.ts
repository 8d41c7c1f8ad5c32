import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStatements, ParseError } from '../../src/parser/index.js';
import { noLoc } from './helpers.js';

test('variables are substituted in identifiers, literals and strings', () => {
  const [p] = parseStatements("SELECT ${col} FROM ${src} WHERE x = ${num} AND y = '${word}-${missing}';", {
    variables: { col: 'a', src: 'S1', num: '42', word: "it's" },
  });
  assert.equal(p!.text, "SELECT a FROM S1 WHERE x = 42 AND y = 'it''s-${missing}';");
  const q = noLoc(p!.statement);
  assert.equal(q.type, 'Query');
  if (q.type === 'Query') {
    assert.deepEqual(q.query.select, [{ type: 'SelectExpr', expr: { type: 'ColumnRef', name: 'A' } }]);
    assert.equal(q.query.from.name, 'S1');
  }
});

test('a quoted value in literal position is a string literal', () => {
  const [p] = parseStatements("INSERT INTO s (a) VALUES (${v});", { variables: { v: "'hello'" } });
  const s = noLoc(p!.statement);
  assert.deepEqual(s.type === 'InsertValues' && s.values, [{ type: 'Literal', literalType: 'STRING', value: 'hello' }]);
});

test('DEFINE and UNDEFINE in a script apply to the statements after them', () => {
  const script = "DEFINE fmt = 'JSON';\nCREATE STREAM s (a INT) WITH (kafka_topic='t', value_format='${fmt}');\nUNDEFINE fmt;\nCREATE STREAM u (a INT) WITH (kafka_topic='t', value_format='${fmt}');";
  const parsed = parseStatements(script, { variables: {} });
  const props = parsed.map((p) => (p.statement.type === 'CreateSource' ? p.statement.properties.VALUE_FORMAT : null));
  assert.deepEqual(props, [null, 'JSON', null, '${fmt}']);
  // positions still refer to the script
  assert.deepEqual(parsed[1]!.loc, { line: 2, column: 1 });
});

test('variable names are case-sensitive', () => {
  const [p] = parseStatements("SELECT * FROM s WHERE a = '${X}';", { variables: { x: 'lower' } });
  assert.match(p!.text, /'\$\{X\}'/);
});

test('an undefined variable as identifier or literal is an error naming its position', () => {
  assert.throws(
    () => parseStatements('SELECT * FROM ${nope};', { variables: {} }),
    (e: unknown) => e instanceof ParseError && e.line === 1 && e.column === 15 && /Illegal argument at 1:15/.test(e.message),
  );
  assert.throws(() => parseStatements('SELECT * FROM s WHERE a = ${nope};'), /Illegal argument at 1:27/);
});

test('a variable standing for a whole token must hold an identifier or a literal', () => {
  assert.throws(() => parseStatements('SELECT * FROM ${v};', { variables: { v: 'a b' } }), /Illegal argument at 1:15/);
  assert.equal(parseStatements('SELECT * FROM ${v};', { variables: { v: '`Quoted`' } }).length, 1);
  assert.equal(parseStatements('SELECT ${v} FROM s;', { variables: { v: '-1.5e3' } }).length, 1);
});
