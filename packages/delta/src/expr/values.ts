// Comparable values for data skipping. Each column type maps to a domain in which stats bounds,
// partition values and literals compare the way DuckDB compares the real values: integers and
// decimals exactly (bigint-scaled, never through floats), floats as doubles, strings in UTF-8
// byte order, dates and timestamps as microseconds.
import { parsePartitionValue } from '../schema/partition-values.js';
import type { DataType } from '../schema/types.js';
import type { LiteralExpr } from './types.js';

/** An exact decimal: `unscaled * 10^-scale`. */
export interface Dec {
  readonly unscaled: bigint;
  readonly scale: number;
}

export type Domain = 'exact' | 'double' | 'string' | 'bool' | 'time';
export type DomainValue = Dec | number | string | bigint;

const MICROS_PER_DAY = 86_400_000_000n;
const DATE: DataType = { kind: 'primitive', name: 'date' };
const TIMESTAMP: DataType = { kind: 'primitive', name: 'timestamp' };

const pow10Cache: bigint[] = [1n];
const pow10 = (n: number): bigint => {
  for (let i = pow10Cache.length; i <= n; i++) pow10Cache.push(pow10Cache[i - 1]! * 10n);
  return pow10Cache[n]!;
};

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

/**
 * A JS number as an exact decimal. Numbers with at most 15 significant digits are exactly the
 * decimal their shortest text shows (any such decimal maps to a distinct double); a longer one
 * may already have lost digits, so the result is widened away from the true value by one ulp
 * in the direction `widen` asks for ('down' for a lower bound, 'up' for an upper bound).
 */
export function numberToDec(n: number, widen?: 'down' | 'up'): Dec | undefined {
  if (!Number.isFinite(n)) return undefined;
  const dec = parseDec(String(n));
  if (dec === undefined || widen === undefined) return dec;
  const significant = String(Math.abs(n)).replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  if (significant.length <= 15) return dec;
  const ulp = parseDec(String(Math.abs(n) * 2 ** -52 + Number.MIN_VALUE));
  if (ulp === undefined) return undefined;
  const scale = Math.max(dec.scale, ulp.scale);
  const a = dec.unscaled * pow10(scale - dec.scale);
  const b = ulp.unscaled * pow10(scale - ulp.scale) + 1n;
  return { unscaled: widen === 'down' ? a - b : a + b, scale };
}

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
      return compareDec(a as Dec, b as Dec);
    case 'string':
      return compareUtf8(a as string, b as string);
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

const tryParse = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};

/** Microseconds of a date or timestamp text, read as a value of `type` (UTC wall clock). */
function timeText(text: string, type: DataType): bigint | undefined {
  const isDate = /^[+-]?\d{4,}-\d{1,2}-\d{1,2}$/.test(text.trim());
  const parsed = tryParse(() =>
    isDate
      ? BigInt(parsePartitionValue(text, DATE) as number) * MICROS_PER_DAY
      : (parsePartitionValue(text, type.kind === 'primitive' && type.name === 'timestamp_ntz' ? type : TIMESTAMP) as bigint),
  );
  return parsed ?? undefined;
}

/**
 * A literal in the column's domain: null for SQL NULL, undefined when it cannot be converted
 * the way DuckDB would (then the predicate is unknown, never a wrong skip).
 */
export function literalToDomain(lit: LiteralExpr, column: DataType, domain: Domain): DomainValue | null | undefined {
  const v = lit.value;
  if (v === null) return null;
  const litType = lit.type;
  switch (domain) {
    case 'exact': {
      const dec =
        typeof v === 'bigint'
          ? { unscaled: v, scale: 0 }
          : typeof v === 'number'
            ? numberToDec(v)
            : typeof v === 'string'
              ? parseDec(v)
              : undefined;
      // An integer column against a fractional text literal: DuckDB's cast would round or fail.
      if (dec !== undefined && typeof v === 'string' && column.kind === 'primitive' && dec.scale > 0) {
        if (dec.unscaled % pow10(dec.scale) !== 0n) return undefined;
      }
      return dec;
    }
    case 'double': {
      if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string' && parseDec(v) !== undefined) return Number(v);
      return undefined;
    }
    case 'string':
      return typeof v === 'string' && (litType === undefined || litType.kind !== 'primitive' || litType.name === 'string')
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
      if (typeof v === 'string') return timeText(v, litName === undefined ? column : litType!);
      if (litName === 'date' && typeof v === 'number') return BigInt(v) * MICROS_PER_DAY;
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
      return undefined;
    }
  }
}

/** A typed partition value (from parsePartitionValue) in the column's domain. */
export function partitionToDomain(value: unknown, domain: Domain): DomainValue | undefined {
  switch (domain) {
    case 'exact':
      return typeof value === 'bigint'
        ? { unscaled: value, scale: 0 }
        : typeof value === 'number'
          ? numberToDec(value)
          : typeof value === 'string'
            ? parseDec(value)
            : undefined;
    case 'double':
      return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'bool':
      return typeof value === 'boolean' ? (value ? 1 : 0) : undefined;
    case 'time':
      // Dates come as days, timestamps as microseconds.
      return typeof value === 'number' ? BigInt(value) * MICROS_PER_DAY : typeof value === 'bigint' ? value : undefined;
  }
}

export { MICROS_PER_DAY };
