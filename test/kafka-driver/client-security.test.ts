/** ksqlDB's Kafka client security properties mapped to kafkajs's ssl/sasl options, and the errors for bad settings. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kafkaClientSecurity, parseJaasConfig } from '../../src/runtime/drivers/kafka/client-security.js';

const CERT_A = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
const CERT_B = '-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----';
const KEY = '-----BEGIN PRIVATE KEY-----\nKKKK\n-----END PRIVATE KEY-----';
const ENCRYPTED_KEY = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nEEEE\n-----END ENCRYPTED PRIVATE KEY-----';
/** the start of a Java KeyStore: magic 0xFEEDFEED */
const JKS = Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]);

const files: Record<string, Buffer> = {
  '/ca.pem': Buffer.from(`# our CA\n${CERT_A}\n${CERT_B}\n`),
  '/client.pem': Buffer.from(`${KEY}\n${CERT_A}\n${CERT_B}\n`),
  '/client-enc.pem': Buffer.from(`${ENCRYPTED_KEY}\n${CERT_A}\n`),
  '/client-cert.pem': Buffer.from(CERT_A),
  '/client-key.pem': Buffer.from(KEY),
  '/truststore.jks': JKS,
  '/client.p12': Buffer.from([0x30, 0x82, 1, 2]),
};
const readFile = (p: string): Buffer => {
  const f = files[p];
  if (!f) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
  return f;
};
const sec = (config: Record<string, unknown>) => kafkaClientSecurity(config, { readFile });
const plainJaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cr;et";';

test('no settings: PLAINTEXT, no ssl or sasl for kafkajs', () => {
  const s = sec({});
  assert.equal(s.protocol, 'PLAINTEXT');
  assert.deepEqual(s.client, {});
  assert.equal(sec({ 'security.protocol': 'plaintext' }).protocol, 'PLAINTEXT');
});

test('SASL_PLAINTEXT with PLAIN and SCRAM from sasl.jaas.config, with or without the ksql.streams. prefix', () => {
  assert.deepEqual(sec({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': plainJaas }).client, {
    sasl: { mechanism: 'plain', username: 'alice', password: 's3cr;et' },
  });
  const scram = sec({
    'ksql.streams.security.protocol': 'SASL_PLAINTEXT',
    'ksql.streams.sasl.mechanism': 'scram-sha-512',
    'ksql.streams.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required\n  username=bob\n  password="p \\"q\\"";',
  });
  assert.deepEqual(scram.client, { sasl: { mechanism: 'scram-sha-512', username: 'bob', password: 'p "q"' } });
  assert.equal(scram.description, 'SASL_PLAINTEXT, SCRAM-SHA-512 as bob');
  // the prefixed name wins, as ksqlDB hands ksql.streams.* to Kafka Streams
  assert.equal(sec({ 'ksql.streams.security.protocol': 'SSL', 'security.protocol': 'PLAINTEXT' }).protocol, 'SSL');
  // librdkafka's names
  assert.deepEqual(sec({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-256', 'sasl.username': 'u', 'sasl.password': 'p' }).client, {
    sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' },
  });
});

test('SASL_SSL: sasl and ssl together; PEM truststore and key store, host name check off', () => {
  const s = sec({
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': 'PLAIN',
    'sasl.jaas.config': plainJaas,
    'ssl.truststore.location': '/ca.pem',
    'ssl.truststore.type': 'PEM',
    'ssl.keystore.location': '/client.pem',
    'ssl.keystore.type': 'pem',
    'ssl.endpoint.identification.algorithm': '',
  });
  const ssl = s.client.ssl as import('node:tls').ConnectionOptions;
  assert.deepEqual(ssl.ca, [CERT_A, CERT_B]);
  assert.equal(ssl.key, KEY);
  assert.equal(ssl.cert, `${CERT_A}\n${CERT_B}`);
  assert.equal(ssl.checkServerIdentity?.('anything', {} as never), undefined);
  assert.equal(s.description, 'SASL_SSL, PLAIN as alice, own CA certificates, client certificate, no host name check');
});

test('SSL variants: system CAs, an untyped PEM truststore, inline PEM, librdkafka file names, encrypted keys, PKCS12 key stores', () => {
  assert.equal(sec({ 'security.protocol': 'SSL' }).client.ssl, true);
  assert.equal(sec({ 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': 'HTTPS' }).client.ssl, true);
  // Kafka's default type is JKS, but a PEM file is recognised as such
  assert.deepEqual((sec({ 'security.protocol': 'SSL', 'ssl.truststore.location': '/ca.pem' }).client.ssl as { ca: string[] }).ca, [CERT_A, CERT_B]);
  assert.deepEqual((sec({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': CERT_B }).client.ssl as { ca: string[] }).ca, [CERT_B]);
  const inline = sec({ 'security.protocol': 'SSL', 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': KEY, 'ssl.keystore.certificate.chain': `${CERT_A}\n${CERT_B}` }).client.ssl as { key: string; cert: string };
  assert.equal(inline.key, KEY);
  assert.equal(inline.cert, `${CERT_A}\n${CERT_B}`);
  const rd = sec({ 'security.protocol': 'SSL', 'ssl.ca.location': '/ca.pem', 'ssl.certificate.location': '/client-cert.pem', 'ssl.key.location': '/client-key.pem', 'ssl.key.password': 'kp' }).client.ssl as Record<string, unknown>;
  assert.deepEqual([rd.key, rd.cert, rd.passphrase], [KEY, CERT_A, 'kp']);
  const enc = sec({ 'security.protocol': 'SSL', 'ssl.keystore.location': '/client-enc.pem', 'ssl.key.password': 'kp' }).client.ssl as Record<string, unknown>;
  assert.deepEqual([enc.key, enc.passphrase], [ENCRYPTED_KEY, 'kp']);
  const p12 = sec({ 'security.protocol': 'SSL', 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.location': '/client.p12', 'ssl.keystore.password': 'sp' }).client.ssl as Record<string, unknown>;
  assert.deepEqual([p12.pfx, p12.passphrase], [files['/client.p12'], 'sp']);
});

test('bad settings fail with the property named, and never show a password', () => {
  const fails = (config: Record<string, unknown>, re: RegExp) =>
    assert.throws(
      () => sec(config),
      (e: Error) => {
        assert.match(e.message, re);
        assert.ok(!e.message.includes('s3cr'), e.message);
        return true;
      },
    );
  fails({ 'security.protocol': 'TLS' }, /^Invalid value TLS for configuration security\.protocol: String must be one of: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL$/);
  fails({ 'security.protocol': 'SASL_SSL', 'sasl.jaas.config': plainJaas }, /sasl\.mechanism is not set \(Kafka then uses GSSAPI, Kerberos\), which Sluice does not support: set sasl\.mechanism to PLAIN, SCRAM-SHA-256, SCRAM-SHA-512/);
  fails({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'OAUTHBEARER', 'sasl.jaas.config': plainJaas }, /^Invalid value OAUTHBEARER for configuration sasl\.mechanism: Sluice supports PLAIN, SCRAM-SHA-256, SCRAM-SHA-512$/);
  fails({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN' }, /^security\.protocol SASL_PLAINTEXT with sasl\.mechanism PLAIN needs credentials: set sasl\.jaas\.config to org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule required username="\.\.\." password="\.\.\.";$/);
  fails({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'SCRAM-SHA-256', 'sasl.jaas.config': plainJaas }, /sasl\.jaas\.config uses org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule but sasl\.mechanism SCRAM-SHA-256 needs org\.apache\.kafka\.common\.security\.scram\.ScramLoginModule/);
  fails({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice";' }, /sasl\.jaas\.config must give PlainLoginModule both username="\.\.\." and password="\.\.\."/);
  fails({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required password="s3cr' }, /^Invalid value for configuration sasl\.jaas\.config: the value of option password has no closing quote$/);
  fails({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.username': 'u' }, /sasl\.username and sasl\.password go together/);
  fails({ 'sasl.jaas.config': plainJaas }, /^sasl\.jaas\.config is set but security\.protocol is PLAINTEXT: set security\.protocol to SASL_PLAINTEXT or SASL_SSL/);
  fails({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': plainJaas, 'ssl.truststore.location': '/ca.pem' }, /^ssl\.truststore\.location is set but security\.protocol is SASL_PLAINTEXT: set security\.protocol to SSL or SASL_SSL/);
  // Java key stores: not readable by Node, the message says to use PEM
  fails({ 'security.protocol': 'SSL', 'ssl.truststore.location': '/truststore.jks', 'ssl.truststore.type': 'JKS' }, /^ssl\.truststore\.type JKS: kafkajs \(Node's TLS\) cannot read JKS key stores; convert it to PEM and set ssl\.truststore\.type=PEM/);
  fails({ 'security.protocol': 'SSL', 'ssl.truststore.location': '/truststore.jks' }, /ssl\.truststore\.location \/truststore\.jks is not a PEM file \(JKS is Kafka's default ssl\.truststore\.type\).*convert it to PEM/);
  fails({ 'security.protocol': 'SSL', 'ssl.truststore.location': '/truststore.jks', 'ssl.truststore.type': 'PKCS12' }, /ssl\.truststore\.type PKCS12.*convert it to PEM/);
  fails({ 'security.protocol': 'SSL', 'ssl.keystore.location': '/truststore.jks' }, /ssl\.keystore\.location \/truststore\.jks is not a PEM file.*convert it to PEM/);
  fails({ 'security.protocol': 'SSL', 'ssl.keystore.location': '/ca.pem', 'ssl.keystore.type': 'PEM' }, /ssl\.keystore\.location must hold exactly one PEM private key \(it holds 0\)/);
  fails({ 'security.protocol': 'SSL', 'ssl.truststore.location': '/missing.pem' }, /^Cannot read ssl\.truststore\.location \/missing\.pem: ENOENT/);
  fails({ 'security.protocol': 'SSL', 'ssl.certificate.location': '/client-cert.pem' }, /ssl\.certificate\.location and ssl\.key\.location go together/);
  fails({ 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': 'dns' }, /^Invalid value dns for configuration ssl\.endpoint\.identification\.algorithm: use https or an empty value$/);
});

test('JAAS parsing: control flags, bare and quoted values, one module only', () => {
  assert.deepEqual(parseJaasConfig('x.y.PlainLoginModule optional a=1 b="two words";'), { loginModule: 'x.y.PlainLoginModule', options: { a: '1', b: 'two words' } });
  assert.throws(() => parseJaasConfig('x.Module maybe;'), /expected a control flag/);
  assert.throws(() => parseJaasConfig('x.Module required;  y.Other required;'), /only one login module is supported/);
  assert.throws(() => parseJaasConfig('x.Module required a=1'), /must end with ";"/);
  assert.throws(() => parseJaasConfig(''), /expected a login module class name/);
});
