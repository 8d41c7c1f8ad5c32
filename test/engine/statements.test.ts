/**
 * The engine end to end on the test driver: statements, their errors (with line and column),
 * EXPLAIN's serialisable plan, and bad records going to the processing log.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KsqlError } from '../../src/common/errors.js';
import { ParseError } from '../../src/parser/index.js';
import type { QueryPlan } from '../../src/planner/plan.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { Engine } from '../../src/engine/engine.js';
import { newEngine, pipeJson, readJson } from './helpers.js';

const DDL = "CREATE STREAM PV (USERID STRING KEY, PAGE STRING, MS BIGINT) WITH (KAFKA_TOPIC='pv', VALUE_FORMAT='JSON', PARTITIONS=1);";

test('a filter/projection query writes the rows it selects', () => {
  const { engine, driver } = newEngine();
  engine.executeScript(`${DDL}\nCREATE STREAM SLOW AS SELECT USERID, UCASE(PAGE) AS PAGE, MS / 1000 AS SECS FROM PV WHERE MS > 1000;`);
  pipeJson(driver, 'pv', 'u1', { PAGE: 'home', MS: 500 }, 1);
  pipeJson(driver, 'pv', 'u2', { page: 'cart', ms: 2500 }, 2);
  assert.deepEqual(readJson(driver, 'SLOW'), [{ key: 'u2', value: { PAGE: 'CART', SECS: 2 }, timestamp: 2 }]);
});

test('a windowed count emits every update with its window', () => {
  const { engine, driver } = newEngine();
  engine.executeScript(`${DDL}\nCREATE TABLE C AS SELECT USERID, COUNT(*) AS N FROM PV WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY USERID;`);
  for (const ts of [1000, 2000, 12000]) pipeJson(driver, 'pv', 'u1', { PAGE: 'p', MS: 1 }, ts);
  assert.deepEqual(
    readJson(driver, 'C').map((r) => r.value),
    [{ N: 1 }, { N: 2 }, { N: 1 }],
  );
});

test('syntax errors name line, column, what was found and what was expected', () => {
  const { engine } = newEngine();
  assert.throws(
    () => engine.executeScript(`${DDL}\nSELECT * FORM PV EMIT CHANGES;`),
    (err: unknown) => {
      assert.ok(err instanceof ParseError);
      assert.equal(err.line, 2);
      assert.equal(err.column, 10);
      assert.match(err.message, /FORM/);
      assert.match(err.message, /FROM/);
      return true;
    },
  );
});

test('semantic errors use ksqlDB wording and carry the position', () => {
  const { engine } = newEngine();
  engine.executeScript(DDL);
  const cases: [string, RegExp][] = [
    ['CREATE STREAM X AS SELECT USERID, NOPE FROM PV;', /SELECT column 'NOPE' cannot be resolved/],
    ["CREATE STREAM X AS SELECT USERID FROM PV WHERE MS > 'abc';", /Cannot compare MS \(BIGINT\) to 'abc' \(STRING\)/],
    ['CREATE STREAM X AS SELECT PAGE FROM PV;', /must include the key column USERID in its projection/],
    ['CREATE TABLE X AS SELECT PAGE, COUNT(*) FROM PV GROUP BY USERID;', /Non-aggregate SELECT expression\(s\) not part of GROUP BY: PAGE/],
    ['CREATE STREAM X AS SELECT USERID, FOO(PAGE) FROM PV;', /Can't find any functions with the name 'FOO'/],
    ["CREATE TABLE T (ID INT KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);", /please use 'PRIMARY KEY' for tables/],
  ];
  for (const [sql, message] of cases) {
    assert.throws(
      () => engine.executeScript(sql),
      (err: unknown) => err instanceof KsqlError && message.test(err.message) && /^Line: 1, Col: \d+: /.test(err.message),
      sql,
    );
  }
});

test("EXPLAIN's plan is JSON and runs unchanged from its serialised form", () => {
  const { engine } = newEngine();
  engine.executeScript(DDL);
  const res = engine.executeScript('EXPLAIN CREATE STREAM S AS SELECT USERID, PAGE FROM PV WHERE MS > 1;')[0]!;
  assert.equal(res.kind, 'Explain');
  const plan = JSON.parse(JSON.stringify((res as { plan: QueryPlan }).plan)) as QueryPlan;
  // a second engine that never saw the statement runs the deserialised plan
  const driver = new TestDriver();
  const other = new Engine(driver);
  driver.createTopic('pv', 1, 1);
  driver.startQuery(plan, other.compileContext());
  pipeJson(driver, 'pv', 'u', { PAGE: 'x', MS: 5 });
  pipeJson(driver, 'pv', 'u', { PAGE: 'y', MS: 0 });
  assert.deepEqual(readJson(driver, 'S').map((r) => r.value), [{ PAGE: 'x' }]);
});

test('bad records go to the processing log, are counted, and processing goes on', () => {
  const { engine, driver } = newEngine();
  engine.executeScript(`${DDL}\nCREATE STREAM S AS SELECT USERID, PAGE FROM PV;`);
  driver.pipe({ topic: 'pv', key: Buffer.from('u'), value: Buffer.from('{not json'), timestamp: 0 });
  pipeJson(driver, 'pv', 'u', { PAGE: 'ok', MS: 1 });
  assert.deepEqual(readJson(driver, 'S').map((r) => r.value), [{ PAGE: 'ok' }]);
  assert.equal(driver.processingLog.entries.length, 1);
  assert.equal(driver.processingLog.entries[0]!.type, 'DESERIALIZATION_ERROR');
  assert.equal(driver.processingLog.counts.get('CSAS_S_0'), 1);
});

test('an expression failing for one record yields null for that column only', () => {
  const { engine, driver } = newEngine();
  engine.executeScript("CREATE STREAM N (K STRING KEY, A INT, B INT) WITH (KAFKA_TOPIC='n', VALUE_FORMAT='JSON', PARTITIONS=1);\nCREATE STREAM Q AS SELECT K, A / B AS R, A FROM N;");
  pipeJson(driver, 'n', 'k', { A: 6, B: 0 });
  pipeJson(driver, 'n', 'k', { A: 6, B: 3 });
  assert.deepEqual(readJson(driver, 'Q').map((r) => r.value), [{ R: null, A: 6 }, { R: 2, A: 6 }]);
  assert.equal(driver.processingLog.entries.length, 1);
});

test('SHOW FUNCTIONS and DESCRIBE FUNCTION read the registry', () => {
  const { engine } = newEngine();
  const [shown] = engine.executeScript('SHOW FUNCTIONS;');
  assert.equal(shown!.kind, 'Functions');
  const names = (shown as { registry: { list(): { name: string }[] } }).registry.list().map((f) => f.name);
  for (const n of ['SUBSTRING', 'EXPLODE', 'COUNT']) assert.ok(names.includes(n), n);
  const [desc] = engine.executeScript('DESCRIBE FUNCTION substring;');
  assert.equal(desc!.kind, 'DescribeFunction');
  assert.throws(() => engine.executeScript('DESCRIBE FUNCTION nope;'), /Can't find any functions with the name 'NOPE'/);
});

test('DROP refuses a source that queries still read', () => {
  const { engine } = newEngine();
  engine.executeScript(`${DDL}\nCREATE STREAM S AS SELECT * FROM PV;`);
  assert.throws(() => engine.executeScript('DROP STREAM PV;'), /The following queries read from this source: \[CSAS_S_0\]/);
  engine.executeScript('DROP STREAM S;');
  engine.executeScript('DROP STREAM PV;');
  assert.equal(engine.metastore.sources.size, 0);
});

test('EXPLAIN names the internal topics of stateful steps from the query id', () => {
  const { engine } = newEngine();
  engine.executeScript(`${DDL}\nCREATE TABLE C AS SELECT PAGE, COUNT(*) AS N FROM PV GROUP BY PAGE;`);
  const [res] = engine.executeScript('EXPLAIN CTAS_C_0;');
  const plan = (res as { plan: QueryPlan }).plan;
  const names = plan.internalTopics.map((t) => `${t.kind}:${t.name}`);
  assert.ok(names.some((n) => /^repartition:CTAS_C_0-GroupBy_\d+-repartition$/.test(n)), names.join());
  assert.ok(names.some((n) => /^changelog:CTAS_C_0-Aggregate_\d+-changelog$/.test(n)), names.join());
  const steps: string[] = [];
  const walk = (s: { type: string; source?: unknown }) => {
    steps.push(s.type);
    if (s.source) walk(s.source as { type: string; source?: unknown });
  };
  walk(plan.root);
  assert.deepEqual(steps, ['Sink', 'Project', 'Aggregate', 'GroupBy', 'StreamSource']);
});

test('INSERT VALUES coerces structs, arrays and maps member by member, as ksqlDB does', () => {
  const { engine, driver } = newEngine();
  engine.executeScript(
    "CREATE STREAM T (K STRING KEY, V STRUCT<FOO BIGINT, `bar` ARRAY<DOUBLE>, M MAP<STRING, DECIMAL(4, 1)>>) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
      "INSERT INTO T (K, V) VALUES ('a', STRUCT(FOO := 2, BAR := ARRAY[1, 2], M := MAP('x' := 3), EXTRA := 'dropped'));\n" +
      "INSERT INTO T (K, V) VALUES ('b', STRUCT());",
  );
  assert.deepEqual(
    driver.records('t').map((r) => JSON.parse(r.value!.toString('utf8'))),
    [{ V: { FOO: 2, bar: [1, 2], M: { x: 3 } } }, { V: { FOO: null, bar: null, M: null } }],
  );
  assert.throws(
    () => engine.executeScript("INSERT INTO T (K, V) VALUES ('c', STRUCT(FOO := 'not a number'));"),
    (err: unknown) => err instanceof KsqlError && /Expected type BIGINT for field V\.FOO but got STRING\(not a number\)/.test(err.message),
  );
});

test('EXPLAIN lists a foreign-key join’s subscription topics (registration sized like the right table) and its stores’ changelogs', () => {
  const { engine } = newEngine();
  engine.executeScript(
    "CREATE TABLE O (ID STRING PRIMARY KEY, CID STRING) WITH (KAFKA_TOPIC='ex_o', VALUE_FORMAT='JSON', PARTITIONS=3);\n" +
      "CREATE TABLE C (CID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='ex_c', VALUE_FORMAT='JSON', PARTITIONS=2);\n" +
      'CREATE TABLE OC AS SELECT O.ID, NAME FROM O JOIN C ON O.CID = C.CID;',
  );
  const [res] = engine.executeScript('EXPLAIN CTAS_OC_0;');
  const plan = (res as { plan: QueryPlan }).plan;
  const names = plan.internalTopics.map((t) => `${t.kind}:${t.name}:${t.partitions}`);
  for (const re of [
    /^subscription-registration:CTAS_OC_0-Join_\d+-subscription-registration-topic:2$/,
    /^subscription-response:CTAS_OC_0-Join_\d+-subscription-response-topic:3$/,
    /^changelog:CTAS_OC_0-Join_\d+-subscriptions-changelog:3$/,
    /^changelog:CTAS_OC_0-Join_\d+-left-changelog:3$/,
    /^changelog:CTAS_OC_0-Join_\d+-right-changelog:3$/,
  ]) {
    assert.ok(names.some((n) => re.test(n)), `${re}: ${names.join()}`);
  }
});

test('a foreign-key join of windowed tables is refused with ksqlDB’s message', () => {
  const { engine } = newEngine();
  engine.executeScript(
    "CREATE TABLE WL (K STRING PRIMARY KEY, F1 STRING) WITH (KAFKA_TOPIC='wl', VALUE_FORMAT='JSON', WINDOW_TYPE='Tumbling', WINDOW_SIZE='1 SECOND', PARTITIONS=1);\n" +
      "CREATE TABLE WR (K STRING PRIMARY KEY, ID INT) WITH (KAFKA_TOPIC='wr', VALUE_FORMAT='JSON', WINDOW_TYPE='Tumbling', WINDOW_SIZE='1 SECOND', PARTITIONS=1);",
  );
  assert.throws(() => engine.executeScript('CREATE TABLE WJ AS SELECT * FROM WL JOIN WR ON WL.F1 = WR.K;'), /Foreign-key table-table joins are not supported on windowed tables\./);
});
