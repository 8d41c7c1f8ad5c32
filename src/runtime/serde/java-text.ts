/**
 * Text forms of numbers exactly as the JVM writes and reads them. ksqlDB's serdes are built on
 * Java's Double.toString, BigDecimal.toString/toPlainString, Integer.parseInt, Long.parseLong,
 * Double.parseDouble and new BigDecimal(String); the bytes Sluice writes must match them.
 */

/** An exact decimal as Java's BigDecimal holds it: unscaled * 10^-scale. */
export interface JavaDecimal {
  unscaled: bigint;
  scale: number;
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const INTEGER_TEXT = /^[+-]?[0-9]+$/;

/** Integer.parseInt: optional sign, ASCII digits, 32-bit range; anything else is undefined. */
export function parseJavaInt(text: string): number | undefined {
  if (!INTEGER_TEXT.test(text)) return undefined;
  const v = BigInt(text);
  return v < INT_MIN || v > INT_MAX ? undefined : Number(v);
}

/** Long.parseLong: optional sign, ASCII digits, 64-bit range; anything else is undefined. */
export function parseJavaLong(text: string): bigint | undefined {
  if (!INTEGER_TEXT.test(text)) return undefined;
  const v = BigInt(text);
  return v < LONG_MIN || v > LONG_MAX ? undefined : v;
}

// Java's FloatingDecimal grammar minus hexadecimal literals: sign, digits with an optional
// point, an optional exponent and an optional type suffix (f, F, d, D).
const JAVA_DOUBLE_TEXT = /^[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)$/;

/** Double.parseDouble: trims control characters and spaces, accepts NaN and Infinity. */
export function parseJavaDouble(text: string): number | undefined {
  const t = javaTrim(text);
  if (!JAVA_DOUBLE_TEXT.test(t)) return undefined;
  if (t.endsWith('NaN')) return NaN; // FloatingDecimal accepts a signed NaN too
  return Number(t.replace(/[fFdD]$/, ''));
}

/** String.trim(): strips every char <= U+0020 at both ends. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Double.toString (one implementation for the whole code base, in src/common). */
export { javaDoubleToString as formatJavaDouble } from '../../common/javaformat.js';

const DECIMAL_TEXT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;

/** new BigDecimal(String): sign, digits with an optional point, optional exponent. */
export function parseJavaDecimal(text: string): JavaDecimal | undefined {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return undefined;
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits.length + fracDigits.length === 0) return undefined;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp)) return undefined;
  const magnitude = BigInt(intDigits + fracDigits);
  return { unscaled: m[1] === '-' ? -magnitude : magnitude, scale: fracDigits.length - exp };
}

/** BigDecimal.precision(): the number of digits in the unscaled value (1 for zero). */
export function javaDecimalPrecision(d: JavaDecimal): number {
  return (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString().length;
}

/** BigDecimal.toString(): scientific notation when the scale is negative or the value tiny. */
export function javaDecimalToString(d: JavaDecimal): string {
  const negative = d.unscaled < 0n;
  const coeff = (negative ? -d.unscaled : d.unscaled).toString();
  const sign = negative ? '-' : '';
  const adjusted = -d.scale + (coeff.length - 1);
  if (d.scale >= 0 && adjusted >= -6) return sign + insertPoint(coeff, d.scale);
  let out = sign + coeff[0];
  if (coeff.length > 1) out += '.' + coeff.slice(1);
  if (adjusted !== 0) out += 'E' + (adjusted > 0 ? '+' : '') + adjusted;
  return out;
}

/** BigDecimal.toPlainString(): never scientific notation. */
export function javaDecimalToPlainString(d: JavaDecimal): string {
  const negative = d.unscaled < 0n;
  const coeff = (negative ? -d.unscaled : d.unscaled).toString();
  const sign = negative ? '-' : '';
  if (d.scale <= 0) return sign + coeff + (d.unscaled === 0n ? '' : '0'.repeat(-d.scale));
  return sign + insertPoint(coeff, d.scale);
}

function insertPoint(coeff: string, scale: number): string {
  if (scale === 0) return coeff;
  if (coeff.length > scale) return `${coeff.slice(0, coeff.length - scale)}.${coeff.slice(coeff.length - scale)}`;
  return `0.${'0'.repeat(scale - coeff.length)}${coeff}`;
}

/** Java's (int) / (long) narrowing of an integer: keep the low 32 / 64 bits. */
export function toJavaInt(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}
export function toJavaLong(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** The integer part of a decimal, truncated toward zero (BigDecimal.toBigInteger()). */
export function javaDecimalTruncate(d: JavaDecimal): bigint {
  // 10^64 is a multiple of 2^64, so beyond that the low 64 bits (all a caller keeps) are zero
  if (d.scale <= -64) return 0n;
  if (d.scale <= 0) return d.unscaled * 10n ** BigInt(-d.scale);
  if (d.scale >= javaDecimalPrecision(d)) return 0n;
  return d.unscaled / 10n ** BigInt(d.scale);
}
