/**
 * Moving decimals between their Java text form and Sluice's runtime Decimal under ksqlDB's
 * rule (DecimalUtil.ensureFit): a value read for DECIMAL(p, s) must be below 10^(p-s) in
 * magnitude and must reach scale s without rounding; a smaller scale is padded with zeros.
 */
import { Decimal } from '../../common/decimal.js';
import { SerdeError } from './errors.js';
import { type JavaDecimal, javaDecimalPrecision, javaDecimalToPlainString } from './java-text.js';

/** Strip trailing zeros of the unscaled value so the scale is as small as the value allows. */
function normalise(d: JavaDecimal): JavaDecimal {
  if (d.unscaled === 0n) return { unscaled: 0n, scale: 0 };
  let { unscaled, scale } = d;
  while (unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return { unscaled, scale };
}

export function ensureFit(d: JavaDecimal, precision: number, scale: number): Decimal {
  const n = normalise(d);
  const intDigits = precision - scale;
  // digits left of the point: precision of the normalised value minus its scale
  const magnitudeDigits = n.unscaled === 0n ? 0 : javaDecimalPrecision(n) - n.scale;
  if (magnitudeDigits > intDigits) {
    throw new SerdeError(
      `Numeric field overflow: A field with precision ${precision} and scale ${scale} must round to an absolute value less than 10^${intDigits}. Got ${plain(d)}`,
    );
  }
  if (n.scale > scale) {
    throw new SerdeError(
      `Cannot fit decimal '${plain(d)}' into DECIMAL(${precision}, ${scale}) without rounding. (Requires ${javaDecimalPrecision(d)},${d.scale})`,
    );
  }
  return toDecimal(n);
}

function plain(d: JavaDecimal): string {
  // a pathological exponent would make the plain form enormous; the message does not need it
  return Math.abs(d.scale) > 1000 ? `${d.unscaled}E${-d.scale}` : javaDecimalToPlainString(d);
}

export function toDecimal(d: JavaDecimal): Decimal {
  return new Decimal(`${d.unscaled}e${-d.scale}`);
}

/** A runtime decimal at exactly `scale` fraction digits (rounded HALF_UP if it has more). */
export function fromDecimal(v: Decimal, scale: number): JavaDecimal {
  const text = v.toFixed(scale, Decimal.ROUND_HALF_UP);
  return { unscaled: BigInt(text.replace('.', '')), scale };
}
