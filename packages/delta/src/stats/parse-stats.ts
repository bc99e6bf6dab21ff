// Per-file statistics (PROTOCOL.md "Per-file Statistics") from `add.stats` or a checkpoint's
// `stats_parsed`. Values stay as the writer stored them (JSON numbers/strings, nested objects
// for struct columns); interpreting them needs the column type, which data skipping has.
import type { AddFile } from '../actions/types.js';

export type StatsValues = Readonly<Record<string, unknown>>;

export interface FileStats {
  readonly numRecords: number;
  readonly minValues: StatsValues;
  readonly maxValues: StatsValues;
  readonly nullCount: StatsValues;
  /** False when min/max may be wider than the live rows (e.g. after a deletion vector). */
  readonly tightBounds?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// Writers put numRecords first ({"numRecords":123,...}); anything else takes the full parse.
const LEADING_NUM_RECORDS = /^\s*\{\s*"numRecords"\s*:\s*(\d+)\s*[,}]/;

/**
 * The file's physical row count (stats numRecords, deleted rows included), or undefined when not
 * recorded. Cheaper than parseStats for the common case: the count is read off the front of the
 * JSON text when it stands first.
 */
export function statsNumRecords(add: Pick<AddFile, 'stats' | 'statsParsed'>): number | undefined {
  if (typeof add.stats === 'string') {
    const m = LEADING_NUM_RECORDS.exec(add.stats);
    if (m !== null) return Number(m[1]);
  }
  return parseStats(add)?.numRecords;
}

/** Statistics of an add, or undefined when it has none (or they are unreadable). */
export function parseStats(add: Pick<AddFile, 'stats' | 'statsParsed'>): FileStats | undefined {
  let raw: unknown = add.statsParsed;
  if (typeof add.stats === 'string' && add.stats !== '') {
    try {
      raw = JSON.parse(add.stats);
    } catch {
      // Stats are an optimization: unreadable stats mean "unknown", never a failed read.
      return undefined;
    }
  }
  if (!isObject(raw)) return undefined;
  const n = raw.numRecords;
  const numRecords =
    typeof n === 'number' ? n : typeof n === 'string' && /^\d+$/.test(n) ? Number(n) : undefined;
  if (numRecords === undefined) return undefined;
  return {
    numRecords,
    minValues: isObject(raw.minValues) ? raw.minValues : {},
    maxValues: isObject(raw.maxValues) ? raw.maxValues : {},
    nullCount: isObject(raw.nullCount) ? raw.nullCount : {},
    ...(typeof raw.tightBounds === 'boolean' ? { tightBounds: raw.tightBounds } : {}),
  };
}
