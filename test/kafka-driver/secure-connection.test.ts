/**
 * The Kafka driver, the server's driver factory and the Kafka-backed schema registry connecting
 * with SASL (PLAIN, SCRAM-SHA-256/512) and TLS (own CA, client certificate) from ksqlDB's
 * property names, and running a query over that connection; wrong credentials fail clearly.
 *
 * They need a broker with such listeners: `npm run test:kafka` starts Apache Kafka with
 * SLUICE_KAFKA_SECURITY=1 and names its description file in SLUICE_TEST_KAFKA_SECURITY. The
 * embedded broker (npm test) has neither SASL nor TLS, so there they are skipped.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { Engine } from '../../src/engine/engine.js';
import { KafkaDriver } from '../../src/runtime/drivers/kafka-driver.js';
import { kafkaClientSecurity } from '../../src/runtime/drivers/kafka/client-security.js';
import { createDriver } from '../../src/server/driver-factory.js';
import { KafkaBackedSchemaRegistry } from '../../src/schema-registry/kafka-backed.js';
import { produceJson, readTopic, tempDir } from './helpers.js';

interface SecureBroker {
  saslPlaintext: string;
  ssl: string;
  saslSsl: string;
  username: string;
  password: string;
  ca: string;
  clientKeystore: string;
  clientCert: string;
  clientKey: string;
}

const descriptionFile = process.env['SLUICE_TEST_KAFKA_SECURITY'];
const secure: SecureBroker | undefined = descriptionFile ? (JSON.parse(fs.readFileSync(descriptionFile, 'utf8')) as SecureBroker) : undefined;
const skip = secure ? false : 'the embedded broker has no SASL or TLS listeners: these run on Apache Kafka under `npm run test:kafka` (SLUICE_TEST_KAFKA_SECURITY)';

const jaas = (module: 'plain.PlainLoginModule' | 'scram.ScramLoginModule', user: string, password: string) =>
  `org.apache.kafka.common.security.${module} required username="${user}" password="${password}";`;

/** A kafkajs client for the test's own reads and writes, with the same settings as the driver. */
function clientFor(broker: string, config: Record<string, unknown>): Kafka {
  return new Kafka({ clientId: 'kd-secure-test', brokers: [broker], ...kafkaClientSecurity(config).client, logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 500 } });
}

/** Runs a filtering CSAS on the driver and checks its output, read over the same connection. */
async function runQuery(driver: KafkaDriver, kafka: Kafka, config: Record<string, unknown>, prefix: string): Promise<void> {
  const engine = new Engine(driver, { config });
  engine.executeScript(`CREATE STREAM ${prefix}_IN (K STRING KEY, V INT) WITH (KAFKA_TOPIC='${prefix}_in', VALUE_FORMAT='JSON', PARTITIONS=2);
CREATE STREAM ${prefix}_OUT WITH (KAFKA_TOPIC='${prefix}_out') AS SELECT K, V * 10 AS X FROM ${prefix}_IN WHERE V > 1;`);
  await driver.settle();
  await produceJson(kafka, [1, 2, 3].map((v) => ({ topic: `${prefix}_in`, key: `k${v}`, value: { V: v }, timestamp: v })));
  const queryId = [...engine.metastore.queries.keys()][0]!;
  await driver.waitForQuery(queryId);
  const out = await readTopic(kafka, `${prefix}_out`);
  assert.deepEqual(out.map((r) => [r.key, r.value]).sort(), [
    ['k2', { X: 20 }],
    ['k3', { X: 30 }],
  ]);
}

for (const mechanism of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
  test(`SASL_PLAINTEXT with ${mechanism}: the driver connects and runs a query`, { skip }, async () => {
    const s = secure!;
    const prefix = `sec_${mechanism.replace(/-/g, '').toLowerCase()}`;
    const config = {
      'auto.offset.reset': 'earliest',
      'security.protocol': 'SASL_PLAINTEXT',
      // the ksql.streams. spelling for one of them, as ksqlDB server files often have it
      'ksql.streams.sasl.mechanism': mechanism,
      'sasl.jaas.config': jaas(mechanism === 'PLAIN' ? 'plain.PlainLoginModule' : 'scram.ScramLoginModule', s.username, s.password),
    };
    const driver = await KafkaDriver.connect({ brokers: [s.saslPlaintext], dataDir: tempDir(), serviceId: `${prefix}_`, config });
    try {
      await runQuery(driver, clientFor(s.saslPlaintext, config), config, prefix);
    } finally {
      await driver.close();
    }
  });
}

test('a wrong SASL password fails at connect with a message naming the cause and what to check', { skip }, async () => {
  const s = secure!;
  for (const mechanism of ['PLAIN', 'SCRAM-SHA-512']) {
    const config = {
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': mechanism,
      'sasl.jaas.config': jaas(mechanism === 'PLAIN' ? 'plain.PlainLoginModule' : 'scram.ScramLoginModule', s.username, 'not-the-password'),
    };
    await assert.rejects(KafkaDriver.connect({ brokers: [s.saslPlaintext], dataDir: tempDir(), serviceId: 'sec_wrong_', config }), (err: Error) => {
      assert.match(err.message, new RegExp(`^Cannot connect to Kafka at ${s.saslPlaintext.replace(/\./g, '\\.')} \\(security\\.protocol SASL_PLAINTEXT, ${mechanism} as alice\\): `));
      assert.match(err.message, /authentication failed/i);
      assert.match(err.message, /check the username and password in sasl\.jaas\.config/);
      assert.ok(!err.message.includes('not-the-password'), 'the password is never in the message');
      return true;
    });
  }
});

test('SSL with our CA and a client certificate (PEM key store): the server driver factory and the schema registry connect', { skip }, async () => {
  const s = secure!;
  const config = {
    'auto.offset.reset': 'earliest',
    'security.protocol': 'SSL',
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': s.ca,
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': s.clientKeystore,
    'ssl.endpoint.identification.algorithm': 'https',
  };
  const handle = await createDriver({ bootstrapServers: s.ssl, dataDir: tempDir(), serviceId: 'sec_ssl_', config });
  try {
    assert.match(handle.description, /SSL, own CA certificates, client certificate/);
    await runQuery(handle.driver as KafkaDriver, clientFor(s.ssl, config), config, 'sec_ssl');
    // the durable schema registry's clients use the same settings
    const registry = await KafkaBackedSchemaRegistry.open({ brokers: handle.brokers!, security: handle.security!, topic: 'sec_ssl_schemas', timeoutMs: 30000 });
    try {
      const id = registry.register('sec-value', { schemaType: 'AVRO', schema: '"string"' });
      await registry.flush();
      assert.equal(typeof id, 'number');
    } finally {
      await registry.close();
    }
  } finally {
    await handle.close();
  }
});

test('SASL_SSL with SCRAM-SHA-512 and librdkafka-style PEM file names', { skip }, async () => {
  const s = secure!;
  const config = {
    'auto.offset.reset': 'earliest',
    'ksql.streams.security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'SCRAM-SHA-512',
    'sasl.jaas.config': jaas('scram.ScramLoginModule', s.username, s.password),
    'ssl.ca.location': s.ca,
  };
  const driver = await KafkaDriver.connect({ brokers: [s.saslSsl], dataDir: tempDir(), serviceId: 'sec_saslssl_', config });
  try {
    await runQuery(driver, clientFor(s.saslSsl, config), config, 'sec_saslssl');
  } finally {
    await driver.close();
  }
});
