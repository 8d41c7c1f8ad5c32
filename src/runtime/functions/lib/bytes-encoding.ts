/**
 * The text encodings ksqlDB's TO_BYTES / FROM_BYTES / ENCODE understand: hex, utf8, ascii, base64.
 */

export type Encoding = 'hex' | 'utf8' | 'ascii' | 'base64';

export function encodingOf(name: string): Encoding {
  const n = name.toLowerCase();
  if (n === 'hex' || n === 'utf8' || n === 'ascii' || n === 'base64') return n;
  throw new Error(`Supported input and output encodings are: hex, utf8, ascii and base64`);
}

/**
 * ENCODE's hex input may be written 0x.. (an odd digit count gets a leading 0) or X'..' / x'..',
 * as ksqlDB's hexStrip accepts.
 */
function stripHex(s: string): string {
  if (s.startsWith('0x')) return s.length % 2 !== 0 ? '0' + s.slice(2) : s.slice(2);
  if (s.length >= 3 && (s[0] === 'X' || s[0] === 'x') && s[1] === "'" && s.endsWith("'")) return s.slice(2, -1);
  return s;
}

/** `hexPrefixes`: accept 0x.. / X'..' (ENCODE does, TO_BYTES does not). */
export function textToBytes(s: string, enc: Encoding, hexPrefixes = false): Buffer {
  switch (enc) {
    case 'hex': {
      const h = hexPrefixes ? stripHex(s) : s;
      if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new Error(`Invalid hex string: ${s}`);
      return Buffer.from(h, 'hex');
    }
    case 'utf8':
      return Buffer.from(s, 'utf8');
    case 'ascii': {
      // Java's US_ASCII encoder replaces unmappable characters with '?'
      const b = Buffer.alloc(s.length);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        b[i] = c < 128 ? c : 0x3f;
      }
      return b;
    }
    case 'base64':
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new Error(`Invalid base64 string: ${s}`);
      return Buffer.from(s, 'base64');
  }
}

export function bytesToText(b: Buffer, enc: Encoding, upperHex = true): string {
  switch (enc) {
    case 'hex': {
      const h = b.toString('hex');
      return upperHex ? h.toUpperCase() : h;
    }
    case 'utf8':
      return b.toString('utf8');
    case 'ascii': {
      // Java decodes bytes >= 0x80 as U+FFFD under US_ASCII
      let s = '';
      for (const c of b) s += c < 128 ? String.fromCharCode(c) : '\ufffd';
      return s;
    }
    case 'base64':
      return b.toString('base64');
  }
}
