import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStatement, parseStatements, ParseError, splitStatements } from '../../src/parser/index.js';
import type { Query, Statement } from '../../src/parser/index.js';
import { col, int, noLoc, stmt, str } from './helpers.js';

function query(text: string): Query {
  const s = stmt(text);
  assert.equal(s.type, 'Query');
  return (s as Extract<Statement, { type: 'Query' }>).query;
}

test('SELECT items: *, src.*, col->*, aliases with and without AS', () => {
  const q = query('SELECT *, s.*, a->*, b AS x, c y, d FROM src s;');
  assert.deepEqual(q.select, [
    { type: 'AllColumns' },
    { type: 'AllColumns', source: 'S' },
    { type: 'StructAll', base: col('A') },
    { type: 'SelectExpr', expr: col('B'), alias: 'X' },
    { type: 'SelectExpr', expr: col('C'), alias: 'Y' },
    { type: 'SelectExpr', expr: col('D') },
  ]);
  assert.deepEqual(q.from, { name: 'SRC', alias: 'S' });
  assert.deepEqual(q.joins, []);
});

test('full query clauses', () => {
  const q = query(
    `SELECT k, COUNT(*) FROM s AS t WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 2 DAYS, GRACE PERIOD 10 SECONDS)
     WHERE a > 1 GROUP BY k HAVING COUNT(*) > 2 EMIT FINAL LIMIT 10`,
  );
  assert.deepEqual(q.window, { kind: 'TUMBLING', sizeMs: 60_000, retentionMs: 172_800_000, graceMs: 10_000 });
  assert.deepEqual(q.where, { type: 'Comparison', op: '>', left: col('A'), right: int('1') });
  assert.deepEqual(q.groupBy, [col('K')]);
  assert.equal(q.having?.type, 'Comparison');
  assert.equal(q.emit, 'FINAL');
  assert.equal(q.limit, 10);
});

test('windows: HOPPING, SESSION, named window, milliseconds', () => {
  assert.deepEqual(query('SELECT * FROM s WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 MILLISECONDS) EMIT CHANGES').window, {
    kind: 'HOPPING',
    sizeMs: 30_000,
    advanceMs: 10,
  });
  assert.deepEqual(query('SELECT * FROM s WINDOW SESSION (5 HOURS, GRACE PERIOD 1 HOUR)').window, {
    kind: 'SESSION',
    gapMs: 18_000_000,
    graceMs: 3_600_000,
  });
  assert.deepEqual(query('SELECT * FROM s WINDOW w TUMBLING (SIZE 1 DAY)').window, { kind: 'TUMBLING', sizeMs: 86_400_000 });
});

test('GROUP BY and PARTITION BY with and without parentheses', () => {
  assert.deepEqual(query('SELECT * FROM s GROUP BY (a, b)').groupBy, [col('A'), col('B')]);
  assert.deepEqual(query('SELECT * FROM s GROUP BY a, b').groupBy, [col('A'), col('B')]);
  assert.deepEqual(query('SELECT * FROM s GROUP BY (a) + 1, b').groupBy, [
    { type: 'Arithmetic', op: '+', left: col('A'), right: int('1') },
    col('B'),
  ]);
  assert.deepEqual(query('SELECT * FROM s PARTITION BY a EMIT CHANGES').partitionBy, [col('A')]);
  assert.deepEqual(query('SELECT * FROM s PARTITION BY (a, b)').partitionBy, [col('A'), col('B')]);
  // PARTITION / EMIT are non-reserved: not taken as aliases before BY / CHANGES
  assert.equal(query('SELECT * FROM s PARTITION BY a').from.alias, undefined);
  assert.equal(query('SELECT * FROM s EMIT CHANGES').from.alias, undefined);
});

test('n-way joins with WITHIN and GRACE PERIOD', () => {
  const q = query(
    `SELECT * FROM a
       JOIN b WITHIN 10 SECONDS ON a.id = b.id
       LEFT OUTER JOIN c ON a.id = c.id
       RIGHT JOIN d WITHIN (1 SECOND, 2 MINUTES) GRACE PERIOD 3 MILLISECONDS ON a.id = d.id
       FULL JOIN e AS ee ON a.id = ee.id
       INNER JOIN f ON a.id = f.id
       LEFT JOIN g ON a.id = g.id`,
  );
  assert.deepEqual(
    q.joins.map((j) => [j.joinType, j.source.name, j.source.alias, j.within]),
    [
      ['INNER', 'B', undefined, { beforeMs: 10_000, afterMs: 10_000 }],
      ['LEFT', 'C', undefined, undefined],
      ['RIGHT', 'D', undefined, { beforeMs: 1000, afterMs: 120_000, graceMs: 3 }],
      ['FULL', 'E', 'EE', undefined],
      ['INNER', 'F', undefined, undefined],
      ['LEFT', 'G', undefined, undefined],
    ],
  );
  assert.deepEqual(q.joins[0]!.on, { type: 'Comparison', op: '=', left: col('ID', 'A'), right: col('ID', 'B') });
});

test('CREATE STREAM / TABLE with columns, constraints and properties', () => {
  assert.deepEqual(
    stmt(
      `CREATE OR REPLACE STREAM IF NOT EXISTS s (id INT KEY, "Name" VARCHAR, h BYTES HEADER('k'), hs ARRAY<STRUCT<key STRING, value BYTES>> HEADERS)
       WITH (kafka_topic='t', value_format='JSON', partitions=3, "wrap"=true, x=-1.5, n=null);`,
    ),
    {
      type: 'CreateSource',
      sourceType: 'STREAM',
      orReplace: true,
      isSource: false,
      ifNotExists: true,
      name: 'S',
      elements: [
        { name: 'ID', type: { kind: 'INTEGER' }, constraint: { kind: 'KEY' } },
        { name: 'Name', type: { kind: 'STRING' } },
        { name: 'H', type: { kind: 'BYTES' }, constraint: { kind: 'HEADER', key: 'k' } },
        {
          name: 'HS',
          type: {
            kind: 'ARRAY',
            element: {
              kind: 'STRUCT',
              fields: [
                { name: 'KEY', type: { kind: 'STRING' } },
                { name: 'VALUE', type: { kind: 'BYTES' } },
              ],
            },
          },
          constraint: { kind: 'HEADERS' },
        },
      ],
      properties: { KAFKA_TOPIC: 't', VALUE_FORMAT: 'JSON', PARTITIONS: 3, WRAP: true, X: -1.5, N: null },
    },
  );
  const t = stmt("CREATE SOURCE TABLE t (k STRING PRIMARY KEY) WITH ('kafka_topic'='t');");
  assert.equal(t.type, 'CreateSource');
  if (t.type === 'CreateSource') {
    assert.equal(t.sourceType, 'TABLE');
    assert.equal(t.isSource, true);
    assert.deepEqual(t.elements[0]!.constraint, { kind: 'PRIMARY_KEY' });
    assert.deepEqual(t.properties, { KAFKA_TOPIC: 't' });
  }
  const bare = stmt("CREATE STREAM s WITH (kafka_topic='t');");
  assert.equal(bare.type === 'CreateSource' && bare.elements.length, 0);
});

test('CREATE ... AS SELECT, INSERT INTO, INSERT VALUES', () => {
  const c = stmt("CREATE TABLE IF NOT EXISTS t WITH (kafka_topic='x') AS SELECT k, COUNT(*) AS n FROM s GROUP BY k;");
  assert.equal(c.type, 'CreateAsSelect');
  if (c.type === 'CreateAsSelect') {
    assert.equal(c.sourceType, 'TABLE');
    assert.equal(c.ifNotExists, true);
    assert.equal(c.orReplace, false);
    assert.deepEqual(c.properties, { KAFKA_TOPIC: 'x' });
    assert.deepEqual(c.query.groupBy, [col('K')]);
  }
  const i = stmt("INSERT INTO t WITH (query_id='q1') SELECT * FROM s;");
  assert.equal(i.type, 'InsertInto');
  if (i.type === 'InsertInto') assert.deepEqual(i.properties, { QUERY_ID: 'q1' });
  assert.deepEqual(stmt("INSERT INTO t (a, `b`) VALUES (1, 'x');"), {
    type: 'InsertValues',
    target: 'T',
    columns: ['A', 'b'],
    values: [int('1'), str('x')],
  });
  assert.deepEqual(stmt('INSERT INTO t VALUES (-1, ARRAY[2]);'), {
    type: 'InsertValues',
    target: 'T',
    values: [int('-1'), { type: 'ArrayCtor', items: [int('2')] }],
  });
  // a column list or SOURCE cannot be combined with AS SELECT
  assert.throws(() => parseStatement('CREATE STREAM s (a INT) AS SELECT * FROM x;'), ParseError);
  assert.throws(() => parseStatement('CREATE SOURCE STREAM s AS SELECT * FROM x;'), ParseError);
});

test('DROP, CREATE TYPE, ALTER', () => {
  assert.deepEqual(stmt('DROP STREAM IF EXISTS s DELETE TOPIC;'), {
    type: 'DropSource',
    sourceType: 'STREAM',
    ifExists: true,
    name: 'S',
    deleteTopic: true,
  });
  assert.deepEqual(stmt('DROP TABLE t;'), { type: 'DropSource', sourceType: 'TABLE', ifExists: false, name: 'T', deleteTopic: false });
  assert.deepEqual(stmt('CREATE TYPE IF NOT EXISTS addr AS STRUCT<street STRING>;'), {
    type: 'CreateType',
    name: 'ADDR',
    ifNotExists: true,
    typeDef: { kind: 'STRUCT', fields: [{ name: 'STREET', type: { kind: 'STRING' } }] },
  });
  assert.deepEqual(stmt('DROP TYPE IF EXISTS addr;'), { type: 'DropType', name: 'ADDR', ifExists: true });
  assert.deepEqual(stmt('ALTER STREAM s ADD COLUMN c INT, ADD d ARRAY<STRING>;'), {
    type: 'AlterSource',
    sourceType: 'STREAM',
    name: 'S',
    addColumns: [
      { name: 'C', type: { kind: 'INTEGER' } },
      { name: 'D', type: { kind: 'ARRAY', element: { kind: 'STRING' } } },
    ],
  });
  assert.deepEqual(stmt("ALTER SYSTEM 'ksql.x'='y';"), { type: 'AlterSystem', name: 'ksql.x', value: 'y' });
});

test('SHOW / LIST variants', () => {
  const show = (s: string) => stmt(s) as Extract<Statement, { type: 'Show' }>;
  assert.deepEqual(show('SHOW STREAMS;'), { type: 'Show', what: 'STREAMS', extended: false, all: false });
  assert.deepEqual(show('LIST TABLES EXTENDED;'), { type: 'Show', what: 'TABLES', extended: true, all: false });
  assert.deepEqual(show('SHOW ALL TOPICS EXTENDED;'), { type: 'Show', what: 'TOPICS', extended: true, all: true });
  assert.deepEqual(show('SHOW SINK CONNECTORS;'), {
    type: 'Show',
    what: 'CONNECTORS',
    extended: false,
    all: false,
    connectorType: 'SINK',
  });
  assert.equal(show('SHOW CONNECTOR PLUGINS;').what, 'CONNECTOR_PLUGINS');
  for (const w of ['QUERIES', 'PROPERTIES', 'FUNCTIONS', 'TYPES', 'VARIABLES', 'CONNECTORS'] as const) {
    assert.equal(show(`show ${w.toLowerCase()}`).what, w);
  }
  assert.equal(show('SHOW QUERIES EXTENDED;').extended, true);
});

test('DESCRIBE variants', () => {
  assert.deepEqual(stmt('DESCRIBE s EXTENDED;'), { type: 'Describe', name: 'S', extended: true });
  assert.deepEqual(stmt('DESCRIBE STREAMS;'), { type: 'DescribeStreams', extended: false });
  assert.deepEqual(stmt('DESCRIBE TABLES EXTENDED;'), { type: 'DescribeTables', extended: true });
  assert.deepEqual(stmt('DESCRIBE `TABLES`;'), { type: 'Describe', name: 'TABLES', extended: false });
  assert.deepEqual(stmt('DESCRIBE FUNCTION substring;'), { type: 'DescribeFunction', name: 'SUBSTRING' });
  assert.deepEqual(stmt('DESCRIBE function;'), { type: 'Describe', name: 'FUNCTION', extended: false });
  assert.deepEqual(stmt('DESCRIBE CONNECTOR c;'), { type: 'DescribeConnector', name: 'C' });
});

test('EXPLAIN, TERMINATE, PAUSE, RESUME', () => {
  assert.deepEqual(stmt('EXPLAIN CSAS_OUT_0;'), { type: 'Explain', queryId: 'CSAS_OUT_0' });
  const e = stmt('EXPLAIN SELECT * FROM s;');
  assert.equal(e.type === 'Explain' && e.statement?.type, 'Query');
  assert.deepEqual(stmt('TERMINATE ALL;'), { type: 'Terminate', all: true });
  assert.deepEqual(stmt('TERMINATE ctas_t_1;'), { type: 'Terminate', all: false, queryId: 'CTAS_T_1' });
  assert.deepEqual(stmt('PAUSE q1;'), { type: 'Pause', all: false, queryId: 'Q1' });
  assert.deepEqual(stmt('RESUME ALL;'), { type: 'Resume', all: true });
});

test('PRINT keeps the topic name case', () => {
  assert.deepEqual(stmt('PRINT myTopic FROM BEGINNING INTERVAL 2 LIMIT 10;'), {
    type: 'Print',
    topic: 'myTopic',
    fromBeginning: true,
    interval: 2,
    limit: 10,
  });
  assert.deepEqual(stmt("PRINT 'my-topic' SAMPLE 3;"), { type: 'Print', topic: 'my-topic', fromBeginning: false, interval: 3 });
});

test('SET, UNSET, DEFINE, UNDEFINE, RUN SCRIPT', () => {
  assert.deepEqual(stmt("SET 'auto.offset.reset'='earliest';"), { type: 'SetProperty', name: 'auto.offset.reset', value: 'earliest' });
  assert.deepEqual(stmt("UNSET 'auto.offset.reset';"), { type: 'UnsetProperty', name: 'auto.offset.reset' });
  assert.deepEqual(stmt("DEFINE myVar = 'it''s';"), { type: 'DefineVariable', name: 'myVar', value: "it's" });
  assert.deepEqual(stmt("DEFINE select = 'x';"), { type: 'DefineVariable', name: 'select', value: 'x' });
  assert.deepEqual(stmt('UNDEFINE myVar;'), { type: 'UndefineVariable', name: 'myVar' });
  assert.throws(() => stmt("RUN SCRIPT '/tmp/x.sql';"), ParseError);
  assert.deepEqual(stmt("RUN SCRIPT '/tmp/x.sql';", true), { type: 'RunScript', path: '/tmp/x.sql' });
});

test('connectors', () => {
  assert.deepEqual(stmt("CREATE SOURCE CONNECTOR IF NOT EXISTS c WITH ('connector.class'='X', tasks=1);"), {
    type: 'CreateConnector',
    connectorType: 'SOURCE',
    name: 'C',
    ifNotExists: true,
    // quoted keys of a connector configuration keep their case (Kafka Connect keys)
    properties: { 'connector.class': 'X', TASKS: 1 },
  });
  assert.deepEqual(stmt('DROP CONNECTOR IF EXISTS `c`;'), { type: 'DropConnector', name: 'c', ifExists: true });
});

test('ASSERT TOPIC / SCHEMA', () => {
  assert.deepEqual(stmt('ASSERT NOT EXISTS TOPIC myTopic WITH (partitions=2) TIMEOUT 3 SECONDS;'), {
    type: 'AssertTopic',
    topic: 'myTopic',
    exists: false,
    properties: { PARTITIONS: 2 },
    timeoutMs: 3000,
  });
  assert.deepEqual(stmt("ASSERT SCHEMA SUBJECT 'sub' ID 4;"), { type: 'AssertSchema', exists: true, subject: 'sub', id: 4 });
  assert.throws(() => stmt('ASSERT SCHEMA TIMEOUT 1 SECOND;'), /subject name or an id/);
});

test('test-runner ASSERT statements only with testStatements', () => {
  assert.throws(() => stmt('ASSERT VALUES s (a) VALUES (1);'), /Syntax error at or near 'VALUES' at line 1:8/);
  assert.deepEqual(stmt('ASSERT VALUES s (a) VALUES (1);', true), { type: 'AssertValues', target: 'S', columns: ['A'], values: [int('1')] });
  assert.deepEqual(stmt('ASSERT NULL VALUES s (k) KEY (1);', true), {
    type: 'AssertTombstone',
    target: 'S',
    columns: ['K'],
    values: [int('1')],
  });
  assert.deepEqual(stmt("ASSERT TABLE t (k INT PRIMARY KEY) WITH (kafka_topic='t');", true), {
    type: 'AssertSource',
    sourceType: 'TABLE',
    name: 'T',
    elements: [{ name: 'K', type: { kind: 'INTEGER' }, constraint: { kind: 'PRIMARY_KEY' } }],
    properties: { KAFKA_TOPIC: 't' },
  });
});

test('scripts: split on ;, own text and loc, last ; optional, comments skipped', () => {
  const script = `-- leading comment
CREATE STREAM s (a INT) WITH (kafka_topic='x;y', value_format='JSON');
  /* block */ SELECT * FROM s
  EMIT CHANGES;;
SHOW STREAMS`;
  const parsed = parseStatements(script);
  assert.equal(parsed.length, 3);
  assert.deepEqual(
    parsed.map((p) => [p.statement.type, p.text, p.loc]),
    [
      ['CreateSource', "CREATE STREAM s (a INT) WITH (kafka_topic='x;y', value_format='JSON');", { line: 2, column: 1 }],
      ['Query', 'SELECT * FROM s\n  EMIT CHANGES;', { line: 3, column: 15 }],
      ['Show', 'SHOW STREAMS;', { line: 5, column: 1 }],
    ],
  );
  assert.deepEqual(parseStatements('  -- nothing here\n'), []);
  assert.throws(() => parseStatement('SHOW STREAMS; SHOW TABLES;'), /exactly one statement/);
});

test('source names must be valid store names', () => {
  assert.throws(() => stmt('SELECT * FROM `a b`;'), /Source names may only contain alphanumeric values, '_' or '-'/);
  assert.equal(noLoc(parseStatement('SELECT * FROM `a-b`;')).type, 'Query');
});

test('integer-only clauses', () => {
  assert.throws(() => stmt('SELECT * FROM s LIMIT 2.5;'), /Value must be integer for command: LIMIT/);
  assert.throws(() => stmt('SELECT * FROM s WINDOW TUMBLING (SIZE 1.5 SECONDS);'), /must be an integer/);
  assert.throws(() => stmt('SELECT 9223372036854775808 FROM s;'), /Invalid numeric literal: 9223372036854775808/);
  assert.equal(stmt('SELECT -9223372036854775808 FROM s;').type, 'Query');
});

test('splitStatements cuts without parsing; many statements parse quickly with one parser', () => {
  const slices = splitStatements("SELECT 'a;b' FROM s; garbage here; SHOW TABLES");
  assert.deepEqual(slices.map((s) => s.text), ["SELECT 'a;b' FROM s;", 'garbage here;', 'SHOW TABLES;']);
  const script = Array.from({ length: 2000 }, (_, i) => `INSERT INTO s (a, b) VALUES (${i}, 'v${i}');`).join('\n');
  const parsed = parseStatements(script);
  assert.equal(parsed.length, 2000);
  assert.deepEqual(parsed[1999]!.loc, { line: 2000, column: 1 });
});
