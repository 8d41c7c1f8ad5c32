/**
 * The foreign-key join's three parts (src/runtime/operators/fk-join.ts) run as several tasks
 * whose subscription and response messages are delivered in every order a cluster could deliver
 * them (each partition first in, first out; partitions at arbitrary relative speeds), without a
 * broker: the final table must always be the single-task test driver's. One case delivers a
 * stale answer last on purpose, which only the left-row hash check rejects.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import type { QueryPlan } from '../../src/planner/plan.js';
import type { CompileContext } from '../../src/runtime/expr/compile.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { partitionFor } from '../../src/runtime/partitioner.js';
import { MemoryProcessingLog } from '../../src/runtime/processing-log.js';
import type { ConsumedRecord, ProducedRecord } from '../../src/runtime/row.js';
import { MemoryStoreProvider } from '../../src/runtime/state/memory-provider.js';
import { buildTopology, type Topology } from '../../src/runtime/topology.js';
import type { FkResponse, FkSubscription } from '../../src/runtime/operators/fk-join-messages.js';
import { rng } from '../seeded-random.js';

/** a test driver that keeps the plans and compile context it was given */
class CapturingDriver extends TestDriver {
  started: { plan: QueryPlan; compile: CompileContext }[] = [];
  override startQuery(plan: QueryPlan, compile: CompileContext): void {
    this.started.push({ plan, compile });
    super.startQuery(plan, compile);
  }
}

const script = (join: 'JOIN' | 'LEFT JOIN') =>
  "CREATE TABLE O (ID STRING PRIMARY KEY, CID STRING, QTY INT) WITH (KAFKA_TOPIC='o', VALUE_FORMAT='JSON', PARTITIONS=3);\n" +
  "CREATE TABLE C (CID STRING PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='c', VALUE_FORMAT='JSON', PARTITIONS=2);\n" +
  `CREATE TABLE J WITH (KAFKA_TOPIC='j') AS SELECT O.ID, O.CID, QTY, NAME FROM O ${join} C ON O.CID = C.CID;`;

interface In {
  topic: 'o' | 'c';
  key: string;
  value: Record<string, unknown> | null;
}

const TASKS = 3;
const RIGHT_PARTITIONS = 2;
/** a right key (or a foreign key referring to it) lives in the right table's partition */
const rightOwner = (k: string) => partitionFor(Buffer.from(k), RIGHT_PARTITIONS, () => 0);
const leftOwner = (k: string) => partitionFor(Buffer.from(k), TASKS, () => 0);

/** what the single-task test driver's sink holds at the end: last value per key, tombstones dropped */
function finalTable(records: { key: Buffer | null; value: Buffer | null }[]): Map<string, string> {
  const last = new Map<string, string | null>();
  for (const r of records) last.set(r.key!.toString(), r.value === null ? null : r.value.toString());
  return new Map([...last].filter((e): e is [string, string] => e[1] !== null));
}

function reference(join: 'JOIN' | 'LEFT JOIN', input: In[]): { plan: QueryPlan; compile: CompileContext; table: Map<string, string> } {
  const driver = new CapturingDriver();
  new Engine(driver, { config: {} }).executeScript(script(join));
  input.forEach((r, i) => driver.pipe({ topic: r.topic, key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(JSON.stringify(r.value)), timestamp: 1000 + i }));
  const { plan, compile } = driver.started[0]!;
  return { plan, compile, table: finalTable(driver.records('j').filter((r) => r.producedBy !== undefined)) };
}

type Item = { kind: 'record'; rec: ConsumedRecord } | { kind: 'sub'; stepId: string; msg: FkSubscription } | { kind: 'resp'; stepId: string; msg: FkResponse };

/**
 * Runs the plan as TASKS tasks. Every partition (input topic-partitions, registration and
 * response partitions) is a FIFO queue; `pick` chooses which non-empty queue advances next.
 */
function distributed(plan: QueryPlan, compile: CompileContext, input: In[], pick: (names: string[]) => string): Map<string, string> {
  const queues = new Map<string, Item[]>();
  const push = (q: string, item: Item) => {
    if (!queues.has(q)) queues.set(q, []);
    queues.get(q)!.push(item);
  };
  const out: ProducedRecord[] = [];
  const tasks: Topology[] = [];
  for (let t = 0; t < TASKS; t++) {
    tasks.push(
      buildTopology(plan, { queryId: plan.queryId, compile, log: new MemoryProcessingLog(), emit: (rec) => out.push(rec), stores: new MemoryStoreProvider() }, undefined, {
        repartition: () => assert.fail('an FK join re-keys nothing'),
        fkJoin: {
          task: t,
          subscribe: (stepId, msg) => push(`sub-${rightOwner(msg.fk as string)}`, { kind: 'sub', stepId, msg }),
          respond: (stepId, msg) => push(`resp-${msg.replyTo}`, { kind: 'resp', stepId, msg }),
        },
      }),
    );
  }
  const offsets = new Map<string, number>();
  input.forEach((r, i) => {
    const p = r.topic === 'o' ? leftOwner(r.key) : rightOwner(r.key);
    const q = `${r.topic}-${p}`;
    const offset = offsets.get(q) ?? 0;
    offsets.set(q, offset + 1);
    push(q, { kind: 'record', rec: { topic: r.topic, partition: p, offset, key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(JSON.stringify(r.value)), timestamp: 1000 + i, headers: [] } });
  });
  for (;;) {
    const names = [...queues].filter(([, q]) => q.length > 0).map(([n]) => n);
    if (names.length === 0) break;
    const name = pick(names.sort());
    const task = tasks[Number(name.slice(name.indexOf('-') + 1))]!;
    const item = queues.get(name)!.shift()!;
    if (item.kind === 'record') task.process(item.rec);
    else if (item.kind === 'sub') task.processSubscription(item.stepId, item.msg);
    else task.processResponse(item.stepId, item.msg);
  }
  return finalTable(out);
}


function randomInput(r: () => number, n: number): In[] {
  const out: In[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    if (x < 0.3) out.push({ topic: 'c', key: `c${Math.floor(r() * 5)}`, value: r() < 0.2 ? null : { NAME: `n${i}` } });
    else if (x < 0.4) out.push({ topic: 'o', key: `o${Math.floor(r() * 6)}`, value: null });
    else out.push({ topic: 'o', key: `o${Math.floor(r() * 6)}`, value: { CID: r() < 0.1 ? null : `c${Math.floor(r() * 6)}`, QTY: i } });
  }
  return out;
}

for (const join of ['JOIN', 'LEFT JOIN'] as const) {
  test(`FK ${join} as ${TASKS} tasks ends with the test driver's table, whatever order the partitions advance in`, () => {
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed);
      const input = randomInput(r, 40);
      const ref = reference(join, input);
      const actual = distributed(ref.plan, ref.compile, input, (names) => names[Math.floor(r() * names.length)]!);
      assert.deepEqual(actual, ref.table, `seed ${seed}`);
    }
  });
}

test('an answer about a left row whose foreign key changed since is dropped, even when it arrives last', () => {
  // the row o1 moves from fkA to fkB, in different tasks; fkB's task answers first, then fkA's
  // stale answer (about the old row) arrives: it must not overwrite the result
  const keys = Array.from({ length: 20 }, (_x, i) => `c${i}`);
  const fkA = keys.find((k) => rightOwner(k) === 0)!;
  const fkB = keys.find((k) => rightOwner(k) === 1)!;
  const input: In[] = [
    { topic: 'c', key: fkA, value: { NAME: 'a' } },
    { topic: 'c', key: fkB, value: { NAME: 'b' } },
    { topic: 'o', key: 'o1', value: { CID: fkA, QTY: 1 } },
    { topic: 'o', key: 'o1', value: { CID: fkB, QTY: 2 } },
  ];
  for (const join of ['JOIN', 'LEFT JOIN'] as const) {
    const ref = reference(join, input);
    assert.equal(ref.table.get('o1'), JSON.stringify({ O_CID: fkB, QTY: 2, NAME: 'b' }));
    // inputs first, then fkB's task, then fkA's task, then the answers
    const order = ['c-', 'o-', `sub-1`, `sub-0`, 'resp-'];
    const actual = distributed(ref.plan, ref.compile, input, (names) => order.map((o) => names.find((n) => n.startsWith(o))).find((n) => n !== undefined)!);
    assert.deepEqual(actual, ref.table, join);
  }
});
