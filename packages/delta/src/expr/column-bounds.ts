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
  exactFromNumber,
  exactFromText,
  parseTimeText,
  partitionToDomain,
  timeValue,
} from './values.js';

export interface ColumnBounds {
  /** Every non-null value is >= lower. */
  readonly lower: DomainValue | undefined;
  /** Every non-null value is <= upper, or, when upperIsPrefix, has its first N code points <= upper (N = its length). */
  readonly upper: DomainValue | undefined;
  readonly upperIsPrefix: boolean;
  /** Certainly no NULL in the column. */
  readonly noNulls: boolean;
  /** Certainly only NULLs in the column. */
  readonly allNull: boolean;
}

export const UNKNOWN_BOUNDS: ColumnBounds = {
  lower: undefined,
  upper: undefined,
  upperIsPrefix: false,
  noNulls: false,
  allNull: false,
};
const ALL_NULL: ColumnBounds = {
  lower: undefined,
  upper: undefined,
  upperIsPrefix: false,
  noNulls: false,
  allNull: true,
};

/** Bounds of a partition column from the file's partition value (exact). */
export function partitionBounds(
  file: AddFile,
  keys: readonly string[],
  type: DataType,
  domain: Domain,
): ColumnBounds {
  let raw: string | null | undefined;
  let found = false;
  for (const key of keys) {
    if (Object.hasOwn(file.partitionValues, key)) {
      raw = file.partitionValues[key];
      found = true;
      break;
    }
  }
  // A missing entry should not happen; reading it as NULL would skip files on a writer's bug.
  if (!found) return UNKNOWN_BOUNDS;
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
  return boundsOfStatValues(
    stats.numRecords,
    stats.tightBounds,
    lookup(stats.nullCount, path),
    lookup(stats.minValues, path),
    lookup(stats.maxValues, path),
    type,
    domain,
    stringPrefixLength,
  );
}

/** Bounds of a data column from its raw stat values (as JSON decoding left them). */
export function boundsOfStatValues(
  numRecords: number,
  tightBounds: boolean | undefined,
  nullCount: unknown,
  min: unknown,
  max: unknown,
  type: DataType,
  domain: Domain,
  stringPrefixLength: number,
): ColumnBounds {
  const nc = toCount(nullCount);
  // Without tight bounds (after deletion vectors) counts describe the physical rows: a zero
  // null count still holds for the live subset, but "all null" is not trusted.
  const tight = tightBounds !== false;
  const noNulls = nc === 0;
  const allNull = tight && nc !== undefined && nc === numRecords && nc > 0;
  if (allNull) return ALL_NULL;
  const lower = statToDomain(min, type, domain, 'min');
  let upper = statToDomain(max, type, domain, 'max');
  let upperIsPrefix = false;
  if (domain === 'string' && typeof upper === 'string' && upper.length >= stringPrefixLength) {
    // Possibly truncated (Spark keeps 32 characters and may append a tie-breaker character):
    // drop the last code point and use the rest only as a bound on values' prefixes.
    const cps = Array.from(upper);
    upper = cps.slice(0, -1).join('');
    upperIsPrefix = true;
  }
  if (lower === undefined && upper === undefined && !noNulls) return UNKNOWN_BOUNDS;
  // One object shape for every result keeps this hot path monomorphic.
  return { lower, upper, upperIsPrefix, noNulls, allNull: false };
}

function toCount(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof NumberText) return Number(v.text);
  return undefined;
}

function lookup(values: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let cur: unknown = values;
  for (const part of path) {
    if (typeof cur !== 'object' || cur === null || cur instanceof NumberText || Array.isArray(cur))
      return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function statToDomain(
  raw: unknown,
  type: DataType,
  domain: Domain,
  which: 'min' | 'max',
): DomainValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  switch (domain) {
    case 'exact':
      if (typeof raw === 'number') return exactFromNumber(raw, which === 'min' ? 'down' : 'up');
      if (raw instanceof NumberText) return exactFromText(raw.text);
      return typeof raw === 'string' ? exactFromText(raw) : undefined;
    case 'double': {
      const n = raw instanceof NumberText ? Number(raw.text) : typeof raw === 'number' ? raw : Number.NaN;
      if (!Number.isFinite(n)) return undefined;
      // A float stat is the float's shortest decimal text read as a double: widen it by one
      // float ulp so it bounds the float value whether DuckDB compares as FLOAT or DOUBLE.
      if (type.kind === 'primitive' && type.name === 'float')
        return nextFloat32(n, which === 'min' ? 'down' : 'up');
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

/**
 * Microseconds of a date or timestamp stat. Spark writes timestamp stats with millisecond
 * precision, truncating the true value, so a max with fewer than 6 fraction digits is raised to
 * the end of its last digit (at least +999 µs, as Spark and delta-kernel do).
 */
function timeStat(text: string, type: DataType, which: 'min' | 'max'): number | bigint | undefined {
  const t = parseTimeText(text);
  if (t === undefined) return undefined;
  const isDate = type.kind === 'primitive' && type.name === 'date';
  if (isDate || which === 'min' || t.fractionDigits >= 6) return t.micros;
  const pad = t.fractionDigits <= 3 ? 999 : 10 ** (6 - t.fractionDigits) - 1;
  return typeof t.micros === 'number' ? t.micros + pad : timeValue(t.micros + BigInt(pad));
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float32 next to fround(n) in the widening direction. */
export function nextFloat32(n: number, direction: 'down' | 'up'): number {
  f32[0] = n;
  const f = f32[0]!;
  if (!Number.isFinite(f)) return f;
  if (f === 0) return direction === 'up' ? 1.401298464324817e-45 : -1.401298464324817e-45;
  const away = f > 0 === (direction === 'up');
  u32[0] = u32[0]! + (away ? 1 : -1);
  return f32[0]!;
}
