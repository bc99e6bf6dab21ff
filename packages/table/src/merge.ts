// MERGE INTO target USING source ON cond WHEN ... (Databricks semantics). Steps, all joins inside
// DuckDB: (1) prune the target files by the ON condition and the source keys (merge-pruning.ts);
// (2) one join finds, per touched target row, the clause that applies (failing when a target row
// is matched by several source rows) and counts the rows each clause inserts; (3) the new rows are
// written: copy-on-write rewrites touched files whole, deletion vectors mark touched rows deleted
// and write only updated rows; inserts are appended; (4) one 'MERGE' commit through the conflict
// checker with the files read. Nothing touched and nothing inserted: no commit.
import {
  type Action,
  type AddFile,
  checkWriteSupport,
  DeltaError,
  type Metadata,
  type Protocol,
  type Snapshot,
  statsNumRecords,
} from '@loch/delta';
import { schemaFromDuckColumns } from '@loch/engine-duckdb';
import { autoCompactAfterCommit } from './auto-optimize.js';
import { recordsChanges, tagChanges, withRowsOnce, writeChangeDataFiles } from './change-data-files.js';
import { commit, deleteFiles } from './commit.js';
import { withCheckConstraints } from './constraints.js';
import { type DataFileTarget, writeDataFiles } from './data-files.js';
import { type DeletionVectorUpdate, writeDeletionVectors } from './deletion-vectors.js';
import {
  checkNotAppendOnly,
  dmlReadSet,
  filesScanSql,
  liveRowsFromStats,
  parseRowIndexes,
  since,
  usesDeletionVectors,
  withConflictRetries,
} from './dml-common.js';
import { removeFor, totalSize } from './file-actions.js';
import { firstIdentityValue, withHighWaterMarks } from './identity-columns.js';
import { checkDeterministicConditions } from './merge-conditions.js';
import { equalityKeys, mergeScope, splitConjuncts } from './merge-pruning.js';
import { ACTION, buildMergeSql, evolvedSchema, INSERT_BASE, type MergeSql } from './merge-sql.js';
import type { MergeResult, MergeSpec } from './merge-types.js';
import { buildScanSpec, fileLocation } from './scan.js';
import { asSubquery, quoteIdent } from './sql-text.js';
import type { TableHandle } from './table-handle.js';
import { planForExisting } from './write-plan.js';

const FILE_COLUMN = '__loch_file';
const ROW_COLUMN = '__loch_row';
export const DEFAULT_TARGET_ALIAS = 'target';
export const DEFAULT_SOURCE_ALIAS = 'source';

/** Copy-on-write splits touched files by the key prefilter when they hold more than this many rows per source row. */
const PREFILTER_RATIO = 2;

export const MULTIPLE_MATCHES = 'DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE';

interface Touched {
  readonly file: AddFile;
  /** With deletion vectors: the file's touched row indexes, as comma-separated lists. */
  readonly rows: readonly string[];
  readonly count: number;
}

export async function mergeInto(h: TableHandle, spec: MergeSpec): Promise<MergeResult> {
  // Before anything is read or written: conditions evaluated in several passes must agree.
  await checkDeterministicConditions(h, spec);
  return withConflictRetries(spec.options.maxConflictRetries, () => mergeOnce(h, spec));
}

async function mergeOnce(h: TableHandle, input: MergeSpec): Promise<MergeResult> {
  const started = performance.now();
  const rawSource = input.resolveSource === undefined ? input.sourceSql : await input.resolveSource();
  const spec: MergeSpec = { ...input, sourceSql: asSubquery(rawSource) };
  if (spec.matched.length + spec.notMatched.length + spec.notMatchedBySource.length === 0) {
    throw new DeltaError('INVALID_ARGUMENT', 'MERGE needs at least one WHEN clause', {});
  }
  const aliases = {
    target: spec.options.targetAlias ?? DEFAULT_TARGET_ALIAS,
    source: spec.options.sourceAlias ?? DEFAULT_SOURCE_ALIAS,
  };
  if (aliases.target.toLowerCase() === aliases.source.toLowerCase()) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `MERGE target and source both use the alias '${aliases.target}'; give them different aliases`,
      {
        alias: aliases.target,
      },
    );
  }
  const snapshot = await h.require();
  checkWriteSupport(snapshot.protocol);
  const insertOnly = spec.matched.length === 0 && spec.notMatchedBySource.length === 0;
  if (!insertOnly) checkNotAppendOnly(h, snapshot, 'MERGE');

  const sourceSchema = schemaFromDuckColumns(
    await h.engine.describe(`SELECT * FROM (${spec.sourceSql}) AS __s`),
  );
  const finalSchema = evolvedSchema(spec, snapshot.schema, sourceSchema);
  const plan =
    finalSchema === snapshot.schema
      ? undefined
      : planForExisting({ mode: 'append', mergeSchema: true }, finalSchema, snapshot);
  const target: DataFileTarget = plan?.target ?? {
    schema: snapshot.schema,
    partitionColumns: snapshot.partitionColumns,
    columnMappingMode: snapshot.columnMappingMode,
    configuration: snapshot.metadata.configuration,
  };
  // With the change feed on, the written rows keep their action code so that the change rows
  // can be taken from the same evaluation (see the write below).
  const changes = recordsChanges(target.configuration);
  const dv = usesDeletionVectors(snapshot);

  // 1. Scope and matches.
  const scope = await mergeScope(h, snapshot, {
    condition: spec.condition,
    sourceSql: spec.sourceSql,
    aliases,
    prune: spec.notMatchedBySource.length === 0,
    // With deletion vectors every touched row index reaches JavaScript anyway, and a row index
    // listed twice is a target row matched twice: no need to count distinct source keys first.
    checkUniqueKeys: !dv,
  });
  const candidates = scope.files;
  // The key prefilter only when DuckDB cannot know the target's size: the scan tells it the row
  // count of files with stats (numRecords); a file without one counts as the average of the
  // others (none with stats: no hint, and DuckDB guesses low and builds on the target).
  const sql = buildMergeSql(
    spec,
    snapshot.schema,
    target.schema,
    sourceSchema,
    aliases,
    candidates.some(lacksRowCount) ? keyPrefilter(spec, snapshot, aliases) : undefined,
    changes,
  );
  const candidatesScan = candidates.length === 0 ? undefined : await filesScanSql(h, snapshot, candidates);
  const counts = new Map<number, number>();
  const touched: Touched[] = [];
  if (candidates.length > 0 && !insertOnly) {
    const actionScan = await buildScanSpec(h, snapshot, {
      files: candidates,
      fileColumn: FILE_COLUMN,
      rowIndexColumn: ROW_COLUMN,
    });
    const scan = await h.engine.scanSql(actionScan);
    const rowsAgg = dv ? `, string_agg(CAST(__r AS VARCHAR), ',')` : '';
    const actions = sql.targetActions(scan, FILE_COLUMN, ROW_COLUMN);
    // With unique source keys no target row can match twice: one grouping suffices; with deletion
    // vectors the row indexes tell (checked below).
    const result = await h.engine.query(
      scope.uniqueKeys || dv
        ? `SELECT __f, __a, count(*), 1${rowsAgg} FROM (${actions}) GROUP BY __f, __a`
        : `SELECT __f, __a, count(*), max(__c)${rowsAgg} FROM (SELECT __f, __r, min(__a) AS __a, count(*) AS __c FROM (${actions}) GROUP BY __f, __r) GROUP BY __f, __a`,
    );
    const byLocation = new Map(candidates.map((f) => [fileLocation(h, f), f]));
    const perFile = new Map<string, { file: AddFile; rows: string[]; count: number }>();
    for (const r of result.rows) {
      const code = Number(r[1]);
      const n = Number(r[2]);
      if (Number(r[3]) > 1 && code < 100 && !sql.allowMultipleMatches) throw multipleMatches(String(r[0]));
      counts.set(code, (counts.get(code) ?? 0) + n);
      const file = byLocation.get(String(r[0]));
      if (file === undefined)
        throw new DeltaError(
          'INVALID_ARGUMENT',
          `the scan returned a file that was not asked for: ${String(r[0])}`,
        );
      const entry = perFile.get(String(r[0])) ?? { file, rows: [], count: 0 };
      if (dv && r[4] != null) entry.rows.push(String(r[4]));
      entry.count += n;
      perFile.set(String(r[0]), entry);
    }
    touched.push(...perFile.values());
  }
  // Target-side rows the write will produce; the rest of its rows are inserts (one scan saved).
  const liveTouched = touched.map((t) => liveRowsFromStats(t.file));
  const mayInsert = spec.notMatched.length > 0;
  if (mayInsert && !dv && liveTouched.some((n) => n === undefined)) {
    const result = await h.engine.query(sql.insertCounts(candidatesScan));
    for (const r of result.rows) counts.set(Number(r[0]), Number(r[1]));
  }
  const scanTimeMs = since(started);
  const sum = (codes: readonly number[]): number => codes.reduce((n, c) => n + (counts.get(c) ?? 0), 0);
  const matchedUpdated = sum(sql.updateCodes.filter((c) => c < 100));
  const bySourceUpdated = sum(sql.updateCodes.filter((c) => c >= 100));
  const matchedDeleted = sum(sql.deleteCodes.filter((c) => c < 100));
  const bySourceDeleted = sum(sql.deleteCodes.filter((c) => c >= 100));
  const updated = matchedUpdated + bySourceUpdated;
  const deleted = matchedDeleted + bySourceDeleted;
  const targetSideRows = dv
    ? updated
    : liveTouched.reduce<number>((n, live) => n + (live ?? Number.NaN), 0) - deleted;
  let inserted = sum(spec.notMatched.map((_, i) => INSERT_BASE + i));
  const base = {
    numSourceRows: scope.numSourceRows,
    numTargetFilesBeforeSkipping: snapshot.files.length,
    numTargetFilesAfterSkipping: candidates.length,
  };
  const unchanged = (): MergeResult => ({
    version: snapshot.version,
    committed: false,
    numAffectedRows: 0,
    numTargetRowsInserted: 0,
    numTargetRowsUpdated: 0,
    numTargetRowsDeleted: 0,
    numTargetRowsCopied: 0,
    numTargetFilesAdded: 0,
    numTargetFilesRemoved: 0,
    numTargetDeletionVectorsAdded: 0,
    metrics: {},
    ...base,
  });
  if (touched.length === 0 && !mayInsert) return unchanged();

  // 2. Write.
  const rewriteStarted = performance.now();
  const now = h.now();
  const written: string[] = [];
  // With deletion vectors the touched rows are known before the write: they are checked for
  // multiple matches and their DV file encoded now (CPU work, which would compete with DuckDB's
  // threads anyway), and the file is stored (synced) while DuckDB writes the new rows; awaited
  // before the commit and before any cleanup.
  const pendingVectors = dv
    ? writeTouchedVectors(h, touched, now, !sql.allowMultipleMatches).then((v) => {
        if (v.path !== undefined) written.push(v.path);
        return v;
      })
    : undefined;
  // A failure is raised where it is awaited; this only keeps it from counting as unhandled.
  pendingVectors?.catch(() => undefined);
  try {
    const touchedScan =
      touched.length === 0
        ? undefined
        : await filesScanSql(
            h,
            snapshot,
            touched.map((t) => t.file),
          );
    const updates = sql.updateCodes.length === 0 ? 'FALSE' : `$A IN (${sql.updateCodes.join(', ')})`;
    const deletes = sql.deleteCodes.length === 0 ? 'FALSE' : `$A IN (${sql.deleteCodes.join(', ')})`;
    const parts: string[] = [];
    const unmatchedRows = (scan: string): string =>
      changes
        ? `SELECT CAST(NULL AS INTEGER) AS ${ACTION}, * FROM (${sql.unmatchedRows(scan)}) AS __loch_u`
        : sql.unmatchedRows(scan);
    // A target much larger than the source is split by the key prefilter (see merge-sql.ts);
    // a smaller one is joined whole, in one FULL JOIN when every candidate file is rewritten.
    const touchedRows = touched.reduce((n, t) => n + (liveRowsFromStats(t.file) ?? Number.NaN), 0);
    const split = sql.prefiltered && !(touchedRows <= PREFILTER_RATIO * scope.numSourceRows);
    const everyCandidate = touched.length === candidates.length;
    // One FULL JOIN yields kept and inserted rows when the ON condition alone decides matches.
    // With deletion vectors only updated rows are kept, so under the key split the join may run
    // over every candidate file's may-match rows; copy-on-write needs every candidate rewritten.
    const oneJoin =
      mayInsert &&
      sql.fullJoinable &&
      candidatesScan !== undefined &&
      (dv
        ? split || (everyCandidate && touchedScan !== undefined)
        : everyCandidate && touchedScan !== undefined);
    if (oneJoin && dv) {
      parts.push(split ? sql.allRows(candidatesScan!, true, 'mayMatch') : sql.allRows(touchedScan!, true));
    } else if (oneJoin) {
      // Rows no source key matches are copied without a join; only the others meet the source.
      if (split) parts.push(unmatchedRows(touchedScan!));
      parts.push(sql.allRows(touchedScan!, false, split ? 'mayMatch' : 'all'));
    } else if (touchedScan !== undefined && dv) {
      parts.push(sql.targetRows(touchedScan, 'updated', updates, split ? 'mayMatch' : 'all'));
    } else if (touchedScan !== undefined && split) {
      parts.push(unmatchedRows(touchedScan));
      parts.push(sql.targetRows(touchedScan, 'new', `$A IS NULL OR NOT (${deletes})`, 'mayMatch'));
    } else if (touchedScan !== undefined) {
      parts.push(sql.targetRows(touchedScan, 'new', `$A IS NULL OR NOT (${deletes})`));
    }
    if (mayInsert && !oneJoin) parts.push(sql.insertRows(candidatesScan, '$A IS NOT NULL'));
    const writeRows = (rowsSql: string) =>
      writeDataFiles(h, withCheckConstraints(rowsSql, target.configuration), target);
    let data: Awaited<ReturnType<typeof writeDataFiles>>;
    let cdc: Awaited<ReturnType<typeof writeChangeDataFiles>> | undefined;
    if (!changes) {
      data = await writeRows(parts.join(' UNION ALL '));
      written.push(...data.paths);
    } else {
      // The new rows are computed once and both the data files and the `update_postimage` /
      // `insert` change rows read them: identity values (row_number()) and SET / VALUES
      // expressions such as random() or uuid() are what was written. Preimages and deletes are
      // the target's stored rows.
      [data, cdc] = await withRowsOnce(h, parts.join(' UNION ALL '), async (rows) => {
        const d = await writeRows(`SELECT * EXCLUDE (${ACTION}) FROM ${rows}`);
        written.push(...d.paths);
        const inCodes = (codes: readonly number[]): string =>
          codes.length === 0 ? 'FALSE' : `${ACTION} IN (${codes.join(', ')})`;
        const changed: string[] = [];
        if (touchedScan !== undefined) {
          changed.push(
            tagChanges(
              sql.targetRows(touchedScan, 'old', updates, 'mayMatch'),
              target.schema,
              'update_preimage',
            ),
            tagChanges(sql.targetRows(touchedScan, 'old', deletes, 'mayMatch'), target.schema, 'delete'),
          );
        }
        changed.push(
          tagChanges(
            `SELECT * FROM ${rows} WHERE ${inCodes(sql.updateCodes)}`,
            target.schema,
            'update_postimage',
          ),
          tagChanges(`SELECT * FROM ${rows} WHERE ${inCodes(sql.insertCodes)}`, target.schema, 'insert'),
        );
        const c = await writeChangeDataFiles(h, changed.join(' UNION ALL '), target);
        written.push(...c.paths);
        return [d, c] as const;
      });
    }
    if (mayInsert && !Number.isNaN(targetSideRows)) inserted = data.numOutputRows - targetSideRows;
    if (touched.length === 0 && inserted === 0) {
      await pendingVectors;
      await deleteFiles(h, written);
      return unchanged();
    }

    const actions: Action[] = [];
    if (plan?.protocol !== undefined) actions.push(plan.protocol as Protocol);
    const metadata = await withIdentityMarks(sql, plan?.metadata ?? snapshot.metadata, inserted, () =>
      h.engine.query(sql.insertCounts(candidatesScan)),
    );
    if (metadata !== snapshot.metadata) actions.push(metadata);
    let removed: AddFile[] = [];
    let dvs = { added: 0, removed: 0, updated: 0 };
    if (pendingVectors !== undefined) {
      const whole = touched.filter((t) => t.count === liveRowsFromStats(t.file));
      removed = whole.map((t) => t.file);
      actions.push(...removed.map((f) => removeFor(f, now)));
      const vectors = await pendingVectors;
      actions.push(...vectors.actions);
      dvs = {
        added: vectors.numDeletionVectorsAdded,
        removed: vectors.numDeletionVectorsRemoved + removed.filter((f) => f.deletionVector != null).length,
        updated: vectors.numDeletionVectorsUpdated,
      };
    } else {
      removed = touched.map((t) => t.file);
      actions.push(...removed.map((f) => removeFor(f, now)));
      dvs.removed = removed.filter((f) => f.deletionVector != null).length;
    }
    actions.push(...data.adds);

    if (cdc !== undefined) actions.push(...cdc.cdcs);
    const changeFiles = cdc?.cdcs.length ?? 0;

    const copied = dv ? 0 : Math.max(0, data.numOutputRows - updated - inserted);
    const metrics: Record<string, number> = {
      numSourceRows: scope.numSourceRows,
      numTargetRowsInserted: inserted,
      numTargetRowsUpdated: updated,
      numTargetRowsDeleted: deleted,
      numTargetRowsMatchedUpdated: matchedUpdated,
      numTargetRowsMatchedDeleted: matchedDeleted,
      numTargetRowsNotMatchedBySourceUpdated: bySourceUpdated,
      numTargetRowsNotMatchedBySourceDeleted: bySourceDeleted,
      numTargetRowsCopied: copied,
      numOutputRows: data.numOutputRows,
      numTargetFilesBeforeSkipping: snapshot.files.length,
      numTargetFilesAfterSkipping: candidates.length,
      numTargetFilesAdded: data.adds.length,
      numTargetFilesRemoved: removed.length,
      numTargetChangeFilesAdded: changeFiles,
      numTargetBytesAdded: data.numOutputBytes,
      numTargetBytesRemoved: totalSize(removed),
      numTargetDeletionVectorsAdded: dvs.added,
      numTargetDeletionVectorsRemoved: dvs.removed,
      numTargetDeletionVectorsUpdated: dvs.updated,
      executionTimeMs: since(started),
      scanTimeMs,
      rewriteTimeMs: since(rewriteStarted),
    };
    const result = await commit(h, {
      operation: 'MERGE',
      operationParameters: operationParameters(spec),
      operationMetrics: metrics,
      actions,
      readSnapshot: snapshot,
      isBlindAppend: false,
      readSet: dmlReadSet(snapshot, candidates, scope.expr),
      ...(spec.options.userMetadata !== undefined ? { userMetadata: spec.options.userMetadata } : {}),
    });
    await autoCompactAfterCommit(h, snapshot, actions);
    return {
      version: result.version,
      committed: true,
      numAffectedRows: inserted + updated + deleted,
      numTargetRowsInserted: inserted,
      numTargetRowsUpdated: updated,
      numTargetRowsDeleted: deleted,
      numTargetRowsCopied: copied,
      numTargetFilesAdded: data.adds.length,
      numTargetFilesRemoved: removed.length,
      numTargetDeletionVectorsAdded: dvs.added,
      metrics,
      ...base,
    };
  } catch (e) {
    await pendingVectors?.catch(() => undefined);
    await deleteFiles(h, written);
    throw e;
  }
}

const multipleMatches = (location: string): DeltaError =>
  new DeltaError(
    'INVALID_ARGUMENT',
    `${MULTIPLE_MATCHES}: the MERGE cannot be performed because multiple source rows matched and attempted to modify the same target row (in ${location}); ` +
      'make the ON condition match at most one source row per target row, e.g. deduplicate the source (ROW_NUMBER() ... = 1) first',
    { errorClass: MULTIPLE_MATCHES },
  );

/**
 * The deletion vectors of the touched files that keep some rows (a file whose every row is touched
 * is removed instead), after checking that no row index is listed twice (a target row matched by
 * two source rows) when `single` asks for it.
 */
async function writeTouchedVectors(
  h: TableHandle,
  touched: readonly Touched[],
  now: number,
  single: boolean,
): ReturnType<typeof writeDeletionVectors> {
  const updates: DeletionVectorUpdate[] = [];
  for (const t of touched) {
    const rows = sortedRows(t.rows.map(parseRowIndexes));
    if (single && hasDuplicate(rows)) throw multipleMatches(fileLocation(h, t.file));
    if (t.count !== liveRowsFromStats(t.file)) updates.push({ file: t.file, rows });
  }
  return writeDeletionVectors(h, updates, now);
}

/** The row indexes of several groups as one ascending array (duplicates kept). */
function sortedRows(groups: readonly Float64Array[]): Float64Array {
  if (groups.length === 1) return groups[0]!.sort();
  const out = new Float64Array(groups.reduce((n, g) => n + g.length, 0));
  let at = 0;
  for (const g of groups) {
    out.set(g, at);
    at += g.length;
  }
  return out.sort();
}

function hasDuplicate(sorted: Float64Array): boolean {
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return true;
  return false;
}

/** True when the log gives no row count (stats numRecords) for the file. */
const lacksRowCount = (file: AddFile): boolean => statsNumRecords(file) === undefined;

/**
 * `target.k IN (SELECT source.k FROM source)` for the ON condition's first equality key: true for
 * every target row a source row can match (NULL keys never match). Undefined without such a key.
 */
function keyPrefilter(
  spec: MergeSpec,
  snapshot: Snapshot,
  aliases: { readonly target: string; readonly source: string },
): string | undefined {
  const [key] = equalityKeys(splitConjuncts(spec.condition), snapshot.schema.fields, aliases);
  if (key === undefined) return undefined;
  const S = quoteIdent(aliases.source);
  return `${quoteIdent(aliases.target)}.${quoteIdent(key.target.name)} IN (SELECT ${key.sourceSql} FROM (${spec.sourceSql}) AS ${S})`;
}

/**
 * The metadata with the identity high-water marks moved past the values this merge's inserts
 * handed out (committed with the merge, so a concurrent writer conflicts instead of reusing
 * them). When only some insert clauses generate a column, the rows per clause are counted.
 */
async function withIdentityMarks(
  sql: MergeSql,
  metadata: Metadata,
  inserted: number,
  countInserts: () => Promise<{ readonly rows: readonly (readonly unknown[])[] }>,
): Promise<Metadata> {
  if (sql.identityInserts.length === 0 || inserted === 0) return metadata;
  let perCode: Map<number, number> | undefined;
  let out = metadata;
  for (const { column, codes } of sql.identityInserts) {
    let n = inserted;
    if (codes.length < sql.insertCodes.length) {
      perCode ??= new Map((await countInserts()).rows.map((r) => [Number(r[0]), Number(r[1])]));
      n = codes.reduce((sum, c) => sum + (perCode!.get(c) ?? 0), 0);
    }
    if (n > 0) {
      out = withHighWaterMarks(
        out,
        [{ name: column.name, first: firstIdentityValue(column), step: column.step }],
        n,
      );
    }
  }
  return out;
}

/** Spark's MERGE operationParameters: JSON strings of the predicate and each clause. */
function operationParameters(spec: MergeSpec): Record<string, string> {
  const clause = (c: { readonly kind: string; readonly condition?: string }): Record<string, string> => {
    const actionType =
      c.kind === 'updateAll' || c.kind === 'update' ? 'update' : c.kind === 'delete' ? 'delete' : 'insert';
    return { ...(c.condition !== undefined ? { predicate: c.condition } : {}), actionType };
  };
  return {
    predicate: JSON.stringify([spec.condition]),
    matchedPredicates: JSON.stringify(spec.matched.map(clause)),
    notMatchedPredicates: JSON.stringify(spec.notMatched.map(clause)),
    notMatchedBySourcePredicates: JSON.stringify(spec.notMatchedBySource.map(clause)),
  };
}
