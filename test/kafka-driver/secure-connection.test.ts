/**
 * The Kafka driver, the server's driver factory and the Kafka-backed schema registry connecting
 * with SASL (PLAIN, SCRAM-SHA-256/512) and TLS (own CA, client certificate) from ksqlDB's
 * property names, and running a query over that connection; wrong credentials fail clearly.
 *
 * They need a broker with such listeners: `npm run test:kafka` starts Apache Kafka with
 * SLUICE_KAFKA_SECURITY=1 and names its description file in SLUICE_TEST_KAFKA_SECURITY. The
 * embedded broker (npm test) has neither SASL nor TLS, so there the SASL ones are skipped and
 * TLS is tested through a TLS-terminating proxy in front of it (the broker advertises the
 * proxy's port), with certificates made by openssl.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { test } from 'node:test';
import { startBroker } from '../../src/broker/index.js';
import { Kafka, logLevel } from 'kafkajs';
import { Engine } from '../../src/engine/engine.js';
import { KafkaDriver } from '../../src/runtime/drivers/kafka-driver.js';
import { kafkaClientSecurity } from '../../src/runtime/drivers/kafka/client-security.js';
import { createDriver } from '../../src/server/driver-factory.js';
import { KafkaBackedSchemaRegistry } from '../../src/schema-registry/kafka-backed.js';
import { SLUICE_BIN } from '../cli/cli-helpers.js';
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

test('SSL without our CA fails at once, saying the broker certificate cannot be verified', { skip }, async () => {
  const s = secure!;
  await assert.rejects(
    KafkaDriver.connect({ brokers: [s.saslSsl], dataDir: tempDir(), serviceId: 'sec_noca_', config: { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas('plain.PlainLoginModule', s.username, s.password) } }),
    /^Error: Cannot connect to Kafka at .* \(security\.protocol SASL_SSL, PLAIN as alice\): the certificate of broker .* cannot be verified \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/,
  );
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

/** A throwaway CA and a server and a client certificate it signs (PEM), or undefined without openssl. */
function makeCertificates(): { dir: string; ca: string; server: { key: string; cert: string }; clientPem: string } | undefined {
  const dir = tempDir('sluice-kd-tls-');
  const f = (n: string) => path.join(dir, n);
  try {
    const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca-key.pem'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=kd-test-ca');
    for (const who of ['server', 'client']) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${who}-key.pem`), '-out', f(`${who}.csr`), '-subj', `/CN=${who}`);
      fs.writeFileSync(f(`${who}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
      ssl('x509', '-req', '-in', f(`${who}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca-key.pem'), '-CAcreateserial', '-out', f(`${who}-cert.pem`), '-days', '1', '-extfile', f(`${who}.ext`));
    }
  } catch {
    return undefined;
  }
  fs.writeFileSync(f('client.pem'), fs.readFileSync(f('client-key.pem'), 'utf8') + fs.readFileSync(f('client-cert.pem'), 'utf8'));
  return { dir, ca: f('ca.pem'), server: { key: fs.readFileSync(f('server-key.pem'), 'utf8'), cert: fs.readFileSync(f('server-cert.pem'), 'utf8') }, clientPem: f('client.pem') };
}

const certs = process.env['SLUICE_TEST_KAFKA'] ? undefined : makeCertificates();
const proxySkip = process.env['SLUICE_TEST_KAFKA'] ? 'on Apache Kafka the SSL listener tests above cover TLS' : certs ? false : 'openssl is not installed';

test('SSL with our CA and a client certificate, on the embedded broker behind a TLS proxy that requires one; without our CA it fails at once', { skip: proxySkip }, async () => {
  const c = certs!;
  // the proxy terminates TLS (and insists on a client certificate from our CA), then forwards to the broker
  let brokerPort = 0;
  const sockets = new Set<net.Socket>();
  const proxy = tls.createServer({ ...c.server, ca: [fs.readFileSync(c.ca, 'utf8')], requestCert: true, rejectUnauthorized: true }, (client) => {
    const upstream = net.connect(brokerPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const proxyPort = (proxy.address() as net.AddressInfo).port;
  const broker = await startBroker({ host: '127.0.0.1', port: 0, dataDir: tempDir('sluice-kd-broker-'), advertisedPort: proxyPort });
  brokerPort = broker.port;
  const config = {
    'auto.offset.reset': 'earliest',
    'security.protocol': 'SSL',
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': c.ca,
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': c.clientPem,
  };
  const address = `127.0.0.1:${proxyPort}`;
  try {
    // without our CA (the system's only) the broker's certificate cannot be verified: a clear error at once
    await assert.rejects(KafkaDriver.connect({ brokers: [address], dataDir: tempDir(), serviceId: 'tlsproxy_noca_', config: { 'security.protocol': 'SSL' } }), (err: Error) => {
      assert.match(err.message, new RegExp(`^Cannot connect to Kafka at ${address} \\(security\\.protocol SSL\\): the certificate of broker ${address} cannot be verified \\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE): `));
      assert.match(err.message, /: check ssl\.truststore\.location \(the CA that signed the broker certificate\) and ssl\.endpoint\.identification\.algorithm$/);
      return true;
    });
    const handle = await createDriver({ bootstrapServers: address, dataDir: tempDir(), serviceId: 'tlsproxy_', config });
    try {
      assert.equal(handle.description, `Kafka at ${address} (SSL, own CA certificates, client certificate)`);
      await runQuery(handle.driver as KafkaDriver, clientFor(address, config), config, 'tlsproxy');
    } finally {
      await handle.close();
    }
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => proxy.close(r));
    await broker.close();
  }
});

test('security settings the embedded broker cannot serve are refused before it starts', async () => {
  await assert.rejects(
    createDriver({ dataDir: tempDir(), serviceId: 'x_', config: { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': jaas('plain.PlainLoginModule', 'a', 'b') } }),
    /^Error: security\.protocol SASL_SSL needs --bootstrap-servers: the embedded broker only speaks PLAINTEXT$/,
  );
  await assert.rejects(createDriver({ bootstrapServers: '127.0.0.1:1', dataDir: tempDir(), serviceId: 'x_', config: { 'security.protocol': 'SASL_PLAINTEXT' } }), /sasl\.mechanism is not set/);
});

test('`sluice server` with a --config-file for SASL_SSL (SCRAM-SHA-256) runs statements and a query over REST', { skip }, async () => {
  const s = secure!;
  const dir = tempDir('sluice-kd-srv-');
  const file = path.join(dir, 'server.properties');
  fs.writeFileSync(
    file,
    [
      '# as a ksqlDB server file would have them',
      'ksql.streams.auto.offset.reset=earliest',
      'security.protocol=SASL_SSL',
      'sasl.mechanism=SCRAM-SHA-256',
      `sasl.jaas.config=${jaas('scram.ScramLoginModule', s.username, s.password)}`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${s.ca}`,
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [SLUICE_BIN, 'server', '--bootstrap-servers', s.saslSsl, '--config-file', file, '--listeners', 'http://127.0.0.1:0', '--schema-registry-listener', '127.0.0.1:0', '--data-dir', path.join(dir, 'data'), '--service-id', 'sec_srv_', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (d) => {
        stderr += String(d);
        const m = /Sluice server listening on (http:\/\/\S+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`server exited: ${stderr}`)));
    });
    const post = async (endpoint: string, body: unknown) => {
      const res = await fetch(url + endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, text: await res.text() };
    };
    const created = await post('/ksql', {
      ksql: "CREATE STREAM SEC_SRV (K STRING KEY, V INT) WITH (KAFKA_TOPIC='sec_srv', VALUE_FORMAT='JSON', PARTITIONS=1); INSERT INTO SEC_SRV (K, V) VALUES ('a', 1); INSERT INTO SEC_SRV (K, V) VALUES ('b', 2);",
    });
    assert.equal(created.status, 200, created.text);
    const q = await post('/query-stream', { sql: 'SELECT K, V FROM SEC_SRV EMIT CHANGES LIMIT 2;', properties: { 'auto.offset.reset': 'earliest' } });
    assert.equal(q.status, 200, q.text);
    const rows = q.text.trim().split('\n').slice(1).map((l) => JSON.parse(l));
    assert.deepEqual(rows.sort(), [['a', 1], ['b', 2]]);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
});

test('`sluice server` with SASL settings but no credentials exits non-zero, naming the property', async () => {
  const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(process.execPath, [SLUICE_BIN, 'server', '--bootstrap-servers', '127.0.0.1:1', '--config', 'security.protocol=SASL_PLAINTEXT', '--config', 'sasl.mechanism=SCRAM-SHA-512', '--listeners', 'http://127.0.0.1:0', '--data-dir', tempDir()], (err, _out, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /Cannot start the query runtime: security\.protocol SASL_PLAINTEXT with sasl\.mechanism SCRAM-SHA-512 needs credentials: set sasl\.jaas\.config to org\.apache\.kafka\.common\.security\.scram\.ScramLoginModule required username="\.\.\." password="\.\.\.";/);
});
