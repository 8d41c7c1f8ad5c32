/** SHOW PROPERTIES never prints secrets of the server config (Kafka client passwords, JAAS texts, keys). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { Engine } from '../../src/engine/engine.js';
import { TestDriver } from '../../src/runtime/drivers/test-driver.js';
import { startServer } from '../../src/server/index.js';
import { post } from './helpers.js';

test('SHOW PROPERTIES prints secret settings as [hidden], the others as they are', async () => {
  const config = {
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'PLAIN',
    'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cret";',
    'ksql.streams.ssl.key.password': 'kp-s3cret',
    'ssl.truststore.password': 'tp-s3cret',
    'ksql.schema.registry.basic.auth.user.info': 'u:s3cret',
  };
  const driver = new TestDriver();
  const server = await startServer({ engine: new Engine(driver, { config }), driver, listeners: 'http://127.0.0.1:0', logger: pino({ level: 'silent' }) });
  try {
    const res = await post(`${server.url}/ksql`, { ksql: 'SHOW PROPERTIES;' });
    assert.equal(res.status, 200);
    assert.ok(!res.text.includes('s3cret'), res.text);
    const props = new Map<string, string>((res.json()[0].properties as { name: string; value: string }[]).map((p) => [p.name, p.value]));
    assert.equal(props.get('sasl.jaas.config'), '[hidden]');
    assert.equal(props.get('ksql.streams.ssl.key.password'), '[hidden]');
    assert.equal(props.get('ssl.truststore.password'), '[hidden]');
    assert.equal(props.get('ksql.schema.registry.basic.auth.user.info'), '[hidden]');
    assert.equal(props.get('security.protocol'), 'SASL_SSL');
    assert.equal(props.get('sasl.mechanism'), 'PLAIN');
  } finally {
    await server.close();
  }
});
