/**
 * Property-based checks: for random input streams (keys, values, out-of-order timestamps), the
 * engine's windowed aggregation and stream-table join equal the same computation done naively here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { newEngine, pipeJson, readJson } from './helpers.js';

const event = fc.record({
  key: fc.constantFrom('a', 'b', 'c'),
  v: fc.integer({ min: -1000, max: 1000 }),
  ts: fc.integer({ min: 0, max: 60_000 }),
});

test('windowed COUNT and SUM: every update equals a naive count/sum of the window so far', () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 60 }), (events) => {
      const { engine, driver } = newEngine();
      engine.executeScript(
        "CREATE STREAM E (K STRING KEY, V INT) WITH (KAFKA_TOPIC='e', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
          'CREATE TABLE W AS SELECT K, COUNT(*) AS N, SUM(V) AS S FROM E WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY K;',
      );
      const naive = new Map<string, { n: number; s: number }>();
      const expected: { key: string; n: number; s: number; start: number }[] = [];
      for (const e of events) {
        pipeJson(driver, 'e', e.key, { V: e.v }, e.ts);
        const start = Math.floor(e.ts / 10_000) * 10_000;
        const id = `${e.key}@${start}`;
        const cur = naive.get(id) ?? { n: 0, s: 0 };
        cur.n += 1;
        cur.s += e.v;
        naive.set(id, cur);
        expected.push({ key: e.key, n: cur.n, s: cur.s, start });
      }
      const got = driver.records('W').map((r) => ({
        key: r.key!.subarray(0, r.key!.length - 8).toString('utf8'),
        start: Number(r.key!.readBigInt64BE(r.key!.length - 8)),
        ...(JSON.parse(r.value!.toString('utf8')) as { N: number; S: number }),
      }));
      assert.deepEqual(
        got.map((g) => ({ key: g.key, n: g.N, s: g.S, start: g.start })),
        expected,
      );
    }),
    { numRuns: 60 },
  );
});

const joinOp = fc.oneof(
  fc.record({ kind: fc.constant('table' as const), key: fc.constantFrom('a', 'b', 'c'), v: fc.option(fc.integer({ min: 0, max: 99 }), { nil: null }) }),
  fc.record({ kind: fc.constant('stream' as const), key: fc.constantFrom('a', 'b', 'c'), v: fc.integer({ min: 0, max: 99 }) }),
);

test('stream-table LEFT JOIN: each stream row meets the table row current at that moment', () => {
  fc.assert(
    fc.property(fc.array(joinOp, { maxLength: 60 }), (ops) => {
      const { engine, driver } = newEngine();
      engine.executeScript(
        "CREATE TABLE T (ID STRING PRIMARY KEY, TV INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
          "CREATE STREAM S (ID STRING KEY, SV INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
          'CREATE STREAM J AS SELECT S.ID AS ID, SV, TV FROM S LEFT JOIN T ON S.ID = T.ID;',
      );
      const table = new Map<string, number>();
      const expected: { key: string; value: { SV: number; TV: number | null } }[] = [];
      ops.forEach((op, i) => {
        if (op.kind === 'table') {
          pipeJson(driver, 't', op.key, op.v === null ? null : { TV: op.v }, i);
          if (op.v === null) table.delete(op.key);
          else table.set(op.key, op.v);
        } else {
          pipeJson(driver, 's', op.key, { SV: op.v }, i);
          expected.push({ key: op.key, value: { SV: op.v, TV: table.get(op.key) ?? null } });
        }
      });
      assert.deepEqual(
        readJson(driver, 'J').map((r) => ({ key: r.key, value: r.value })),
        expected,
      );
    }),
    { numRuns: 60 },
  );
});
