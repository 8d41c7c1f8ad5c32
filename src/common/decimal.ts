/**
 * Exact decimals for SQL DECIMAL(p, s). decimal.js is configured with enough significant
 * digits for ksqlDB's maximum precision (38) plus headroom for intermediate results.
 */
import { Decimal as DecimalJs } from 'decimal.js';

export const Decimal = DecimalJs.clone({ precision: 100, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
export type Decimal = InstanceType<typeof Decimal>;

export function isDecimal(v: unknown): v is Decimal {
  return v instanceof Decimal || DecimalJs.isDecimal(v);
}

/** Round to `scale` digits after the point (HALF_UP, as ksqlDB does) and return the value. */
export function toScale(v: Decimal, scale: number): Decimal {
  return v.toDecimalPlaces(scale, DecimalJs.ROUND_HALF_UP);
}

/** Text with exactly `scale` fraction digits, as ksqlDB prints DECIMAL(p, s). */
export function formatDecimal(v: Decimal, scale: number): string {
  return v.toFixed(scale, DecimalJs.ROUND_HALF_UP);
}

/** Number of integer digits + scale must fit the precision. */
export function fitsPrecision(v: Decimal, precision: number, scale: number): boolean {
  const intDigits = v.abs().truncated().isZero() ? 0 : v.abs().truncated().toFixed(0).length;
  return intDigits <= precision - scale;
}
