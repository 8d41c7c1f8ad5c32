/**
 * Mathematical functions: ABS, CEIL, FLOOR, ROUND, TRUNC, SIGN, SQRT, CBRT, EXP, LN, LOG, POWER,
 * trigonometry, DEGREES, RADIANS, PI, RANDOM, GREATEST, LEAST and GEO_DISTANCE.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import { Decimal } from '../../../common/decimal.js';
import type { SqlType } from '../../../common/types.js';
import type { ReturnTypeProvider } from '../definitions.js';
import type { Registry } from '../registry.js';
import { compareValues } from './values.js';

const CAT = 'MATHEMATICAL';

const sameDecimal: ReturnTypeProvider = (argTypes) => argTypes[0]!;
/** ROUND/TRUNC(DECIMAL(p, s)) -> DECIMAL(p - s, 0): the scale is dropped. */
const integralDecimal: ReturnTypeProvider = (argTypes) => {
  const t = argTypes[0]!;
  if (t.kind !== 'DECIMAL') return t;
  return { kind: 'DECIMAL', precision: Math.max(t.precision - t.scale, 1), scale: 0 };
};

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

/** Java's Math.round(double): floor(x + 0.5), NaN as 0, clamped to the long range. */
function javaRound(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 9.223372036854776e18) return LONG_MAX;
  if (x <= -9.223372036854776e18) return LONG_MIN;
  return BigInt(Math.floor(x + 0.5));
}

/** BigDecimal.valueOf(double) rejects NaN and infinities. */
function decimalOf(x: number): Decimal {
  if (!Number.isFinite(x)) throw new Error(`Cannot convert ${x} to a decimal`);
  return new Decimal(x);
}

/** ksqlDB rounds half up for positive and half down for negative values (same as Math.round). */
function roundDecimalPlaces(v: Decimal, places: number): Decimal {
  const mode = v.isPositive() && !v.isZero() ? DecimalJs.ROUND_HALF_UP : DecimalJs.ROUND_HALF_DOWN;
  if (places >= 0) return v.toDecimalPlaces(places, mode);
  const factor = new Decimal(10).pow(-places);
  return v.div(factor).toDecimalPlaces(0, mode).mul(factor);
}

function truncDecimalPlaces(v: Decimal, places: number): Decimal {
  if (places >= 0) return v.toDecimalPlaces(places, DecimalJs.ROUND_DOWN);
  const factor = new Decimal(10).pow(-places);
  return v.div(factor).toDecimalPlaces(0, DecimalJs.ROUND_DOWN).mul(factor);
}

function toDouble(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

const EARTH_RADIUS = { km: 6371, mi: 3959 };
const MILES = new Set(['mi', 'mile', 'miles']);
const KMS = new Set(['km', 'kilometer', 'kilometers', 'kilometre', 'kilometres']);

function geoDistance(lat1: number, lon1: number, lat2: number, lon2: number, unit = 'KM'): number {
  const u = unit.toLowerCase();
  let radius: number;
  if (MILES.has(u)) radius = EARTH_RADIUS.mi;
  else if (KMS.has(u)) radius = EARTH_RADIUS.km;
  else throw new Error(`GeoDistance function fifth parameter must be one of [mi, mile, miles, km, kilometer, kilometers, kilometre, kilometres]. Values are case-insensitive.`);
  for (const [lat, lon] of [
    [lat1, lon1],
    [lat2, lon2],
  ] as const) {
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      throw new Error('valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees, and longitude values are in the range of -180 to 180.');
    }
  }
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const haversin = (v: number): number => Math.sin(v / 2) ** 2;
  // same operation order as ksqlDB so results agree to the last bit
  const a = haversin(dLat) + haversin(dLon) * Math.cos(lat1 * rad) * Math.cos(lat2 * rad);
  return 2 * Math.asin(Math.sqrt(a)) * radius;
}

export function registerMath(reg: Registry): void {
  const n = <T>(f: (x: T) => unknown) => (x: T | null) => (x === null ? null : f(x));

  reg.registerScalar({
    name: 'Abs',
    category: CAT,
    description: 'The absolute value of a number.',
    overloads: [
      { sig: 'INTEGER -> INTEGER', impl: n((x: number) => Math.abs(x) | 0) },
      // wraps at Long.MIN_VALUE like Java's Math.abs
      { sig: 'BIGINT -> BIGINT', impl: n((x: bigint) => BigInt.asIntN(64, x < 0n ? -x : x)) },
      { sig: 'DOUBLE -> DOUBLE', impl: n(Math.abs) },
      { sig: 'DECIMAL -> DECIMAL', returns: sameDecimal, impl: n((x: Decimal) => x.abs()) },
    ],
  });
  for (const [name, op, mode] of [
    ['Ceil', Math.ceil, DecimalJs.ROUND_CEIL],
    ['Floor', Math.floor, DecimalJs.ROUND_FLOOR],
  ] as const) {
    reg.registerScalar({
      name,
      category: CAT,
      description: `Rounds a number ${name === 'Ceil' ? 'up' : 'down'} to the nearest integer (a DECIMAL keeps its scale).`,
      overloads: [
        { sig: 'INTEGER -> INTEGER', impl: n((x: number) => x) },
        { sig: 'BIGINT -> BIGINT', impl: n((x: bigint) => x) },
        { sig: 'DOUBLE -> DOUBLE', impl: n(op) },
        { sig: 'DECIMAL -> DECIMAL', returns: sameDecimal, impl: n((x: Decimal) => x.toDecimalPlaces(0, mode)) },
      ],
    });
  }
  reg.registerScalar({
    name: 'Round',
    category: CAT,
    description: 'Rounds a number to the given number of decimal places (default 0), half away from zero for positives as Math.round does.',
    overloads: [
      { sig: 'BIGINT -> BIGINT', impl: n((x: bigint) => x) },
      { sig: 'INTEGER -> BIGINT', impl: n((x: number) => BigInt(x)) },
      { sig: 'DOUBLE -> BIGINT', impl: n(javaRound) },
      {
        sig: 'DOUBLE, INTEGER -> DOUBLE',
        impl: (x: number | null, p: number | null) => (x === null || p === null ? null : roundDecimalPlaces(decimalOf(x), p).toNumber()),
      },
      { sig: 'DECIMAL -> DECIMAL', returns: integralDecimal, impl: n((x: Decimal) => roundDecimalPlaces(x, 0)) },
      { sig: 'DECIMAL, INTEGER -> DECIMAL', returns: sameDecimal, impl: (x: Decimal | null, p: number | null) => (x === null || p === null ? null : roundDecimalPlaces(x, p)) },
    ],
  });
  reg.registerScalar({
    name: 'trunc',
    category: CAT,
    description: 'Truncates a number toward zero to the given number of decimal places (default 0).',
    overloads: [
      { sig: 'BIGINT -> BIGINT', impl: n((x: bigint) => x) },
      { sig: 'INTEGER -> BIGINT', impl: n((x: number) => BigInt(x)) },
      // Java's (long) cast: truncation, NaN as 0, saturating at the long range
      { sig: 'DOUBLE -> BIGINT', impl: n((x: number) => (Number.isNaN(x) ? 0n : x >= 9.223372036854776e18 ? LONG_MAX : x <= -9.223372036854776e18 ? LONG_MIN : BigInt(Math.trunc(x)))) },
      {
        sig: 'DOUBLE, INTEGER -> DOUBLE',
        impl: (x: number | null, p: number | null) => (x === null || p === null ? null : truncDecimalPlaces(decimalOf(x), p).toNumber()),
      },
      { sig: 'DECIMAL -> DECIMAL', returns: integralDecimal, impl: n((x: Decimal) => truncDecimalPlaces(x, 0)) },
      { sig: 'DECIMAL, INTEGER -> DECIMAL', returns: sameDecimal, impl: (x: Decimal | null, p: number | null) => (x === null || p === null ? null : truncDecimalPlaces(x, p)) },
    ],
  });
  reg.registerScalar({
    name: 'sign',
    category: CAT,
    description: 'The sign of a number: 1, 0 or -1.',
    overloads: [
      { sig: 'INTEGER -> INTEGER', impl: n((x: number) => Math.sign(x)) },
      { sig: 'BIGINT -> INTEGER', impl: n((x: bigint) => (x > 0n ? 1 : x < 0n ? -1 : 0)) },
      { sig: 'DOUBLE -> INTEGER', impl: n((x: number) => (Number.isNaN(x) ? 0 : Math.sign(x))) },
    ],
  });

  const unary = (name: string, description: string, f: (x: number) => number): void =>
    reg.registerScalar({
      name,
      category: CAT,
      description,
      overloads: ['INTEGER', 'BIGINT', 'DOUBLE'].map((t) => ({ sig: `${t} -> DOUBLE`, impl: n((x: number | bigint) => f(toDouble(x))) })),
    });
  unary('sqrt', 'The positive square root.', Math.sqrt);
  unary('cbrt', 'The cube root.', Math.cbrt);
  unary('exp', "Euler's number e raised to the power of the value.", Math.exp);
  unary('ln', 'The natural logarithm.', Math.log);
  unary('sin', 'The sine of an angle in radians.', Math.sin);
  unary('cos', 'The cosine of an angle in radians.', Math.cos);
  unary('tan', 'The tangent of an angle in radians.', Math.tan);
  unary('cot', 'The cotangent of an angle in radians.', (x) => 1 / Math.tan(x));
  unary('asin', 'The arc sine, in radians.', Math.asin);
  unary('acos', 'The arc cosine, in radians.', Math.acos);
  unary('atan', 'The arc tangent, in radians.', Math.atan);
  unary('sinh', 'The hyperbolic sine.', Math.sinh);
  unary('cosh', 'The hyperbolic cosine.', Math.cosh);
  unary('tanh', 'The hyperbolic tangent.', Math.tanh);
  unary('degrees', 'Converts radians to degrees.', (x) => (x * 180) / Math.PI);
  unary('radians', 'Converts degrees to radians.', (x) => (x * Math.PI) / 180);

  const binary = (name: string, description: string, f: (a: number, b: number) => number): void =>
    reg.registerScalar({
      name,
      category: CAT,
      description,
      overloads: ['INTEGER', 'BIGINT', 'DOUBLE'].map((t) => ({
        sig: `${t}, ${t} -> DOUBLE`,
        impl: (a: number | bigint | null, b: number | bigint | null) => (a === null || b === null ? null : f(toDouble(a), toDouble(b))),
      })),
    });
  binary('power', 'The base raised to the power of the exponent.', Math.pow);
  binary('atan2', 'The angle theta of the polar coordinates (r, theta) of (x, y), given y then x.', Math.atan2);

  const logBase = (base: number, v: number): number => (base <= 0 || base === 1 ? NaN : Math.log(v) / Math.log(base));
  reg.registerScalar({
    name: 'log',
    category: CAT,
    description: 'The natural logarithm of a value, or its logarithm in the given base.',
    overloads: [
      ...['INTEGER', 'BIGINT', 'DOUBLE'].map((t) => ({ sig: `${t} -> DOUBLE`, impl: n((x: number | bigint) => Math.log(toDouble(x))) })),
      ...['INTEGER', 'BIGINT', 'DOUBLE'].map((t) => ({
        sig: `${t}, ${t} -> DOUBLE`,
        params: ['base', 'value'],
        impl: (b: number | bigint | null, v: number | bigint | null) => (b === null || v === null ? null : logBase(toDouble(b), toDouble(v))),
      })),
    ],
  });
  reg.registerScalar({ name: 'pi', category: CAT, description: 'The value of pi.', overloads: [{ sig: '-> DOUBLE', impl: () => Math.PI }] });
  reg.registerScalar({ name: 'random', category: CAT, description: 'A random DOUBLE in [0.0, 1.0).', overloads: [{ sig: '-> DOUBLE', impl: () => Math.random() }] });

  // GREATEST / LEAST: nulls are ignored; all nulls give null.
  const extreme = (name: string, sign: 1 | -1): void => {
    const pick = (...xs: unknown[]): unknown => {
      let best: unknown = null;
      for (const x of xs) if (x !== null && x !== undefined && (best === null || sign * compareValues(x, best) > 0)) best = x;
      return best;
    };
    const types = ['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP'];
    reg.registerScalar({
      name,
      category: CAT,
      description: `The ${sign > 0 ? 'highest' : 'lowest'} of the values, ignoring nulls.`,
      overloads: [
        ...types.map((t) => ({ sig: `${t}, ${t}... -> ${t}`, impl: pick })),
        {
          sig: 'DECIMAL, DECIMAL... -> DECIMAL',
          // the widest precision and scale among the arguments
          returns: (argTypes: SqlType[]) => {
            let intDigits = 0;
            let scale = 0;
            for (const t of argTypes) {
              if (t.kind !== 'DECIMAL') continue;
              intDigits = Math.max(intDigits, t.precision - t.scale);
              scale = Math.max(scale, t.scale);
            }
            return { kind: 'DECIMAL', precision: Math.min(intDigits + scale, 38), scale };
          },
          impl: pick,
        },
      ],
    });
  };
  extreme('greatest', 1);
  extreme('least', -1);

  reg.registerScalar({
    name: 'geo_distance',
    category: CAT,
    description: 'The great-circle distance between two lat/long points (decimal degrees), in KM (default) or MI.',
    overloads: [
      {
        sig: 'DOUBLE, DOUBLE, DOUBLE, DOUBLE -> DOUBLE',
        params: ['lat1', 'lon1', 'lat2', 'lon2'],
        impl: (a: number | null, b: number | null, c: number | null, d: number | null) => (a === null || b === null || c === null || d === null ? null : geoDistance(a, b, c, d)),
      },
      {
        sig: 'DOUBLE, DOUBLE, DOUBLE, DOUBLE, STRING -> DOUBLE',
        params: ['lat1', 'lon1', 'lat2', 'lon2', 'units'],
        impl: (a: number | null, b: number | null, c: number | null, d: number | null, u: string | null) =>
          a === null || b === null || c === null || d === null || u === null ? null : geoDistance(a, b, c, d, u),
      },
    ],
  });
}
