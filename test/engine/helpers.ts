/** Shared helpers for engine tests: an engine on the synchronous test driver, JSON in and out. */
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';

export function newEngine(config: Record<string, unknown> = {}): { engine: Engine; driver: TestDriver } {
  const driver = new TestDriver();
  return { engine: new Engine(driver, { config }), driver };
}

export function pipeJson(driver: TestDriver, topic: string, key: string | null, value: unknown, timestamp = 0): void {
  driver.pipe({ topic, key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(JSON.stringify(value)), timestamp });
}

/** Records a query wrote to a topic, key as text and value parsed from JSON. */
export function readJson(driver: TestDriver, topic: string): { key: string | null; value: unknown; timestamp: number }[] {
  return driver
    .records(topic)
    .filter((r) => r.producedBy !== undefined)
    .map((r) => ({ key: r.key === null ? null : r.key.toString('utf8'), value: r.value === null ? null : JSON.parse(r.value.toString('utf8')), timestamp: r.timestamp }));
}
