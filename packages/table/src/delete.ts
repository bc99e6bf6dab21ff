// DELETE FROM t [WHERE p]. Whole files go without being read when the predicate is on partition
// columns only (or absent); otherwise the files that can hold a match (partition values, stats)
// are scanned once for matching rows. Files whose every live row matches are removed; the rest
// either get a deletion vector (delta.enableDeletionVectors) or are rewritten without the
// matching rows (copy-on-write). Nothing is committed when nothing matches, as in Delta.
import { type Action, type AddFile, checkWriteSupport, type ReadSet, type Snapshot } from '@loch/delta';
import { autoCompactAfterCommit } from './auto-optimize.js';
import { recordsChanges, tagChanges, writeChangeDataFiles } from './change-data-files.js';
import { commit, deleteFiles } from './commit.js';
import { writeDataFiles } from './data-files.js';
import { writeDeletionVectors } from './deletion-vectors.js';
import { checkDeterministic } from './deterministic-conditions.js';
import {
  candidateFiles,
  checkNotAppendOnly,
  DEFAULT_ALIAS,
  dmlReadSet,
  type FileMatch,
  filesByPartition,
  filesScanSql,
  findMatches,
  isPartitionPredicate,
  liveRowsFromStats,
  predicateExpr,
  since,
  usesDeletionVectors,
  withConflictRetries,
} from './dml-common.js';
import { removeFor, totalSize } from './file-actions.js';
import { quoteIdent } from './sql-text.js';
import type { TableHandle } from './table-handle.js';
import type { DeleteOptions, DeleteResult } from './types.js';

interface DeletePlan {
  /** Files removed outright (every live row deleted). */
  readonly dropped: readonly AddFile[];
  /** Files with some rows deleted. */
  readonly partial: readonly FileMatch[];
  readonly deletedRows: number;
  readonly read: ReadSet;
  readonly scanTimeMs: number;
}

async function planDelete(
  h: TableHandle,
  snapshot: Snapshot,
  predicate: string | undefined,
  alias: string,
  withRows: boolean,
): Promise<DeletePlan> {
  const started = performance.now();
  const sumRows = (files: readonly AddFile[]): number =>
    files.reduce((n, f) => n + (liveRowsFromStats(f) ?? 0), 0);
  if (predicate === undefined) {
    const files = snapshot.files;
    return {
      dropped: files,
      partial: [],
      deletedRows: sumRows(files),
      read: { wholeTable: true, files, partitionPredicate: () => true },
      scanTimeMs: since(started),
    };
  }
  const expr = await predicateExpr(h, snapshot, predicate, alias);
  if (await isPartitionPredicate(h, snapshot, predicate, alias)) {
    const dropped = await filesByPartition(h, snapshot, snapshot.files, predicate, alias);
    return {
      dropped,
      partial: [],
      deletedRows: sumRows(dropped),
      read: dmlReadSet(snapshot, dropped, expr),
      scanTimeMs: since(started),
    };
  }
  const candidates = candidateFiles(snapshot, expr);
  const matches = await findMatches(h, snapshot, candidates, predicate, { alias, withRows });
  const dropped = matches.filter((m) => m.matchedRows === m.liveRows).map((m) => m.file);
  const partial = matches.filter((m) => m.matchedRows < m.liveRows);
  return {
    dropped,
    partial,
    deletedRows: matches.reduce((n, m) => n + m.matchedRows, 0),
    read: dmlReadSet(snapshot, candidates, expr),
    scanTimeMs: since(started),
  };
}

const normalize = (predicate: string | undefined): string | undefined =>
  predicate === undefined || predicate.trim() === '' ? undefined : predicate.trim();

export async function deleteRows(
  h: TableHandle,
  predicateSql: string | undefined,
  opts: DeleteOptions = {},
): Promise<DeleteResult> {
  const where = normalize(predicateSql);
  if (where !== undefined) await checkDeterministic(h, 'DELETE', [{ clause: 'WHERE', condition: where }]);
  return withConflictRetries(opts.maxConflictRetries, () => deleteOnce(h, predicateSql, opts));
}

async function deleteOnce(
  h: TableHandle,
  predicateSql: string | undefined,
  opts: DeleteOptions = {},
): Promise<DeleteResult> {
  const started = performance.now();
  const snapshot = await h.require();
  checkWriteSupport(snapshot.protocol);
  checkNotAppendOnly(h, snapshot, 'DELETE');
  const predicate = normalize(predicateSql);
  const alias = opts.alias ?? DEFAULT_ALIAS;
  const dv = usesDeletionVectors(snapshot);
  const plan = await planDelete(h, snapshot, predicate, alias, dv);
  if (plan.dropped.length === 0 && plan.partial.length === 0) {
    return { version: snapshot.version, numDeletedRows: 0, committed: false, ...emptyCounts };
  }
  const now = h.now();
  const rewriteStarted = performance.now();
  const written: string[] = [];
  try {
    const actions: Action[] = plan.dropped.map((f) => removeFor(f, now));
    let numAddedFiles = 0;
    let numAddedBytes = 0;
    let numCopiedRows = 0;
    let numRemovedFiles = plan.dropped.length;
    let removedBytes = totalSize(plan.dropped);
    const dvCounts = {
      numDeletionVectorsAdded: 0,
      numDeletionVectorsRemoved: 0,
      numDeletionVectorsUpdated: 0,
    };
    // A dropped file's own vector disappears with it.
    dvCounts.numDeletionVectorsRemoved += plan.dropped.filter((f) => f.deletionVector != null).length;
    if (plan.partial.length > 0 && dv) {
      const dvs = await writeDeletionVectors(
        h,
        plan.partial.map((m) => ({ file: m.file, rows: m.rows ?? [] })),
        now,
      );
      if (dvs.path !== undefined) written.push(dvs.path);
      actions.push(...dvs.actions);
      dvCounts.numDeletionVectorsAdded += dvs.numDeletionVectorsAdded;
      dvCounts.numDeletionVectorsRemoved += dvs.numDeletionVectorsRemoved;
      dvCounts.numDeletionVectorsUpdated += dvs.numDeletionVectorsUpdated;
    } else if (plan.partial.length > 0) {
      const files = plan.partial.map((m) => m.file);
      const scan = await filesScanSql(h, snapshot, files);
      const cols = snapshot.schema.fields.map((f) => quoteIdent(f.name)).join(', ');
      const keep = `SELECT ${cols} FROM (${scan}) AS ${quoteIdent(alias)} WHERE NOT ((${predicate}) IS TRUE)`;
      const data = await writeDataFiles(h, keep, {
        schema: snapshot.schema,
        partitionColumns: snapshot.partitionColumns,
        columnMappingMode: snapshot.columnMappingMode,
        configuration: snapshot.metadata.configuration,
      });
      written.push(...data.paths);
      actions.push(...files.map((f) => removeFor(f, now)), ...data.adds);
      numAddedFiles = data.adds.length;
      numAddedBytes = data.numOutputBytes;
      numCopiedRows = data.numOutputRows;
      numRemovedFiles += files.length;
      removedBytes += totalSize(files);
      dvCounts.numDeletionVectorsRemoved += files.filter((f) => f.deletionVector != null).length;
    }
    // Partially deleted files cannot be described by add/remove; with the change feed on, the
    // commit records every deleted row in change data files instead (readers then use only those).
    let numAddedChangeFiles = 0;
    const target = {
      schema: snapshot.schema,
      partitionColumns: snapshot.partitionColumns,
      columnMappingMode: snapshot.columnMappingMode,
      configuration: snapshot.metadata.configuration,
    };
    if (plan.partial.length > 0 && recordsChanges(target.configuration)) {
      const touched = [...plan.dropped, ...plan.partial.map((m) => m.file)];
      const scan = await filesScanSql(h, snapshot, touched);
      const cols = snapshot.schema.fields.map((f) => quoteIdent(f.name)).join(', ');
      const deleted = `SELECT ${cols} FROM (${scan}) AS ${quoteIdent(alias)} WHERE (${predicate})`;
      const cdc = await writeChangeDataFiles(h, tagChanges(deleted, snapshot.schema, 'delete'), target);
      written.push(...cdc.paths);
      actions.push(...cdc.cdcs);
      numAddedChangeFiles = cdc.cdcs.length;
    }
    const rewriteTimeMs = since(rewriteStarted);
    const metrics = {
      numRemovedFiles,
      numAddedFiles,
      numDeletedRows: plan.deletedRows,
      numCopiedRows,
      numAddedChangeFiles,
      ...dvCounts,
      numRemovedBytes: removedBytes,
      numAddedBytes,
      executionTimeMs: since(started),
      scanTimeMs: plan.scanTimeMs,
      rewriteTimeMs,
    };
    const result = await commit(h, {
      operation: 'DELETE',
      operationParameters: { predicate: JSON.stringify(predicate === undefined ? [] : [predicate]) },
      operationMetrics: metrics,
      actions,
      readSnapshot: snapshot,
      isBlindAppend: false,
      readSet: plan.read,
      ...(opts.userMetadata !== undefined ? { userMetadata: opts.userMetadata } : {}),
    });
    await autoCompactAfterCommit(h, snapshot, actions);
    return {
      version: result.version,
      committed: true,
      numDeletedRows: plan.deletedRows,
      numRemovedFiles,
      numAddedFiles,
      numCopiedRows,
      numDeletionVectorsAdded: dvCounts.numDeletionVectorsAdded,
    };
  } catch (e) {
    await deleteFiles(h, written);
    throw e;
  }
}

const emptyCounts = {
  numRemovedFiles: 0,
  numAddedFiles: 0,
  numCopiedRows: 0,
  numDeletionVectorsAdded: 0,
} as const;
