/**
 * One TLS handshake with the first bootstrap broker before kafkajs connects. kafkajs treats a
 * certificate the client cannot verify as a connection error and retries it for about a minute;
 * the handshake tells at once, so a wrong or missing CA (or a host name the certificate does not
 * name) fails at startup straight away. Anything else (the broker not up yet, a refused
 * connection, a timeout) is left to kafkajs's retries.
 */
import tls from 'node:tls';

/** OpenSSL's verification failures, as Node names them: these never get better by retrying. */
const VERIFY_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export class TlsVerificationError extends Error {
  override name = 'TlsVerificationError';
}

/** Resolves when the handshake works or fails for another reason; rejects on a certificate the client cannot verify. */
export function probeTls(broker: string, options: tls.ConnectionOptions, timeoutMs = 10_000): Promise<void> {
  const i = broker.lastIndexOf(':');
  const host = broker.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(broker.slice(i + 1));
  if (!host || !Number.isInteger(port)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    // the same server name kafkajs sends (SNI only for host names, as Node allows)
    const socket = tls.connect({ ...options, host, port, ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => done(), timeoutMs);
    const done = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.once('secureConnect', () => done());
    socket.once('error', (err: Error & { code?: string }) => {
      if (err.code && VERIFY_ERRORS.has(err.code)) done(new TlsVerificationError(`the certificate of broker ${broker} cannot be verified (${err.code}: ${err.message})`));
      else done();
    });
  });
}
