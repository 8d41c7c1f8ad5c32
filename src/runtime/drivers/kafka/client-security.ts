/**
 * The Kafka client security settings, read once from the properties ksqlDB users already write
 * (plain or with the `ksql.streams.` prefix) and mapped to kafkajs's `ssl` / `sasl` options, so
 * every kafkajs client Sluice creates (the driver's, the schema registry's) connects the same way:
 *
 *   security.protocol                     PLAINTEXT (default) | SSL | SASL_PLAINTEXT | SASL_SSL
 *   sasl.mechanism                        PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512
 *   sasl.jaas.config                      PlainLoginModule / ScramLoginModule with username and password
 *   ssl.truststore.location / .type       PEM CA certificates (ssl.truststore.certificates: inline PEM)
 *   ssl.keystore.location / .type         PEM private key + certificate chain (client authentication),
 *                                         or PKCS12 with ssl.keystore.password;
 *                                         ssl.keystore.key / ssl.keystore.certificate.chain: inline PEM
 *   ssl.key.password                      passphrase of an encrypted private key
 *   ssl.endpoint.identification.algorithm https (default: check the broker's host name) or empty (do not)
 * and librdkafka's spellings: sasl.username, sasl.password, ssl.ca.location,
 * ssl.certificate.location, ssl.key.location.
 *
 * Java KeyStores (JKS) cannot be read by Node's TLS: they are refused with a message saying to use
 * PEM. Settings that cannot work together (SASL without credentials, credentials without a SASL
 * protocol, an unknown protocol or mechanism) fail here, naming the property. Error messages
 * never contain a password or a JAAS text.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface KafkaClientSecurity {
  protocol: SecurityProtocol;
  /** spread into kafkajs's KafkaConfig */
  client: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  /** for logs, without secrets: e.g. `SASL_SSL, SCRAM-SHA-512 as alice` */
  description: string;
}

const PROTOCOLS: SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const MECHANISMS: SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
const LOGIN_MODULE: Record<SaslMechanism, string> = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

/**
 * Whether a property holds a secret (a password, a JAAS text with one, a private key), so that
 * SHOW PROPERTIES prints it as Kafka prints its password-typed settings: `[hidden]`.
 */
export function isSecretProperty(name: string): boolean {
  const n = name.toLowerCase();
  return n.endsWith('password') || n.endsWith('sasl.jaas.config') || n.endsWith('ssl.keystore.key') || n.endsWith('basic.auth.user.info');
}

export class KafkaSecurityConfigError extends Error {
  override name = 'KafkaSecurityConfigError';
}

/** A property's value, the `ksql.streams.`-prefixed name first (as ksqlDB passes it to Kafka Streams). */
function property(config: Record<string, unknown>, name: string): string | undefined {
  for (const n of [`ksql.streams.${name}`, name]) {
    const v = config[n];
    if (v !== undefined && v !== null) return String(v);
  }
  return undefined;
}

export interface JaasLogin {
  loginModule: string;
  options: Record<string, string>;
}

/**
 * Parses a JAAS configuration entry as Kafka accepts it in sasl.jaas.config: one login module,
 * a control flag, `name=value` options (values quoted or bare), ending with `;`.
 */
export function parseJaasConfig(text: string): JaasLogin {
  const s = text.trim();
  let i = 0;
  const fail = (why: string): never => {
    throw new KafkaSecurityConfigError(`Invalid value for configuration sasl.jaas.config: ${why}`);
  };
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const word = (): string => {
    const start = i;
    while (i < s.length && /[^\s=;"]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  skipSpace();
  const loginModule = word();
  if (!loginModule) fail('expected a login module class name');
  skipSpace();
  const flag = word().toLowerCase();
  if (!['required', 'requisite', 'sufficient', 'optional'].includes(flag)) fail(`expected a control flag (required, requisite, sufficient or optional) after ${loginModule}`);
  const options: Record<string, string> = {};
  for (;;) {
    skipSpace();
    if (i >= s.length) fail('the login module entry must end with ";"');
    if (s[i] === ';') {
      i++;
      break;
    }
    const name = word();
    if (!name) fail(`unexpected character '${s[i]}' in the options of ${loginModule}`);
    skipSpace();
    if (s[i] !== '=') fail(`option ${name} has no value`);
    i++;
    skipSpace();
    let value: string;
    if (s[i] === '"') {
      i++;
      let v = '';
      while (i < s.length && s[i] !== '"') {
        // JAAS allows a backslash to escape a quote or a backslash inside a quoted value
        if (s[i] === '\\' && i + 1 < s.length) i++;
        v += s[i++];
      }
      if (i >= s.length) fail(`the value of option ${name} has no closing quote`);
      i++;
      value = v;
    } else {
      value = word();
      if (!value) fail(`option ${name} has no value`);
    }
    options[name] = value;
  }
  skipSpace();
  if (i < s.length) fail('only one login module is supported');
  return { loginModule, options };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemBlocks(text: string): { label: string; pem: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, pem: m[0] }));
}

function pemAdvice(prop: string, storeType: string): string {
  return (
    `${prop}: kafkajs (Node's TLS) cannot read ${storeType} key stores; convert it to PEM and set ` +
    `ssl.truststore.type=PEM / ssl.keystore.type=PEM (e.g. keytool -exportcert -rfc for CA certificates, ` +
    `or openssl pkcs12 -nodes for a key and its certificate chain)`
  );
}

export interface SecurityOptions {
  /** reads a file named by a property (tests replace it) */
  readFile?: (path: string) => Buffer;
}

export function kafkaClientSecurity(config: Record<string, unknown>, opts: SecurityOptions = {}): KafkaClientSecurity {
  const read = (prop: string, path: string): Buffer => {
    try {
      return (opts.readFile ?? readFileSync)(path);
    } catch (err) {
      throw new KafkaSecurityConfigError(`Cannot read ${prop} ${path}: ${(err as Error).message}`);
    }
  };
  const get = (name: string) => {
    const v = property(config, name);
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const rawProtocol = (get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!(PROTOCOLS as string[]).includes(rawProtocol)) {
    throw new KafkaSecurityConfigError(`Invalid value ${rawProtocol} for configuration security.protocol: String must be one of: ${PROTOCOLS.join(', ')}`);
  }
  const protocol = rawProtocol as SecurityProtocol;
  const usesSasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  const usesTls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const client: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  const parts: string[] = [protocol];

  // --- SASL
  const jaasText = property(config, 'sasl.jaas.config');
  const rdUser = get('sasl.username');
  const rdPassword = property(config, 'sasl.password');
  if (!usesSasl) {
    const given = jaasText !== undefined ? 'sasl.jaas.config' : rdUser !== undefined ? 'sasl.username' : undefined;
    if (given) throw new KafkaSecurityConfigError(`${given} is set but security.protocol is ${protocol}: set security.protocol to SASL_PLAINTEXT or SASL_SSL to authenticate with SASL`);
  } else {
    const rawMechanism = (get('sasl.mechanism') ?? 'GSSAPI').toUpperCase();
    if (rawMechanism === 'GSSAPI') {
      throw new KafkaSecurityConfigError(
        `sasl.mechanism ${get('sasl.mechanism') === undefined ? 'is not set (Kafka then uses GSSAPI, Kerberos)' : 'GSSAPI (Kerberos)'}, which Sluice does not support: set sasl.mechanism to ${MECHANISMS.join(', ')}`,
      );
    }
    if (!(MECHANISMS as string[]).includes(rawMechanism)) {
      throw new KafkaSecurityConfigError(`Invalid value ${rawMechanism} for configuration sasl.mechanism: Sluice supports ${MECHANISMS.join(', ')}`);
    }
    const mechanism = rawMechanism as SaslMechanism;
    let username: string | undefined;
    let password: string | undefined;
    if (jaasText !== undefined && jaasText.trim() !== '') {
      const jaas = parseJaasConfig(jaasText);
      const want = LOGIN_MODULE[mechanism];
      const simple = (c: string) => c.slice(c.lastIndexOf('.') + 1);
      // shaded copies of Kafka's classes (e.g. kafkashaded.org.apache...) name the same module
      if (simple(jaas.loginModule) !== simple(want)) {
        throw new KafkaSecurityConfigError(`sasl.jaas.config uses ${jaas.loginModule} but sasl.mechanism ${mechanism} needs ${want}`);
      }
      username = jaas.options['username'];
      password = jaas.options['password'];
      if (username === undefined || password === undefined) {
        throw new KafkaSecurityConfigError(`sasl.jaas.config must give ${simple(want)} both username="..." and password="..."`);
      }
    } else if (rdUser !== undefined || rdPassword !== undefined) {
      username = rdUser;
      password = rdPassword;
      if (username === undefined || password === undefined) throw new KafkaSecurityConfigError('sasl.username and sasl.password go together');
    } else {
      throw new KafkaSecurityConfigError(
        `security.protocol ${protocol} with sasl.mechanism ${mechanism} needs credentials: set sasl.jaas.config to ` +
          `${LOGIN_MODULE[mechanism]} required username="..." password="...";`,
      );
    }
    const m = mechanism.toLowerCase() as 'plain' | 'scram-sha-256' | 'scram-sha-512';
    client.sasl = { mechanism: m, username, password } as SASLOptions;
    parts.push(`${mechanism} as ${username}`);
  }

  // --- TLS
  const truststore = get('ssl.truststore.location');
  const truststoreInline = get('ssl.truststore.certificates');
  const caLocation = get('ssl.ca.location');
  const keystore = get('ssl.keystore.location');
  const keystoreKey = get('ssl.keystore.key');
  const keystoreChain = get('ssl.keystore.certificate.chain');
  const certLocation = get('ssl.certificate.location');
  const keyLocation = get('ssl.key.location');
  const tlsFiles = Object.entries({
    'ssl.truststore.location': truststore,
    'ssl.truststore.certificates': truststoreInline,
    'ssl.ca.location': caLocation,
    'ssl.keystore.location': keystore,
    'ssl.keystore.key': keystoreKey,
    'ssl.certificate.location': certLocation,
    'ssl.key.location': keyLocation,
  }).filter(([, v]) => v !== undefined);
  if (!usesTls) {
    if (tlsFiles.length > 0) throw new KafkaSecurityConfigError(`${tlsFiles[0]![0]} is set but security.protocol is ${protocol}: set security.protocol to SSL or SASL_SSL to connect with TLS`);
    return { protocol, client, description: parts.join(', ') };
  }
  const tls: ConnectionOptions = {};
  // trusted CA certificates (without any: the system's)
  const ca: string[] = [];
  if (truststore !== undefined) {
    const type = get('ssl.truststore.type')?.toUpperCase();
    if (type !== undefined && type !== 'PEM') throw new KafkaSecurityConfigError(pemAdvice(`ssl.truststore.type ${type}`, type));
    const text = read('ssl.truststore.location', truststore).toString('latin1');
    const certs = pemBlocks(text).filter((b) => b.label === 'CERTIFICATE');
    if (certs.length === 0) {
      // Kafka's default truststore type is JKS: a file without PEM certificates is most likely one
      throw new KafkaSecurityConfigError(
        type === 'PEM' ? `ssl.truststore.location ${truststore} holds no PEM certificate (-----BEGIN CERTIFICATE-----)` : pemAdvice(`ssl.truststore.location ${truststore} is not a PEM file (JKS is Kafka's default ssl.truststore.type)`, 'JKS or PKCS12'),
      );
    }
    ca.push(...certs.map((c) => c.pem));
  }
  if (truststoreInline !== undefined) {
    const certs = pemBlocks(truststoreInline).filter((b) => b.label === 'CERTIFICATE');
    if (certs.length === 0) throw new KafkaSecurityConfigError('ssl.truststore.certificates holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
    ca.push(...certs.map((c) => c.pem));
  }
  if (caLocation !== undefined) {
    const certs = pemBlocks(read('ssl.ca.location', caLocation).toString('latin1')).filter((b) => b.label === 'CERTIFICATE');
    if (certs.length === 0) throw new KafkaSecurityConfigError(`ssl.ca.location ${caLocation} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    ca.push(...certs.map((c) => c.pem));
  }
  if (ca.length > 0) tls.ca = ca;

  // the client's own key and certificate chain (brokers with ssl.client.auth=required)
  let key: string | undefined;
  let cert: string | undefined;
  const keyPassword = property(config, 'ssl.key.password');
  const splitKeyAndChain = (prop: string, text: string) => {
    const blocks = pemBlocks(text);
    const keys = blocks.filter((b) => /PRIVATE KEY$/.test(b.label));
    const certs = blocks.filter((b) => b.label === 'CERTIFICATE');
    if (keys.length !== 1) throw new KafkaSecurityConfigError(`${prop} must hold exactly one PEM private key (it holds ${keys.length})`);
    if (certs.length === 0) throw new KafkaSecurityConfigError(`${prop} holds no PEM certificate for its private key`);
    return { key: keys[0]!.pem, cert: certs.map((c) => c.pem).join('\n') };
  };
  if (keystore !== undefined) {
    const type = get('ssl.keystore.type')?.toUpperCase();
    const data = read('ssl.keystore.location', keystore);
    if (type === 'PKCS12') {
      // Node reads PKCS12 bundles itself
      tls.pfx = data;
      const pw = property(config, 'ssl.keystore.password');
      if (pw !== undefined) tls.passphrase = pw;
    } else if (type !== undefined && type !== 'PEM') {
      throw new KafkaSecurityConfigError(pemAdvice(`ssl.keystore.type ${type}`, type));
    } else {
      const text = data.toString('latin1');
      if (pemBlocks(text).length === 0) {
        throw new KafkaSecurityConfigError(pemAdvice(`ssl.keystore.location ${keystore} is not a PEM file (JKS is Kafka's default ssl.keystore.type)`, 'JKS'));
      }
      ({ key, cert } = splitKeyAndChain('ssl.keystore.location', text));
    }
  }
  if (keystoreKey !== undefined || keystoreChain !== undefined) {
    if (keystoreKey === undefined || keystoreChain === undefined) throw new KafkaSecurityConfigError('ssl.keystore.key and ssl.keystore.certificate.chain go together');
    ({ key } = splitKeyAndChain('ssl.keystore.key', `${keystoreKey}\n${keystoreChain}`));
    cert = pemBlocks(keystoreChain).filter((b) => b.label === 'CERTIFICATE').map((b) => b.pem).join('\n');
  }
  if (certLocation !== undefined || keyLocation !== undefined) {
    if (certLocation === undefined || keyLocation === undefined) throw new KafkaSecurityConfigError('ssl.certificate.location and ssl.key.location go together');
    ({ key } = splitKeyAndChain('ssl.key.location', `${read('ssl.key.location', keyLocation).toString('latin1')}\n${read('ssl.certificate.location', certLocation).toString('latin1')}`));
    cert = pemBlocks(read('ssl.certificate.location', certLocation).toString('latin1')).filter((b) => b.label === 'CERTIFICATE').map((b) => b.pem).join('\n');
    if (!cert) throw new KafkaSecurityConfigError(`ssl.certificate.location ${certLocation} holds no PEM certificate`);
  }
  if (key !== undefined && cert !== undefined) {
    tls.key = key;
    tls.cert = cert;
    if (keyPassword !== undefined) tls.passphrase = keyPassword;
  }

  const algorithm = property(config, 'ssl.endpoint.identification.algorithm');
  if (algorithm !== undefined) {
    const a = algorithm.trim().toLowerCase();
    // empty: the certificate must still be signed by a trusted CA, but its names are not checked
    if (a === '') tls.checkServerIdentity = () => undefined;
    else if (a !== 'https') throw new KafkaSecurityConfigError(`Invalid value ${algorithm} for configuration ssl.endpoint.identification.algorithm: use https or an empty value`);
  }
  client.ssl = Object.keys(tls).length > 0 ? tls : true;
  if (ca.length > 0) parts.push('own CA certificates');
  if (tls.cert !== undefined || tls.pfx !== undefined) parts.push('client certificate');
  if (tls.checkServerIdentity) parts.push('no host name check');
  return { protocol, client, description: parts.join(', ') };
}
