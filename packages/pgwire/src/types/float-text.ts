// float4/float8 text output exactly as PostgreSQL >= 12 prints it: the shortest digits that
// round-trip (Ryu), in %g-like layout (fixed notation when the decimal exponent is in
// [-4, DIG), else d.ddde+XX). With extra_float_digits <= 0 PostgreSQL instead rounds to
// DIG + extra_float_digits significant digits; `extraFloatDigits` selects that mode.
import { type DecodeResult, invalidText, ok, outOfRange } from './values.js';

const FLT_DIG = 6;
const DBL_DIG = 15;

/** Shortest round-trip digits and decimal exponent of |x| (x finite, non-zero). */
const shortestDouble = (x: number): { digits: string; exp: number } => {
  // toExponential() without argument yields the shortest round-trip digits (ECMA-262 Number::toString).
  const [mant, e] = Math.abs(x).toExponential().split('e') as [string, string];
  return { digits: mant.replace('.', ''), exp: Number(e) };
};

/** Shortest digits that round-trip through float32. */
const shortestFloat = (x: number): { digits: string; exp: number } => {
  const a = Math.abs(x);
  for (let p = 1; p <= 9; p++) {
    const s = a.toExponential(p - 1);
    if (Math.fround(Number(s)) === a) {
      const [mant, e] = s.split('e') as [string, string];
      return { digits: mant.replace('.', '').replace(/0+$/, '') || '0', exp: Number(e) };
    }
  }
  return shortestDouble(a);
};

const rounded = (x: number, precision: number): { digits: string; exp: number } => {
  const [mant, e] = Math.abs(x)
    .toExponential(Math.max(0, precision - 1))
    .split('e') as [string, string];
  return { digits: mant.replace('.', '').replace(/0+$/, '') || '0', exp: Number(e) };
};

/** Lays out digits d1d2d3... x 10^exp the way printf %g does (no trailing zeros). */
const layout = (negative: boolean, digits: string, exp: number, fixedBelow: number): string => {
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= fixedBelow) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
};

const special = (x: number): string | undefined => {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  return undefined;
};

export const formatFloat8 = (x: number, extraFloatDigits = 1): string => {
  const s = special(x);
  if (s !== undefined) return s;
  if (extraFloatDigits > 0) {
    // Where JS and PostgreSQL both use fixed notation (decimal exponent -4..14), both print the
    // same shortest round-trip digits, so String() is exact and much cheaper.
    const a = Math.abs(x);
    if (a >= 1e-4 && a < 1e15) return String(x);
    const { digits, exp } = shortestDouble(x);
    return layout(x < 0, digits, exp, DBL_DIG);
  }
  const p = Math.max(1, DBL_DIG + extraFloatDigits);
  const { digits, exp } = rounded(x, p);
  return layout(x < 0, digits, exp, p);
};

export const formatFloat4 = (x: number, extraFloatDigits = 1): string => {
  const f = Math.fround(x);
  const s = special(f);
  if (s !== undefined) return s;
  if (extraFloatDigits > 0) {
    const { digits, exp } = shortestFloat(f);
    return layout(f < 0, digits, exp, FLT_DIG);
  }
  const p = Math.max(1, FLT_DIG + extraFloatDigits);
  const { digits, exp } = rounded(f, p);
  return layout(f < 0, digits, exp, p);
};

const FLOAT_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** float4in/float8in: strtod syntax plus NaN/Infinity/inf, surrounding whitespace allowed. */
export const parseFloatText = (input: string, float4: boolean): DecodeResult<number> => {
  const typeName = float4 ? 'real' : 'double precision';
  const s = input.trim();
  const lower = s.toLowerCase();
  if (lower === 'nan') return ok(Number.NaN);
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') {
    return ok(Number.POSITIVE_INFINITY);
  }
  if (lower === '-infinity' || lower === '-inf') return ok(Number.NEGATIVE_INFINITY);
  if (!FLOAT_SYNTAX.test(s)) return invalidText(typeName, input);
  const v = Number(s);
  const result = float4 ? Math.fround(v) : v;
  // PostgreSQL rejects overflow and underflow-to-zero instead of silently returning inf/0.
  const isZeroInput = !/[1-9]/.test(s.replace(/e.*$/i, ''));
  if (!Number.isFinite(result) || (result === 0 && !isZeroInput)) {
    return outOfRange(`"${s}" is out of range for type ${typeName}`);
  }
  return ok(result);
};
