// OPTIMIZE (bin-packing): small files of each partition are read through the engine (deletion
// vectors applied, so deleted rows are dropped) and rewritten as files of the target size, in one
// commit whose removes and adds carry dataChange=false: readers of the change feed and streaming
// sources skip it, because no row changed.
import {
  type Action,
  type AddFile,
  type Bin,
  checkWriteSupport,
  clusteringColumnNames,
  DeltaError,
  fileActionKey,
  fileSizeStats,
  isClustered,
  LIQUID_CLUSTERING_PROVIDER,
  planBinPacking,
  type Snapshot,
  sizePercentile,
  targetFileSizeOf,
  type ZOrderStats,
} from '@loch/delta';
import { toDuckType } from '@loch/engine-duckdb';
import { type CommitOutcome, type CommitPlan, commit, deleteFiles } from './commit.js';
import { writeDataFiles } from './data-files.js';
import { removeFor, totalSize } from './file-actions.js';
import { planReplaceWhere } from './replace-where.js';
import { buildScanSpec } from './scan.js';
import { quoteIdent } from './sql-text.js';
import type { TableHandle } from './table-handle.js';
import type { OptimizeMetrics, OptimizeOptions, OptimizeResult } from './types.js';
import { resolveZOrderColumns, writeZOrdered, zOrderGroups } from './zorder.js';

/** Fails naming the first column of `predicate` that is not a partition column. */
async function checkPartitionPredicate(h: TableHandle, snapshot: Snapshot, predicate: string): Promise<void> {
  const cols = snapshot.partitionColumns.map((name) => {
    const field = snapshot.schema.fields.find((f) => f.name === name);
    const type = field === undefined ? 'VARCHAR' : toDuckType(field.type);
    return `CAST(NULL AS ${type}) AS ${quoteIdent(name)}`;
  });
  const relation = `SELECT ${cols.length > 0 ? cols.join(', ') : 'NULL AS __loch_none'}`;
  try {
    await h.engine.describe(`SELECT 1 FROM (${relation}) AS __p WHERE (${predicate})`);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const column = /Referenced column "?([^"\s]+)"? not found/u.exec(message)?.[1];
    const partitions = snapshot.partitionColumns.length > 0 ? snapshot.partitionColumns.join(', ') : 'none';
    throw new DeltaError(
      'INVALID_ARGUMENT',
      column !== undefined
        ? `OPTIMIZE WHERE may only reference partition columns, but '${predicate}' references non-partition column '${column}' (partition columns: ${partitions})`
        : `OPTIMIZE WHERE predicate '${predicate}' is not a valid condition on the partition columns (${partitions}): ${message.split('\n')[0]}`,
      column !== undefined ? { predicate, column } : { predicate },
    );
  }
}

async function selectFiles(
  h: TableHandle,
  snapshot: Snapshot,
  where: string | undefined,
): Promise<readonly AddFile[]> {
  if (where === undefined) return snapshot.files;
  await checkPartitionPredicate(h, snapshot, where);
  if (snapshot.files.length === 0) return [];
  return (await planReplaceWhere(h, snapshot, where)).remove;
}

/** The rows of a bin, live rows only, in table schema order. */
async function binSql(h: TableHandle, snapshot: Snapshot, bin: Bin): Promise<string> {
  const scan = await h.engine.scanSql(await buildScanSpec(h, snapshot, { files: bin.files }));
  const cols = snapshot.schema.fields.map((f) => quoteIdent(f.name)).join(', ');
  return `SELECT ${cols} FROM (${scan}) AS __bin`;
}

const statsColumnCount = (snapshot: Snapshot): number => {
  const n = Number(snapshot.metadata.configuration['delta.dataSkippingNumIndexedCols'] ?? 32);
  return n < 0 ? snapshot.schema.fields.length : Math.min(n, snapshot.schema.fields.length);
};

const MAX_REBASES = 10;

/** Delta's add tag naming the columns a file was Z-ordered by (a JSON array, as Delta writes it). */
export const ZORDER_BY_TAG = 'ZCUBE_ZORDER_BY';

/**
 * Bins written at once (Delta runs bins as parallel tasks). Two overlap one bin's single-threaded
 * parts (opening many small files, finishing the output file) with another's scan; more only
 * compete for the same cores and memory.
 */
const BIN_CONCURRENCY = 2;

/**
 * `fn` over `items`, at most BIN_CONCURRENCY at a time, results in input order. Waits for every
 * started call before rethrowing the first failure, so the caller's cleanup sees all written files.
 */
async function forEachConcurrently<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BIN_CONCURRENCY, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

const fingerprint = (s: Snapshot): string => JSON.stringify([s.metadata, s.protocol]);

/**
 * Commits, moving past concurrent commits that leave the compacted files alone (Delta's rule:
 * OPTIMIZE read only the files it rewrites, so a concurrent append does not conflict with it).
 * A concurrent commit that removed one of those files, or changed metadata or protocol, wins.
 */
async function commitRebasing(
  h: TableHandle,
  read: Snapshot,
  removed: readonly AddFile[],
  planFor: (base: Snapshot) => CommitPlan,
): Promise<CommitOutcome> {
  let base = read;
  for (let attempt = 0; ; attempt++) {
    try {
      return await commit(h, planFor(base));
    } catch (e) {
      if (!(e instanceof DeltaError && e.code === 'CONCURRENT_MODIFICATION') || attempt >= MAX_REBASES)
        throw e;
      const latest = await h.require();
      const live = new Set(latest.files.map((f) => fileActionKey(f)));
      if (fingerprint(latest) !== fingerprint(read) || !removed.every((f) => live.has(fileActionKey(f)))) {
        throw e;
      }
      base = latest;
    }
  }
}

/** Auto compaction's OPTIMIZE: the files it may rewrite, bin-packed only, recorded as auto. */
export interface AutoCompactScope {
  readonly select: (snapshot: Snapshot) => readonly AddFile[];
}

export async function optimizeTable(
  h: TableHandle,
  opts: OptimizeOptions = {},
  auto?: AutoCompactScope,
): Promise<OptimizeResult> {
  const startTimeMs = h.now();
  const snapshot = await h.require();
  checkWriteSupport(snapshot.protocol);
  const target = opts.targetFileSize ?? targetFileSizeOf(snapshot.metadata.configuration);
  const files = auto === undefined ? await selectFiles(h, snapshot, opts.where) : auto.select(snapshot);
  const clusterBy = auto === undefined ? clusteringColumnNames(snapshot) : [];
  if (clusterBy.length > 0 && opts.zOrderBy !== undefined && opts.zOrderBy.length > 0) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `OPTIMIZE ... ZORDER BY cannot be used on a clustered table (clustered by ${clusterBy.join(', ')}); run OPTIMIZE without ZORDER BY to cluster`,
      { clusteringColumns: clusterBy },
    );
  }
  // Z-order (explicit, or liquid clustering's) rewrites whole partitions; clustering only the
  // files not clustered yet, so repeated OPTIMIZEs are incremental.
  const zOrderBy =
    clusterBy.length > 0
      ? clusterBy
      : opts.zOrderBy !== undefined && opts.zOrderBy.length > 0
        ? resolveZOrderColumns(snapshot, opts.zOrderBy)
        : undefined;
  const zFiles = clusterBy.length > 0 ? files.filter((f) => !isClustered(f)) : files;
  // As on Databricks, a partition whose files all come from a Z-order by the same columns, with
  // nothing added or deleted since, is left alone: Z-ordering it again would change nothing.
  const zTag = zOrderBy === undefined ? undefined : JSON.stringify(zOrderBy);
  const zGroups =
    zOrderBy === undefined
      ? []
      : zOrderGroups(zFiles).filter(
          (g) =>
            clusterBy.length > 0 ||
            !g.files.every((f) => f.tags?.[ZORDER_BY_TAG] === zTag && f.deletionVector == null),
        );
  const zSkipped = zFiles.length - zGroups.reduce((n, g) => n + g.files.length, 0);
  const plan =
    zOrderBy === undefined
      ? planBinPacking(files, target)
      : {
          bins: zGroups,
          consideredFiles: files.length,
          skippedFiles: files.length - zFiles.length + zSkipped,
          partitionsOptimized: zGroups.length,
        };
  const removed = plan.bins.flatMap((b) => b.files);
  const dataTarget = {
    schema: snapshot.schema,
    partitionColumns: snapshot.partitionColumns,
    columnMappingMode: snapshot.columnMappingMode,
    configuration: snapshot.metadata.configuration,
  };
  const written: string[] = [];
  const adds: AddFile[] = [];
  try {
    // One write per bin (Delta runs one task per bin), so a bin becomes one file. Only a large
    // file rewritten for its deletion vector exceeds the target: the engine rolls that over, where
    // it can (DuckDB cannot combine a file size limit with partitioned output).
    for (const bin of zOrderBy === undefined ? [] : plan.bins) {
      const z = await writeZOrdered(
        h,
        await binSql(h, snapshot, bin),
        zOrderBy!,
        dataTarget,
        bin.size,
        target,
      );
      written.push(...z.paths);
      for (const add of z.adds) {
        adds.push(
          clusterBy.length > 0
            ? { ...add, dataChange: false, clusteringProvider: LIQUID_CLUSTERING_PROVIDER }
            : { ...add, dataChange: false, tags: { ...add.tags, [ZORDER_BY_TAG]: zTag! } },
        );
      }
    }
    const binData = await forEachConcurrently(zOrderBy === undefined ? plan.bins : [], async (bin) => {
      // Always with the size limit when the engine can apply it: besides splitting an oversized
      // rewrite, DuckDB's size-rotating COPY writes one file ~25% faster than a plain single-file
      // COPY (measured on 10M rows from 1,000 files), and a bin's output stays one file.
      const rollOver = snapshot.partitionColumns.length === 0;
      const data = await writeDataFiles(
        h,
        await binSql(h, snapshot, bin),
        dataTarget,
        rollOver ? { targetFileSize: target } : {},
      );
      written.push(...data.paths);
      return data;
    });
    for (const data of binData) for (const add of data.adds) adds.push({ ...add, dataChange: false });
    const now = h.now();
    const dvs = removed.filter((f) => f.deletionVector != null);
    const addedSizes = adds.map((a) => a.size);
    const removedSizes = removed.map((f) => f.size);
    let version: number | undefined;
    if (plan.bins.length > 0) {
      const actions: Action[] = [...removed.map((f) => removeFor(f, now, false)), ...adds];
      const committed = await commitRebasing(h, snapshot, removed, (base) => ({
        operation: 'OPTIMIZE',
        operationParameters: {
          predicate: JSON.stringify(opts.where === undefined ? [] : [opts.where]),
          zOrderBy: JSON.stringify(clusterBy.length > 0 ? [] : (zOrderBy ?? [])),
          ...(clusterBy.length > 0 ? { clusterBy: JSON.stringify(clusterBy) } : {}),
          auto: auto === undefined ? 'false' : 'true',
        },
        // The names Delta records in commitInfo for OPTIMIZE (DESCRIBE HISTORY shows them).
        operationMetrics: {
          numRemovedFiles: removed.length,
          numRemovedBytes: totalSize(removed),
          p25FileSize: sizePercentile(addedSizes, 25),
          p50FileSize: sizePercentile(addedSizes, 50),
          p75FileSize: sizePercentile(addedSizes, 75),
          minFileSize: fileSizeStats(addedSizes).min,
          maxFileSize: fileSizeStats(addedSizes).max,
          numAddedFiles: adds.length,
          numAddedBytes: totalSize(adds),
          numDeletionVectorsRemoved: dvs.length,
        },
        actions,
        readSnapshot: base,
        isBlindAppend: false,
      }));
      version = committed.version;
    }
    const metrics: OptimizeMetrics = {
      numFilesAdded: adds.length,
      numFilesRemoved: removed.length,
      filesAdded: fileSizeStats(addedSizes),
      filesRemoved: fileSizeStats(removedSizes),
      partitionsOptimized: plan.partitionsOptimized,
      zOrderStats:
        zOrderBy === undefined
          ? null
          : ({
              strategyName: clusterBy.length > 0 ? 'liquid' : 'all',
              inputCubeFiles: { num: 0, size: 0 },
              inputOtherFiles: { num: removed.length, size: totalSize(removed) },
              inputNumCubes: 0,
              mergedFiles: { num: removed.length, size: totalSize(removed) },
              numOutputCubes: plan.bins.length,
            } satisfies ZOrderStats),
      numBatches: plan.bins.length > 0 ? 1 : 0,
      totalConsideredFiles: plan.consideredFiles,
      totalFilesSkipped: plan.skippedFiles,
      preserveInsertionOrder: true,
      numFilesSkippedToReduceWriteAmplification: 0,
      numBytesSkippedToReduceWriteAmplification: 0,
      startTimeMs,
      endTimeMs: h.now(),
      totalClusterParallelism: 1,
      totalScheduledTasks: plan.bins.length,
      autoCompactParallelismStats: null,
      deletionVectorStats: {
        numDeletionVectorsRemoved: dvs.length,
        numDeletionVectorRowsRemoved: dvs.reduce((n, f) => n + (f.deletionVector?.cardinality ?? 0), 0),
      },
      numTableColumns: snapshot.schema.fields.length,
      numTableColumnsWithStats: statsColumnCount(snapshot),
    };
    return version === undefined ? { path: h.location, metrics } : { version, path: h.location, metrics };
  } catch (e) {
    await deleteFiles(h, written);
    throw e;
  }
}
