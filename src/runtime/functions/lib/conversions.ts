/**
 * Conversions between bytes, text and numbers: TO_BYTES, FROM_BYTES, ENCODE,
 * INT_FROM_BYTES, BIGINT_FROM_BYTES, DOUBLE_FROM_BYTES.
 */
import type { Registry } from '../registry.js';
import { bytesToText, encodingOf, textToBytes } from './bytes-encoding.js';

const CAT = 'CONVERSIONS';

function byteOrder(name: string): 'BE' | 'LE' {
  const n = name.toUpperCase();
  if (n === 'BIG_ENDIAN') return 'BE';
  if (n === 'LITTLE_ENDIAN') return 'LE';
  throw new Error(`Byte order must be BIG_ENDIAN or LITTLE_ENDIAN. Unknown byte order '${name}'.`);
}

function checkSize(b: Buffer, n: number, what: string): void {
  if (b.length !== n) throw new Error(`Number of bytes must be equal to ${n}, but found ${b.length}`);
  void what;
}

export function registerConversions(reg: Registry): void {
  reg.registerScalar({
    name: 'to_bytes',
    category: 'STRING',
    description: 'Converts a string to bytes using the given encoding (hex, utf8, ascii, base64).',
    overloads: [
      {
        sig: 'STRING, STRING -> BYTES',
        params: ['str', 'encoding'],
        impl: (s: string | null, e: string | null) => (s === null || e === null ? null : textToBytes(s, encodingOf(e))),
      },
    ],
  });
  reg.registerScalar({
    name: 'from_bytes',
    category: 'STRING',
    description: 'Converts bytes to a string using the given encoding (hex, utf8, ascii, base64).',
    overloads: [
      {
        sig: 'BYTES, STRING -> STRING',
        params: ['bytes', 'encoding'],
        impl: (b: Buffer | null, e: string | null) => (b === null || e === null ? null : bytesToText(b, encodingOf(e))),
      },
    ],
  });
  reg.registerScalar({
    name: 'encode',
    category: 'STRING',
    description: 'Re-encodes a string from one encoding to another (hex, utf8, ascii, base64).',
    overloads: [
      {
        sig: 'STRING, STRING, STRING -> STRING',
        params: ['str', 'inputEncoding', 'outputEncoding'],
        impl: (s: string | null, from: string | null, to: string | null) => {
          if (s === null || from === null || to === null) return null;
          return bytesToText(textToBytes(s, encodingOf(from), true), encodingOf(to), false);
        },
      },
    ],
  });

  const fromBytes = (name: string, ret: string, size: number, read: (b: Buffer, le: boolean) => unknown): void =>
    reg.registerScalar({
      name,
      category: CAT,
      description: `Converts ${size} bytes to ${ret}, big-endian unless LITTLE_ENDIAN is given.`,
      overloads: [
        {
          sig: `BYTES -> ${ret}`,
          impl: (b: Buffer | null) => {
            if (b === null) return null;
            checkSize(b, size, ret);
            return read(b, false);
          },
        },
        {
          sig: `BYTES, STRING -> ${ret}`,
          impl: (b: Buffer | null, order: string | null) => {
            if (b === null || order === null) return null;
            checkSize(b, size, ret);
            return read(b, byteOrder(order) === 'LE');
          },
        },
      ],
    });
  fromBytes('int_from_bytes', 'INTEGER', 4, (b, le) => (le ? b.readInt32LE(0) : b.readInt32BE(0)));
  fromBytes('bigint_from_bytes', 'BIGINT', 8, (b, le) => (le ? b.readBigInt64LE(0) : b.readBigInt64BE(0)));
  fromBytes('double_from_bytes', 'DOUBLE', 8, (b, le) => (le ? b.readDoubleLE(0) : b.readDoubleBE(0)));
}
