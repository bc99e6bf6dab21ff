// What one file says about one column: bounds in the comparison domain and whether it can hold
// NULLs or non-NULLs. From a partition value the bounds are exact; from stats they are bounds
// with the writers' known imprecisions widened away: timestamps truncated to milliseconds,
// strings truncated to a prefix, floats written as decimal text, and huge numbers in JSON.
import type { AddFile } from '../actions/types.js';
import { parsePartitionValue } from '../schema/partition-values.js';
import type { DataType } from '../schema/types.js';
import type { FileStats } from '../stats/parse-stats.js';
import { NumberText } from './stats-json.js';
import {
  type Domain,
  type DomainValue,
  MICROS_PER_DAY,
  numberToDec,
  parseDec,
  partitionToDomain,
} from './values.js';

export interface ColumnBounds {
  /** Every non-null value is >= lower. */
  readonly lower?: DomainValue;
  /** Every non-null value is <= upper, or, when upperIsPrefix, has its first N code points <= upper (N = its length). */
  readonly upper?: DomainValue;
  readonly upperIsPrefix: boolean;
  /** Certainly no NULL in the column. */
  readonly noNulls: boolean;
  /** Certainly only NULLs in the column. */
  readonly allNull: boolean;
}

export const UNKNOWN_BOUNDS: ColumnBounds = { upperIsPrefix: false, noNulls: false, allNull: false };
const ALL_NULL: ColumnBounds = { upperIsPrefix: false, noNulls: false, allNull: true };

/** Bounds of a partition column from the file's partition value (exact). */
export function partitionBounds(file: AddFile, keys: readonly string[], type: DataType, domain: Domain): ColumnBounds {
  let raw: string | null | undefined;
  for (const key of keys) {
    if (key in file.partitionValues) {
      raw = file.partitionValues[key];
      break;
    }
  }
  let value: unknown;
  try {
    value = parsePartitionValue(raw, type);
  } catch {
    return UNKNOWN_BOUNDS;
  }
  if (value === null) return ALL_NULL;
  const v = partitionToDomain(value, domain);
  if (v === undefined || (typeof v === 'number' && Number.isNaN(v))) return UNKNOWN_BOUNDS;
  return { lower: v, upper: v, upperIsPrefix: false, noNulls: true, allNull: false };
}

/** Bounds of a data column from the file's stats (keyed by physical path). */
export function statsBounds(
  stats: FileStats | undefined,
  path: readonly string[],
  type: DataType,
  domain: Domain,
  stringPrefixLength: number,
): ColumnBounds {
  if (stats === undefined) return UNKNOWN_BOUNDS;
  const nc = toCount(lookup(stats.nullCount, path));
  // Without tight bounds (after deletion vectors) counts describe the physical rows: a zero
  // null count still holds for the live subset, but "all null" is not trusted.
  const tight = stats.tightBounds !== false;
  const noNulls = nc === 0;
  const allNull = tight && nc !== undefined && nc === stats.numRecords && nc > 0;
  if (allNull) return ALL_NULL;
  const lower = statToDomain(lookup(stats.minValues, path), type, domain, 'min');
  let upper = statToDomain(lookup(stats.maxValues, path), type, domain, 'max');
  let upperIsPrefix = false;
  if (domain === 'string' && typeof upper === 'string' && upper.length >= stringPrefixLength) {
    // Possibly truncated (Spark keeps 32 characters and may append a tie-breaker character):
    // drop the last code point and use the rest only as a bound on values' prefixes.
    const cps = Array.from(upper);
    upper = cps.slice(0, -1).join('');
    upperIsPrefix = true;
  }
  return {
    ...(lower === undefined ? {} : { lower }),
    ...(upper === undefined ? {} : { upper }),
    upperIsPrefix,
    noNulls,
    allNull: false,
  };
}

function toCount(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof NumberText) return Number(v.text);
  return undefined;
}

function lookup(values: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let cur: unknown = values;
  for (const part of path) {
    if (typeof cur !== 'object' || cur === null || cur instanceof NumberText || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const isIntegerType = (t: DataType): boolean =>
  t.kind === 'primitive' && (t.name === 'byte' || t.name === 'short' || t.name === 'integer' || t.name === 'long');

function statToDomain(raw: unknown, type: DataType, domain: Domain, which: 'min' | 'max'): DomainValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  const widen = which === 'min' ? 'down' : 'up';
  switch (domain) {
    case 'exact':
      if (raw instanceof NumberText) return parseDec(raw.text);
      if (typeof raw === 'number') {
        if (isIntegerType(type) && Number.isSafeInteger(raw)) return { unscaled: BigInt(raw), scale: 0 };
        return numberToDec(raw, widen);
      }
      return typeof raw === 'string' ? parseDec(raw) : undefined;
    case 'double': {
      const n = raw instanceof NumberText ? Number(raw.text) : typeof raw === 'number' ? raw : Number.NaN;
      if (!Number.isFinite(n)) return undefined;
      // A float stat is the float's shortest decimal text read as a double: widen it by one
      // float ulp so it bounds the float value whether DuckDB compares as FLOAT or DOUBLE.
      if (type.kind === 'primitive' && type.name === 'float') return nextFloat32(n, widen);
      return n;
    }
    case 'string':
      return typeof raw === 'string' ? raw : undefined;
    case 'bool':
      return typeof raw === 'boolean' ? (raw ? 1 : 0) : undefined;
    case 'time':
      return typeof raw === 'string' ? timeStat(raw, type, which) : undefined;
  }
}

const DATE_ONLY = /^\s*([+-]?\d{4,})-(\d{1,2})-(\d{1,2})\s*$/;
const TS = /^\s*([+-]?\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

/**
 * Microseconds of a date or timestamp stat. Spark writes timestamp stats with millisecond
 * precision, truncating the true value, so a max with fewer than 6 fraction digits is raised to
 * the end of its last digit (at least +999 µs, as Spark and delta-kernel do).
 */
function timeStat(text: string, type: DataType, which: 'min' | 'max'): bigint | undefined {
  const date = DATE_ONLY.exec(text);
  if (date !== null) return civilMicros(Number(date[1]), Number(date[2]), Number(date[3]));
  if (type.kind === 'primitive' && type.name === 'date') return undefined;
  const m = TS.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const day = civilMicros(Number(y), Number(mo), Number(d));
  if (day === undefined) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * (zone[0] === '-' ? -1 : 1);
  }
  const seconds = BigInt(Number(h) * 3600 + Number(mi) * 60 + Number(s) - offsetMinutes * 60);
  const micros = day + seconds * 1_000_000n + BigInt(frac.padEnd(6, '0').slice(0, 6));
  if (which === 'min' || frac.length >= 6) return micros;
  return micros + (frac.length <= 3 ? 999n : 10n ** BigInt(6 - frac.length) - 1n);
}

function civilMicros(year: number, month: number, day: number): bigint | undefined {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return BigInt(Math.round(d.getTime() / 86_400_000)) * MICROS_PER_DAY;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 next to fround(n) in the widening direction. */
export function nextFloat32(n: number, direction: 'down' | 'up'): number {
  f32[0] = n;
  const f = f32[0]!;
  if (!Number.isFinite(f)) return f;
  if (f === 0) return direction === 'up' ? 1.401298464324817e-45 : -1.401298464324817e-45;
  const away = (f > 0) === (direction === 'up');
  u32[0] = u32[0]! + (away ? 1 : -1);
  return f32[0]!;
}
