import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';

function engineWith(topic: string): { engine: Engine; driver: TestDriver } {
  const driver = new TestDriver();
  driver.createTopic(topic, 1, 1);
  return { engine: new Engine(driver, { config: {} }), driver };
}

const outputValues = (driver: TestDriver, topic: string) => driver.records(topic).filter((r) => r.producedBy !== undefined).map((r) => (r.value === null ? null : r.value.toString('utf8')));

describe('planning aggregates', () => {
  it('refuses aggregates without undo over a table, naming them as ksqlDB does', () => {
    const { engine } = engineWith('t');
    engine.executeScript("CREATE TABLE T (ID INT PRIMARY KEY, G INT, V INT) WITH (kafka_topic='t', value_format='JSON');");
    assert.throws(
      () => engine.executeScript('CREATE TABLE O AS SELECT G, LATEST_BY_OFFSET(V), MIN(V), MAX(V), SUM(V) FROM T GROUP BY G;'),
      /The aggregation functions LATEST_BY_OFFSET, MIN and MAX cannot be applied to a table source, only to a stream source./,
    );
    engine.executeScript('CREATE TABLE O AS SELECT G, SUM(V), COLLECT_LIST(V), HISTOGRAM(CAST(V AS STRING)) FROM T GROUP BY G;');
  });

  it('refuses intermediate types the input format cannot hold', () => {
    const { engine } = engineWith('s');
    engine.executeScript("CREATE STREAM S (ID INT KEY, V INT) WITH (kafka_topic='s', value_format='DELIMITED');");
    assert.throws(() => engine.executeScript('CREATE TABLE O AS SELECT ID, AVG(V) FROM S GROUP BY ID;'), /intermediate type that the value format can not handle/);
    engine.executeScript('CREATE TABLE O AS SELECT ID, SUM(V) FROM S GROUP BY ID;');
  });

  it('names the expression given where a literal is required', () => {
    const { engine } = engineWith('s');
    engine.executeScript("CREATE STREAM S (ID INT KEY, V INT) WITH (kafka_topic='s', value_format='JSON');");
    assert.throws(() => engine.executeScript('CREATE TABLE O AS SELECT ID, TOPK(V, V) FROM S GROUP BY ID;'), /Parameter 2 passed to function TOPK must be a literal constant, but was expression: 'V'/);
  });

  it('HAVING over an aggregate emits a tombstone when a group stops matching, nothing when it never matched', () => {
    const { engine, driver } = engineWith('s');
    engine.executeScript("CREATE STREAM S (ID INT KEY, V INT) WITH (kafka_topic='s', value_format='JSON');");
    engine.executeScript('CREATE TABLE O AS SELECT ID, SUM(V) AS T FROM S GROUP BY ID HAVING SUM(V) > 10;');
    const key = Buffer.alloc(4);
    key.writeInt32BE(1);
    for (const v of [5, 20, -30]) driver.pipe({ topic: 's', key, value: Buffer.from(JSON.stringify({ V: v })), timestamp: 0 });
    assert.deepEqual(outputValues(driver, 'O'), ['{"T":25}', null]);
  });
});
