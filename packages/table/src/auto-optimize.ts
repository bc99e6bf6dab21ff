// Auto-optimize, as Databricks defines it: `delta.autoOptimize.optimizeWrite` makes a write produce
// fewer, larger files (one per partition, or target-size files when unpartitioned), and
// `delta.autoOptimize.autoCompact` bin-packs the small files of the partitions a write touched
// right after its commit: after plain writes and, as on Databricks, after any DML commit (DELETE,
// UPDATE, MERGE: the partitions their adds and removes touched). Compaction is best effort: it never fails the write that triggered it,
// and a concurrent writer wins over it (OPTIMIZE only rebases past commits that leave its files).
import { type Action, type AddFile, parseByteSize, type Snapshot, targetFileSizeOf } from '@loch/delta';
import type { DataFileTarget } from './data-files.js';
import { optimizeTable } from './optimize.js';
import { sessionOverrides } from './session-overrides.js';
import { quoteIdent } from './sql-text.js';
import type { TableHandle } from './table-handle.js';
import type { OptimizeResult } from './types.js';

export const OPTIMIZE_WRITE_KEY = 'delta.autoOptimize.optimizeWrite';
export const AUTO_COMPACT_KEY = 'delta.autoOptimize.autoCompact';
/** Table-level overrides of Databricks' session confs of the same suffix (tests use small values). */
export const MIN_NUM_FILES_KEY = 'loch.autoCompact.minNumFiles';
export const MAX_FILE_SIZE_KEY = 'loch.autoCompact.maxFileSize';
/** Databricks' session confs for the auto compaction thresholds. */
export const SPARK_MIN_NUM_FILES_KEY = 'spark.databricks.delta.autoCompact.minNumFiles';
export const SPARK_MAX_FILE_SIZE_KEY = 'spark.databricks.delta.autoCompact.maxFileSize';

/** `spark.databricks.delta.autoCompact.minNumFiles`' default. */
export const DEFAULT_MIN_NUM_FILES = 50;
/** `spark.databricks.delta.autoCompact.maxFileSize`' default: files below it are "small". */
export const DEFAULT_MAX_FILE_SIZE = 134_217_728;

type Configuration = Readonly<Record<string, string>>;

/** Databricks accepts `true`, and `auto`/`legacy` for autoCompact; anything else is off. */
const isOn = (value: string | undefined, extra: readonly string[] = []): boolean => {
  const v = value?.trim().toLowerCase();
  return v === 'true' || (v !== undefined && extra.includes(v));
};

/** The table property, unless the session turned optimized writes on or off for every table. */
export const optimizeWriteEnabled = (configuration: Configuration): boolean =>
  sessionOverrides().optimizeWrite ?? isOn(configuration[OPTIMIZE_WRITE_KEY]);

/** The table property, unless the session turned auto compaction on or off for every table. */
export const autoCompactEnabled = (configuration: Configuration): boolean =>
  sessionOverrides().autoCompact ?? isOn(configuration[AUTO_COMPACT_KEY], ['auto', 'legacy']);

export interface AutoCompactSettings {
  /** Compaction runs when the touched partitions hold at least this many small files. */
  readonly minNumFiles: number;
  /** Files smaller than this are small; it is also the bin size of the compaction. */
  readonly maxFileSize: number;
}

export function autoCompactSettings(configuration: Configuration): AutoCompactSettings {
  const session = sessionOverrides();
  const rawMin =
    session.autoCompactMinNumFiles ??
    configuration[MIN_NUM_FILES_KEY] ??
    configuration[SPARK_MIN_NUM_FILES_KEY];
  const min = rawMin === undefined ? Number.NaN : Number(rawMin);
  const rawMax =
    session.autoCompactMaxFileSize ??
    configuration[MAX_FILE_SIZE_KEY] ??
    configuration[SPARK_MAX_FILE_SIZE_KEY];
  return {
    // Two files is the least that compaction can merge.
    minNumFiles: Number.isInteger(min) && min >= 2 ? min : DEFAULT_MIN_NUM_FILES,
    maxFileSize: rawMax === undefined ? DEFAULT_MAX_FILE_SIZE : parseByteSize(rawMax),
  };
}

export interface OptimizedWrite {
  readonly sql: string;
  readonly options: { readonly targetFileSize?: number };
}

/**
 * The write of `sql` under optimized writes. Partitioned: rows arrive grouped by partition (the
 * shuffle Databricks does), so the engine keeps one file open per partition instead of closing
 * and reopening files once a write spans more partitions than it keeps open. Unpartitioned: files
 * roll over at the table's target file size.
 */
export function optimizedWrite(sql: string, target: DataFileTarget): OptimizedWrite {
  if (!optimizeWriteEnabled(target.configuration)) return { sql, options: {} };
  if (target.partitionColumns.length === 0) {
    return { sql, options: { targetFileSize: targetFileSizeOf(target.configuration) } };
  }
  const order = target.partitionColumns.map((c) => quoteIdent(c)).join(', ');
  return { sql: `SELECT * FROM (${sql}) AS __loch_ow ORDER BY ${order}`, options: {} };
}

type PartitionValues = Readonly<Record<string, string | null>>;

const partitionKey = (values: PartitionValues): string =>
  JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The small files auto compaction rewrites in `snapshot`: in each partition `written` touched (the
 * table, when unpartitioned) that holds at least `minNumFiles` small files, all of them.
 */
export function autoCompactFiles(
  snapshot: Snapshot,
  written: readonly { readonly partitionValues: PartitionValues }[],
  settings: AutoCompactSettings,
): AddFile[] {
  const touched = new Set(written.map((a) => partitionKey(a.partitionValues)));
  const byPartition = new Map<string, AddFile[]>();
  for (const f of snapshot.files) {
    if (f.size >= settings.maxFileSize) continue;
    const key = snapshot.partitionColumns.length === 0 ? '' : partitionKey(f.partitionValues);
    if (key !== '' && !touched.has(key)) continue;
    const group = byPartition.get(key);
    if (group === undefined) byPartition.set(key, [f]);
    else group.push(f);
  }
  return [...byPartition.values()].filter((g) => g.length >= settings.minNumFiles).flat();
}

export type AutoCompactOutcome =
  | { readonly kind: 'disabled' }
  | { readonly kind: 'skipped' }
  | { readonly kind: 'compacted'; readonly result: OptimizeResult }
  | { readonly kind: 'failed'; readonly error: unknown };

/**
 * Runs auto compaction after a write committed `written`, when the table enables it. Never
 * throws: a failure is returned and kept on the handle (`lastAutoCompactError`), and the files the
 * compaction wrote are deleted by OPTIMIZE itself.
 */
export async function autoCompactAfterWrite(
  h: TableHandle,
  configuration: Configuration,
  written: readonly { readonly partitionValues: PartitionValues }[],
): Promise<AutoCompactOutcome> {
  if (!autoCompactEnabled(configuration) || written.length === 0) return { kind: 'disabled' };
  try {
    const settings = autoCompactSettings(configuration);
    const result = await optimizeTable(
      h,
      { targetFileSize: settings.maxFileSize },
      { select: (snapshot) => autoCompactFiles(snapshot, written, settings) },
    );
    return result.version === undefined ? { kind: 'skipped' } : { kind: 'compacted', result };
  } catch (error) {
    h.lastAutoCompactError = error;
    return { kind: 'failed', error };
  }
}

/**
 * Auto compaction after a DML commit of `actions` on a table read at `snapshot`: the partitions its
 * adds and removes touched (a DELETE that only drops files leaves small neighbours behind too).
 * The one call DELETE, UPDATE and MERGE make after committing; never throws.
 */
export function autoCompactAfterCommit(
  h: TableHandle,
  snapshot: Snapshot,
  actions: readonly Action[],
): Promise<AutoCompactOutcome> {
  const touched: { partitionValues: PartitionValues }[] = [];
  for (const a of actions) {
    if (a.kind === 'add') touched.push(a);
    else if (a.kind === 'remove' && a.partitionValues != null)
      touched.push({ partitionValues: a.partitionValues });
  }
  return autoCompactAfterWrite(h, snapshot.metadata.configuration, touched);
}
