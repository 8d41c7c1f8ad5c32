/**
 * Base64 as the JVM reads it. Node's Buffer.from(s, 'base64') silently skips bad characters;
 * ksqlDB rejects them ("Value is not a valid Base64 encoded string"), so validate first.
 */
const ALPHABET = /^[A-Za-z0-9+/]*$/;

/**
 * Decode standard base64. With `requirePadding` (Jackson's default variant) the length must be a
 * multiple of 4 with '=' padding; without it (java.util.Base64 basic decoder) padding may be
 * left out but, if present, must be right. Returns undefined for invalid text.
 */
export function decodeBase64(text: string, requirePadding: boolean): Buffer | undefined {
  let body = text;
  let pad = 0;
  while (pad < 2 && body.endsWith('=')) {
    body = body.slice(0, -1);
    pad++;
  }
  if (!ALPHABET.test(body)) return undefined;
  const rem = body.length % 4;
  if (rem === 1) return undefined;
  if (pad > 0 && (body.length + pad) % 4 !== 0) return undefined;
  if (requirePadding && pad === 0 && rem !== 0) return undefined;
  return Buffer.from(body, 'base64');
}

export function encodeBase64(bytes: Buffer): string {
  return bytes.toString('base64');
}
