// Comparable values for data skipping. Each column type maps to a domain in which stats bounds,
// partition values and literals compare the way DuckDB compares the real values: integers and
// decimals exactly (bigint-scaled, never through floats), floats as doubles, strings in UTF-8
// byte order, dates and timestamps as microseconds.
import type { DataType } from '../schema/types.js';
import type { LiteralExpr } from './types.js';

/** An exact decimal: `unscaled * 10^-scale`. */
export interface Dec {
  readonly unscaled: bigint;
  readonly scale: number;
}

/**
 * Values of the 'exact' domain (integers, decimals) are plain numbers while a double holds them
 * exactly enough to order them (safe integers, and decimals of at most 15 significant digits,
 * which map to distinct doubles in order), and Dec beyond that. Numbers keep the hot path free
 * of bigint arithmetic. Times are microseconds since the epoch: numbers while safe integers
 * (years 1685..2255), bigints beyond (dates such as 0001-01-01 or 9999-12-31 are common).
 */
export type Domain = 'exact' | 'double' | 'string' | 'bool' | 'time';
export type DomainValue = Dec | number | bigint | string;

const MICROS_PER_DAY_BIG = 86_400_000_000n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Microseconds as a number when that is exact, else as a bigint. */
export const timeValue = (micros: bigint): number | bigint =>
  micros >= -MAX_SAFE && micros <= MAX_SAFE ? Number(micros) : micros;

const pow10Cache: bigint[] = [1n];
const pow10 = (n: number): bigint => {
  for (let i = pow10Cache.length; i <= n; i++) pow10Cache.push(pow10Cache[i - 1]! * 10n);
  return pow10Cache[n]!;
};
const TEN_POW_15 = 10n ** 15n;

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Exact value of decimal text ('12.30', '-1e-7', '5'), undefined when it is not a number. */
export function parseDec(text: string): Dec | undefined {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (m === null) return undefined;
  const [, sign, whole = '', fraction = '', exponent = '0'] = m;
  if (whole === '' && fraction === '') return undefined;
  const digits = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - Number(exponent);
  let unscaled = sign === '-' ? -digits : digits;
  if (scale < 0) {
    unscaled *= pow10(-scale);
    scale = 0;
  }
  return { unscaled, scale };
}

export function compareDec(a: Dec, b: Dec): number {
  const x = a.scale >= b.scale ? a.unscaled : a.unscaled * pow10(b.scale - a.scale);
  const y = b.scale >= a.scale ? b.unscaled : b.unscaled * pow10(a.scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A double that orders like the decimal it came from (see Domain). */
const isOrderSafe = (n: number): boolean =>
  Number.isSafeInteger(n) || (Math.abs(n) >= 1e-300 && significantDigits(n) <= 15);

function significantDigits(n: number): number {
  return String(Math.abs(n)).replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').length;
}

/** An exact-domain value of decimal text. */
export function exactFromText(text: string): DomainValue | undefined {
  const dec = parseDec(text);
  if (dec === undefined) return undefined;
  const abs = dec.unscaled < 0n ? -dec.unscaled : dec.unscaled;
  if (abs < TEN_POW_15) {
    const n = Number(text);
    if (Number.isFinite(n) && (n === 0 ? abs === 0n : Math.abs(n) >= 1e-300)) return n;
  }
  return dec;
}

export const exactFromBigint = (b: bigint): DomainValue =>
  b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : { unscaled: b, scale: 0 };

/**
 * An exact-domain value of a JS number. A literal means the decimal its text shows; a stat
 * (`widen` given) with more digits than a double keeps may already be rounded, so it is widened
 * away from the true value by one ulp ('down' for a lower bound, 'up' for an upper bound).
 */
export function exactFromNumber(n: number, widen?: 'down' | 'up'): DomainValue | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (isOrderSafe(n)) return n;
  const dec = parseDec(String(n));
  if (dec === undefined || widen === undefined) return dec;
  const ulp = parseDec(String(Math.abs(n) * 2 ** -52 + Number.MIN_VALUE));
  if (ulp === undefined) return undefined;
  const scale = Math.max(dec.scale, ulp.scale);
  const a = dec.unscaled * pow10(scale - dec.scale);
  const b = ulp.unscaled * pow10(scale - ulp.scale) + 1n;
  return { unscaled: widen === 'down' ? a - b : a + b, scale };
}

const toDec = (v: DomainValue): Dec => (typeof v === 'number' ? parseDec(String(v))! : (v as Dec));

/** UTF-8 byte order (= code point order), which is how Delta and DuckDB order strings. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 puts surrogates (U+10000 and up) below U+E000..U+FFFF; code point order does not.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
}

export function compareValues(a: DomainValue, b: DomainValue, domain: Domain): number {
  switch (domain) {
    case 'exact':
      if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
      return compareDec(toDec(a), toDec(b));
    case 'string':
      return compareUtf8(a as string, b as string);
    case 'time':
      if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
      return BigInt(a as number | bigint) < BigInt(b as number | bigint)
        ? -1
        : BigInt(a as number | bigint) > BigInt(b as number | bigint)
          ? 1
          : 0;
    default:
      return a < b ? -1 : a > b ? 1 : 0;
  }
}

const isFloatType = (t: DataType | undefined): boolean =>
  t?.kind === 'primitive' && (t.name === 'float' || t.name === 'double');

/**
 * The domain a column compares in against a literal, undefined when stats cannot decide
 * (binary, nested and variant columns). A float/double on either side makes DuckDB compare as
 * doubles, so the domain is 'double' then; otherwise integers and decimals compare exactly.
 */
export function domainOf(column: DataType, literal?: DataType): Domain | undefined {
  if (column.kind === 'decimal') return isFloatType(literal) ? 'double' : 'exact';
  if (column.kind !== 'primitive') return undefined;
  switch (column.name) {
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      return isFloatType(literal) ? 'double' : 'exact';
    case 'float':
    case 'double':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'date':
    case 'timestamp':
    case 'timestamp_ntz':
      return 'time';
    default:
      return undefined;
  }
}

/**
 * A literal in the column's domain: null for SQL NULL, undefined when it cannot be converted
 * the way DuckDB would (then the predicate is unknown, never a wrong skip).
 */
export function literalToDomain(
  lit: LiteralExpr,
  column: DataType,
  domain: Domain,
): DomainValue | null | undefined {
  const v = lit.value;
  if (v === null) return null;
  const litType = lit.type;
  switch (domain) {
    case 'exact': {
      if (typeof v === 'bigint') return exactFromBigint(v);
      if (typeof v === 'number') return exactFromNumber(v);
      if (typeof v !== 'string') return undefined;
      // An integer column against a fractional text literal: DuckDB's cast would round or fail.
      const dec = parseDec(v);
      if (dec === undefined) return undefined;
      if (column.kind === 'primitive' && dec.scale > 0 && dec.unscaled % pow10(dec.scale) !== 0n)
        return undefined;
      return exactFromText(v);
    }
    case 'double': {
      if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string' && parseDec(v) !== undefined) return Number(v);
      return undefined;
    }
    case 'string':
      return typeof v === 'string' &&
        (litType === undefined || litType.kind !== 'primitive' || litType.name === 'string')
        ? v
        : undefined;
    case 'bool': {
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string') {
        const s = v.trim().toLowerCase();
        if (s === 'true' || s === 't') return 1;
        if (s === 'false' || s === 'f') return 0;
      }
      return undefined;
    }
    case 'time': {
      const litName = litType?.kind === 'primitive' ? litType.name : undefined;
      if (typeof v === 'string') return parseTimeText(v)?.micros;
      if (typeof v === 'bigint') return timeValue(v);
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return undefined;
      return litName === 'date' ? timeValue(BigInt(v) * MICROS_PER_DAY_BIG) : v;
    }
  }
}

/** A typed partition value (from parsePartitionValue) in the column's domain. */
export function partitionToDomain(value: unknown, domain: Domain): DomainValue | undefined {
  switch (domain) {
    case 'exact':
      return typeof value === 'bigint'
        ? exactFromBigint(value)
        : typeof value === 'number'
          ? exactFromNumber(value)
          : typeof value === 'string'
            ? exactFromText(value)
            : undefined;
    case 'double':
      return typeof value === 'number' && !Number.isNaN(value)
        ? value
        : typeof value === 'bigint'
          ? Number(value)
          : undefined;
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'bool':
      return typeof value === 'boolean' ? (value ? 1 : 0) : undefined;
    case 'time': {
      // Dates come as days, timestamps as bigint microseconds.
      if (typeof value === 'bigint') return timeValue(value);
      return typeof value === 'number' && Number.isSafeInteger(value)
        ? timeValue(BigInt(value) * MICROS_PER_DAY_BIG)
        : undefined;
    }
  }
}

const TIME_TEXT =
  /^\s*([+-]?\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Microseconds since the epoch of a date or timestamp text (ISO 'T' or space, optional fraction
 * up to nanoseconds, optional zone; no zone reads as UTC), with the number of fraction digits.
 */
export function parseTimeText(text: string): { micros: number | bigint; fractionDigits: number } | undefined {
  const m = TIME_TEXT.exec(text);
  if (m === null) return undefined;
  const [, ys, mos, ds, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!))
    return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes =
      (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * (zone[0] === '-' ? -1 : 1);
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(Number(h), Number(mi) - offsetMinutes, Number(s), 0);
  const ms = d.getTime();
  if (Number.isNaN(ms)) return undefined;
  const sub = frac === '' ? 0 : Number(frac.padEnd(6, '0').slice(0, 6));
  const micros = ms * 1000 + sub;
  return {
    micros: Number.isSafeInteger(micros) ? micros : BigInt(ms) * 1000n + BigInt(sub),
    fractionDigits: frac.length,
  };
}
