// OPTIMIZE's bin-packing plan (Delta's OptimizeExecutor): per partition, files smaller than the
// target size are candidates, and candidates are packed greedily (by size) into bins no larger
// than the target. A partition is rewritten only when that changes something: two or more small
// files, or a file whose deletion vector the rewrite would drop.
import type { AddFile } from '../actions/types.js';
import { DeltaError } from '../errors.js';

export const TARGET_FILE_SIZE_KEY = 'delta.targetFileSize';
/** Databricks' default bin size for OPTIMIZE when the table sets no `delta.targetFileSize`. */
export const DEFAULT_TARGET_FILE_SIZE = 134_217_728;

export interface Bin {
  /** The partition values every file of the bin shares (as in `add.partitionValues`). */
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly files: readonly AddFile[];
  readonly size: number;
}

export interface BinPackingPlan {
  readonly bins: readonly Bin[];
  /** Live files the plan looked at (after any partition filter). */
  readonly consideredFiles: number;
  /** Considered files left as they are (large enough, or alone in their partition). */
  readonly skippedFiles: number;
  readonly partitionsOptimized: number;
}

/** `delta.targetFileSize` of a table configuration ("134217728", "128mb", "1g"), in bytes. */
export function targetFileSizeOf(configuration: Readonly<Record<string, string>>): number {
  const raw = configuration[TARGET_FILE_SIZE_KEY];
  return raw === undefined ? DEFAULT_TARGET_FILE_SIZE : parseByteSize(raw);
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Spark byte strings: a plain number of bytes, or with a k/m/g/t(b) suffix (binary units). */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+)\s*([kmgt]?)b?\s*$/iu.exec(text);
  const n = m === null ? Number.NaN : Number(m[1]) * BYTE_UNITS[m[2]!.toLowerCase()]!;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `invalid file size '${text}'; write a positive number of bytes, optionally with a unit (e.g. 134217728 or 128mb)`,
      { value: text },
    );
  }
  return n;
}

const partitionKey = (f: AddFile): string =>
  JSON.stringify(Object.entries(f.partitionValues).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Plans the bins of an OPTIMIZE over `files` (already filtered by any partition predicate). */
export function planBinPacking(files: readonly AddFile[], targetFileSize: number): BinPackingPlan {
  if (!(targetFileSize > 0)) {
    throw new DeltaError('INVALID_ARGUMENT', `target file size ${targetFileSize} must be positive`, {
      targetFileSize,
    });
  }
  const byPartition = new Map<string, AddFile[]>();
  for (const f of files) {
    if (f.size >= targetFileSize && f.deletionVector == null) continue;
    const key = partitionKey(f);
    const group = byPartition.get(key);
    if (group === undefined) byPartition.set(key, [f]);
    else group.push(f);
  }
  const bins: Bin[] = [];
  let partitionsOptimized = 0;
  let rewritten = 0;
  for (const group of byPartition.values()) {
    const partitionBins = packPartition(group, targetFileSize).filter(
      (b) => b.files.length > 1 || b.files.some((f) => f.deletionVector != null),
    );
    if (partitionBins.length === 0) continue;
    partitionsOptimized++;
    for (const b of partitionBins) rewritten += b.files.length;
    bins.push(...partitionBins);
  }
  return {
    bins,
    consideredFiles: files.length,
    skippedFiles: files.length - rewritten,
    partitionsOptimized,
  };
}

// Delta sorts by size and starts a new bin when the next file would overflow the current one;
// a file at or above the target (only here for its deletion vector) gets a bin of its own.
function packPartition(files: readonly AddFile[], target: number): Bin[] {
  const sorted = [...files].sort((a, b) => a.size - b.size || (a.path < b.path ? -1 : 1));
  const partitionValues = sorted[0]!.partitionValues;
  const bins: Bin[] = [];
  let current: AddFile[] = [];
  let size = 0;
  for (const f of sorted) {
    if (current.length > 0 && size + f.size > target) {
      bins.push({ partitionValues, files: current, size });
      current = [];
      size = 0;
    }
    current.push(f);
    size += f.size;
  }
  if (current.length > 0) bins.push({ partitionValues, files: current, size });
  return bins;
}

export interface FileSizeStats {
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly totalFiles: number;
  readonly totalSize: number;
}

/** Databricks' `filesAdded` / `filesRemoved` summary of a set of file sizes. */
export function fileSizeStats(sizes: readonly number[]): FileSizeStats {
  if (sizes.length === 0) return { min: 0, max: 0, avg: 0, totalFiles: 0, totalSize: 0 };
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let total = 0;
  for (const s of sizes) {
    min = Math.min(min, s);
    max = Math.max(max, s);
    total += s;
  }
  return { min, max, avg: total / sizes.length, totalFiles: sizes.length, totalSize: total };
}

/** The 25th/50th/75th percentile of sizes, as Delta's OPTIMIZE commit metrics record them. */
export function sizePercentile(sizes: readonly number[], p: number): number {
  if (sizes.length === 0) return 0;
  const sorted = [...sizes].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
