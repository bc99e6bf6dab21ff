// Column bounds of every file of a snapshot, built the first time a predicate needs a column and
// kept for the life of the snapshot's (immutable) file list. The first query over a column reads
// just that column from each stats string (stats-scan.ts); later queries read arrays. Files that
// are certainly empty (numRecords 0) are recorded on the same pass. A new snapshot (even one
// commit later) has a new file list and builds its index again.
import type { AddFile } from '../actions/types.js';
import { boundsOfStatValues, type ColumnBounds, partitionBounds, statsBounds } from './column-bounds.js';
import type { Column } from './resolve-column.js';
import { parseFileStats } from './stats-json.js';
import { type ColumnStatValues, columnStatValues, type StatsReader, statsReader } from './stats-scan.js';

/** Bounds per file (same order as the file list) for each requested column. */
export interface FilesBounds {
  /** 1 where the file has no rows at all. */
  readonly empty: Uint8Array;
  readonly columns: readonly (readonly ColumnBounds[])[];
}

interface FilesIndex {
  empty: Uint8Array | undefined;
  readonly columns: Map<string, readonly ColumnBounds[]>;
}

const indexes = new WeakMap<readonly AddFile[], FilesIndex>();

/**
 * Bounds of `columns` for every file of `files`, cached per file list (pass a snapshot's `files`,
 * which never changes). Columns missing from the cache are read together in one pass.
 */
export function filesBounds(
  files: readonly AddFile[],
  columns: readonly Column[],
  stringPrefixLength: number,
): FilesBounds {
  let index = indexes.get(files);
  if (index === undefined) {
    index = { empty: undefined, columns: new Map() };
    indexes.set(files, index);
  }
  const keys = columns.map((c) => columnKey(c, stringPrefixLength));
  const missingStats: Column[] = [];
  const missingStatsKeys: string[] = [];
  keys.forEach((key, i) => {
    const col = columns[i]!;
    if (index.columns.has(key) || missingStatsKeys.includes(key)) return;
    if (col.partitionKeys !== undefined) {
      index.columns.set(
        key,
        files.map((f) => partitionBounds(f, col.partitionKeys!, col.type, col.domain)),
      );
    } else {
      missingStats.push(col);
      missingStatsKeys.push(key);
    }
  });
  if (missingStats.length > 0 || index.empty === undefined) {
    const read = readStatsColumns(files, missingStats, stringPrefixLength);
    index.empty = read.empty;
    missingStatsKeys.forEach((key, i) => {
      index.columns.set(key, read.columns[i]!);
    });
  }
  return { empty: index.empty, columns: keys.map((k) => index.columns.get(k)!) };
}

function columnKey(c: Column, prefixLength: number): string {
  return c.partitionKeys !== undefined
    ? `p\u0001${c.partitionKeys.join('\u0000')}\u0001${JSON.stringify(c.type)}\u0001${c.domain}`
    : `s\u0001${c.statsPath.join('\u0000')}\u0001${JSON.stringify(c.statsType)}\u0001${c.domain}\u0001${prefixLength}`;
}

function readStatsColumns(
  files: readonly AddFile[],
  columns: readonly Column[],
  prefixLength: number,
): FilesBounds {
  const readers = columns.map((c) => statsReader(c.statsPath));
  const empty = new Uint8Array(files.length);
  const out: ColumnBounds[][] = columns.map(() => new Array<ColumnBounds>(files.length));
  const row: ColumnBounds[] = new Array(columns.length);
  const scratch = columnStatValues();
  for (let i = 0; i < files.length; i++) {
    if (fileBounds(files[i]!, columns, readers, prefixLength, row, scratch)) empty[i] = 1;
    for (let k = 0; k < columns.length; k++) out[k]![i] = row[k]!;
  }
  return { empty, columns: out };
}

const NUM_RECORDS_ONLY = statsReader(undefined);

/**
 * Fills `out` with the bounds of the stats columns `columns` (read by `readers`, one each) for
 * one file; returns true when the file certainly holds no rows.
 */
export function fileBounds(
  file: AddFile,
  columns: readonly Column[],
  readers: readonly StatsReader[],
  prefixLength: number,
  out: ColumnBounds[],
  scratch: ColumnStatValues = columnStatValues(),
): boolean {
  const text = file.stats;
  if (typeof text === 'string' && text !== '') {
    const v = scratch;
    let k = 0;
    for (; k < columns.length; k++) {
      if (!readers[k]!(text, v)) break;
      const c = columns[k]!;
      out[k] = boundsOfStatValues(
        v.numRecords,
        v.tightBounds,
        v.nullCount,
        v.min,
        v.max,
        c.statsType,
        c.domain,
        prefixLength,
      );
    }
    if (k === columns.length && (k > 0 || NUM_RECORDS_ONLY(text, v))) return v.numRecords === 0;
  }
  // Not in the usual layout (or statsParsed from a checkpoint): the full parse decides.
  const stats = parseFileStats(file);
  for (let k = 0; k < columns.length; k++) {
    const c = columns[k]!;
    out[k] = statsBounds(stats, c.statsPath, c.statsType, c.domain, prefixLength);
  }
  return stats?.numRecords === 0;
}
