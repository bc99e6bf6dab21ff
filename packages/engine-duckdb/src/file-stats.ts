// DuckDB's COPY ... RETURN_STATS text -> Delta per-file statistics (PROTOCOL.md "Per-file Statistics"),
// formatted as Spark writes them so Spark and delta-rs skip files on our stats exactly as on theirs.
// Every bound we emit is sound: when a value cannot be represented exactly we round outward or omit it.
import type { DataType, StructField } from '@loch/delta';
import { type ColumnMappingMode, physicalName } from './column-mapping.js';
import { quoteIdent } from './sql-text.js';
import type { FileStats } from './types.js';

/** Per column (DuckDB key like `"a"."b"`), the stats entries DuckDB returned (`min`, `max`, `null_count`...). */
export type DuckColumnStats = Readonly<Record<string, Readonly<Record<string, string | null>>>>;

export interface StatsSelection {
  /** Leading leaf columns to collect (delta.dataSkippingNumIndexedCols); -1 = all. Default 32. */
  readonly numIndexedCols?: number;
  /** delta.dataSkippingStatsColumns: logical column paths (`a`, `s.x`, `` `a.b` ``); overrides numIndexedCols. */
  readonly statsColumns?: readonly string[];
}

/** Spark's delta.dataSkippingStringPrefixLength default. */
export const STRING_PREFIX_LENGTH = 32;
export const DEFAULT_NUM_INDEXED_COLS = 32;

interface Leaf {
  readonly physical: readonly string[];
  readonly logical: readonly string[];
  readonly type: DataType;
}

function leaves(
  fields: readonly StructField[],
  mode: ColumnMappingMode,
  phys: string[] = [],
  log: string[] = [],
): Leaf[] {
  const out: Leaf[] = [];
  for (const f of fields) {
    const p = [...phys, physicalName(f, mode)];
    const l = [...log, f.name];
    if (f.type.kind === 'struct') out.push(...leaves(f.type.fields, mode, p, l));
    else out.push({ physical: p, logical: l, type: f.type });
  }
  return out;
}

/** Splits `a.b`, `` `a.b`.c `` into path segments. */
export function parseColumnPath(text: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '`') {
      if (quoted && text[i + 1] === '`') {
        cur += '`';
        i++;
      } else quoted = !quoted;
    } else if (ch === '.' && !quoted) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(quoted ? cur : cur.trim());
  return parts;
}

function selectLeaves(all: readonly Leaf[], selection: StatsSelection): Leaf[] {
  if (selection.statsColumns !== undefined) {
    const paths = selection.statsColumns.map((c) => parseColumnPath(c).map((s) => s.toLowerCase()));
    return all.filter((leaf) =>
      paths.some(
        (p) => p.length <= leaf.logical.length && p.every((seg, i) => seg === leaf.logical[i]!.toLowerCase()),
      ),
    );
  }
  const n = selection.numIndexedCols ?? DEFAULT_NUM_INDEXED_COLS;
  return n < 0 ? [...all] : all.slice(0, n);
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let obj = target;
  for (const seg of path.slice(0, -1)) {
    let next = obj[seg];
    if (typeof next !== 'object' || next === null) {
      next = {};
      obj[seg] = next;
    }
    obj = next as Record<string, unknown>;
  }
  obj[path[path.length - 1]!] = value;
}

/** Builds Delta stats for one written file; keys are physical names (= logical without column mapping). */
export function deltaStatsFromDuckDb(
  numRecords: number,
  columnStats: DuckColumnStats,
  dataFields: readonly StructField[],
  mode: ColumnMappingMode,
  selection: StatsSelection = {},
): FileStats {
  const minValues: Record<string, unknown> = {};
  const maxValues: Record<string, unknown> = {};
  const nullCount: Record<string, unknown> = {};
  for (const leaf of selectLeaves(leaves(dataFields, mode), selection)) {
    // Arrays, maps and variants have no single parquet column carrying their own null count.
    if (leaf.type.kind !== 'primitive' && leaf.type.kind !== 'decimal') continue;
    if (leaf.type.kind === 'primitive' && (leaf.type.name === 'void' || leaf.type.name === 'variant'))
      continue;
    const entry = columnStats[leaf.physical.map(quoteIdent).join('.')];
    if (entry === undefined) continue;
    const nulls = entry['null_count'];
    if (nulls !== undefined && nulls !== null) setPath(nullCount, leaf.physical, Number(nulls));
    const min = entry['min'];
    const max = entry['max'];
    if (min !== undefined && min !== null) {
      const v = statValue(min, leaf.type, 'min');
      if (v !== undefined) setPath(minValues, leaf.physical, v);
    }
    if (max !== undefined && max !== null) {
      const v = statValue(max, leaf.type, 'max');
      if (v !== undefined) setPath(maxValues, leaf.physical, v);
    }
  }
  return { numRecords, minValues, maxValues, nullCount };
}

/** One min/max value in Delta's JSON form, or undefined when no sound bound can be written. */
export function statValue(text: string, type: DataType, bound: 'min' | 'max'): unknown {
  if (type.kind === 'decimal') {
    // JSON numbers go through doubles in most readers: beyond 15 significant digits a bound could
    // move inward, so omit it rather than risk skipping a file that matches.
    const digits = text.replace(/^[+-]/, '').replace('.', '').replace(/^0+/, '');
    return digits.length <= 15 ? Number(text) : undefined;
  }
  if (type.kind !== 'primitive') return undefined;
  switch (type.name) {
    case 'long':
    case 'integer':
    case 'short':
    case 'byte': {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case 'float':
    case 'double': {
      const n = Number(text);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : undefined;
    case 'timestamp':
    case 'timestamp_ntz': {
      const micros = parseTimestampMicros(text);
      if (micros === undefined) return undefined;
      // Delta stats carry milliseconds: round the lower bound down and the upper bound up.
      const ms = bound === 'min' ? floorDiv(micros, 1000n) : -floorDiv(-micros, 1000n);
      const iso = new Date(Number(ms)).toISOString();
      return type.name === 'timestamp' ? iso : iso.slice(0, -1);
    }
    case 'string':
      return bound === 'min' ? truncateMinString(text) : truncateMaxString(text);
    default:
      // boolean, binary: Spark collects no min/max for them.
      return undefined;
  }
}

const floorDiv = (a: bigint, b: bigint): bigint => (a % b === 0n || a >= 0n ? a / b : a / b - 1n);

const TS =
  /^(-?\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/** Microseconds since the epoch for DuckDB's timestamp text ('2021-01-01 10:00:00.123456+00'). */
export function parseTimestampMicros(text: string): bigint | undefined {
  const m = TS.exec(text.trim());
  if (m === null) return undefined;
  const d = new Date(Date.UTC(2000, 0, 1, Number(m[4]), Number(m[5]), Number(m[6])));
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const frac = (m[7] ?? '').padEnd(9, '0');
  let micros = BigInt(d.getTime()) * 1000n + BigInt(frac.slice(0, 6));
  if (m[9] !== undefined) {
    const offsetMin = Number(m[10]) * 60 + Number(m[11] ?? '0');
    micros -= BigInt((m[9] === '-' ? -1 : 1) * offsetMin) * 60_000_000n;
  }
  return micros;
}

/** The first 32 characters (code points): a prefix is never greater than the string. */
export function truncateMinString(s: string, prefix = STRING_PREFIX_LENGTH): string {
  const cps = Array.from(s);
  return cps.length <= prefix ? s : cps.slice(0, prefix).join('');
}

/**
 * A string of about 32 characters that is >= `s` in UTF-8 order: the prefix plus a tie-breaker larger
 * than the next character (DEL when that one is ASCII, else U+10FFFF), as delta-spark does. Looks up to
 * twice the prefix length for a character the tie-breaker beats; undefined when there is none.
 */
export function truncateMaxString(s: string, prefix = STRING_PREFIX_LENGTH): string | undefined {
  const cps = Array.from(s);
  if (cps.length <= prefix) return s;
  for (let i = prefix; i < Math.min(cps.length, 2 * prefix); i++) {
    const c = cps[i]!.codePointAt(0)!;
    if (c < 0x7f) return cps.slice(0, i).join('') + '\u007f';
    if (c < 0x10ffff) return cps.slice(0, i).join('') + '\u{10ffff}';
  }
  return undefined;
}
