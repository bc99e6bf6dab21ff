// numeric as exact decimal text, and PostgreSQL's binary numeric format:
//   Int16 ndigits, Int16 weight, UInt16 sign, Int16 dscale, ndigits x Int16 base-10000 digits
// where the value is sum(digit[i] * 10000^(weight - i)) and dscale is the count of decimal
// fraction digits to display.
import type { ByteReader } from '../bytes/byte-reader.js';
import type { ByteWriter } from '../bytes/byte-writer.js';
import { type DecodeResult, invalidBinary, invalidText, ok, outOfRange } from './values.js';

const SIGN_POS = 0x0000;
const SIGN_NEG = 0x4000;
const SIGN_NAN = 0xc000;
const SIGN_PINF = 0xd000;
const SIGN_NINF = 0xf000;
/** PostgreSQL's NUMERIC_MAX_DISPLAY_SCALE / weight limits. */
const MAX_DSCALE = 0x3fff;
const MAX_INT_DIGITS = 131072;

interface Decimal {
  readonly negative: boolean;
  /** Integer digits without leading zeros ('' for zero). */
  readonly int: string;
  /** Fraction digits, exactly dscale long. */
  readonly frac: string;
}

type Special = 'NaN' | 'Infinity' | '-Infinity';

const NUMERIC_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** Parses numeric_in syntax into normalized parts; exponent form is expanded exactly. */
const parseDecimal = (input: string): Decimal | Special | undefined => {
  const s = input.trim();
  const lower = s.toLowerCase();
  if (lower === 'nan') return 'NaN';
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return 'Infinity';
  if (lower === '-infinity' || lower === '-inf') return '-Infinity';
  const m = NUMERIC_RE.exec(s);
  if (m === null) return undefined;
  let int = m[2] ?? '';
  let frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  if (m[4] !== undefined) {
    const exp = Number(m[4]);
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000 + int.length + frac.length) return undefined;
    if (exp > 0) {
      const moved = frac.padEnd(exp, '0');
      int += moved.slice(0, exp);
      frac = frac.length > exp ? frac.slice(exp) : '';
    } else if (exp < 0) {
      const padded = int.padStart(-exp, '0');
      frac = padded.slice(padded.length + exp) + frac;
      int = padded.slice(0, padded.length + exp);
    }
  }
  int = int.replace(/^0+/, '');
  return { negative: m[1] === '-' && /[1-9]/.test(int + frac), int, frac };
};

const isNegativeZero = (text: string): boolean => text.charCodeAt(0) === 0x2d && !/[1-9]/.test(text);

const toText = (d: Decimal): string =>
  `${d.negative ? '-' : ''}${d.int === '' ? '0' : d.int}${d.frac === '' ? '' : `.${d.frac}`}`;

/** numeric_in then numeric_out: canonical text ("-0.0" -> "0.0", "1.5e2" -> "150"). */
export const parseNumericText = (input: string): DecodeResult<string> => {
  const d = parseDecimal(input);
  if (d === undefined) return invalidText('numeric', input);
  if (typeof d === 'string') return ok(d);
  if (d.int.length > MAX_INT_DIGITS || d.frac.length > MAX_DSCALE) {
    return outOfRange('value overflows numeric format');
  }
  return ok(toText(d));
};

/** Already numeric_out's form: no exponent, sign only when nonzero, no leading zeros. */
const CANONICAL_RE = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** Text for a numeric value given as string, number or bigint. */
export const formatNumeric = (value: string | number | bigint): string => {
  if (typeof value === 'bigint') return value.toString();
  // Decimals from the engine arrive in this form; re-parsing them is most of the cost otherwise.
  if (typeof value === 'string' && CANONICAL_RE.test(value) && !isNegativeZero(value)) return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    const d = parseDecimal(String(value));
    return d === undefined || typeof d === 'string' ? String(value) : toText(d);
  }
  const d = parseDecimal(value);
  if (d === undefined) return value;
  return typeof d === 'string' ? d : toText(d);
};

export const writeNumericBinary = (w: ByteWriter, value: string | number | bigint): void => {
  const d = parseDecimal(formatNumeric(value));
  if (d === undefined || d === 'NaN') {
    w.i16(0).i16(0).u16(SIGN_NAN).i16(0);
    return;
  }
  if (typeof d === 'string') {
    // PostgreSQL sends dscale 32 for infinities, an artifact of its short header; match it byte-for-byte.
    w.i16(0)
      .i16(0)
      .u16(d === 'Infinity' ? SIGN_PINF : SIGN_NINF)
      .i16(0x20);
    return;
  }
  const dscale = d.frac.length;
  // Align to base-10000 groups around the decimal point.
  const intPadded = d.int.padStart(Math.ceil(d.int.length / 4) * 4, '0');
  const fracPadded = d.frac.padEnd(Math.ceil(d.frac.length / 4) * 4, '0');
  const groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  let weight = intPadded.length / 4 - 1;
  let start = 0;
  while (start < groups.length && groups[start] === 0) {
    start++;
    weight--;
  }
  let end = groups.length;
  while (end > start && groups[end - 1] === 0) end--;
  if (start === end) {
    w.i16(0).i16(0).u16(SIGN_POS).i16(dscale);
    return;
  }
  w.i16(end - start)
    .i16(weight)
    .u16(d.negative ? SIGN_NEG : SIGN_POS)
    .i16(dscale);
  for (let i = start; i < end; i++) w.i16(groups[i]!);
};

export const readNumericBinary = (r: ByteReader): DecodeResult<string> => {
  const ndigits = r.i16();
  const weight = r.i16();
  const sign = r.u16();
  const dscale = r.i16();
  if (r.failed || ndigits < 0 || ndigits * 2 !== r.remaining)
    return invalidBinary('numeric', 'invalid length');
  if (sign === SIGN_NAN) return ok('NaN');
  if (sign === SIGN_PINF) return ok('Infinity');
  if (sign === SIGN_NINF) return ok('-Infinity');
  if (sign !== SIGN_POS && sign !== SIGN_NEG)
    return invalidBinary('numeric', `invalid sign 0x${sign.toString(16)}`);
  if (dscale < 0 || dscale > MAX_DSCALE) return invalidBinary('numeric', `invalid scale ${dscale}`);
  let int = '';
  let frac = '';
  for (let i = 0; i < ndigits; i++) {
    const digit = r.i16();
    if (digit < 0 || digit >= 10000) return invalidBinary('numeric', `invalid digit ${digit}`);
    const text = String(digit).padStart(4, '0');
    const pos = weight - i; // power of 10000 of this digit
    if (pos >= 0) int += text;
    else frac = frac.padEnd((-pos - 1) * 4, '0') + text;
  }
  // Integer digits for weights above the last digit are zero groups.
  if (ndigits > 0 && weight - (ndigits - 1) > 0) int += '0000'.repeat(weight - (ndigits - 1));
  int = int.replace(/^0+/, '');
  // dscale decides the displayed fraction; digits beyond it are truncated, as numeric_recv does.
  frac = frac.length >= dscale ? frac.slice(0, dscale) : frac.padEnd(dscale, '0');
  return ok(toText({ negative: sign === SIGN_NEG && /[1-9]/.test(int + frac), int, frac }));
};
