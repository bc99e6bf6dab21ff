// UPDATE t SET c = e [, ...] [WHERE p]. The files that can hold a match are scanned once; with
// copy-on-write each touched file is rewritten whole (matching rows updated, the rest copied),
// with deletion vectors the matching rows are marked deleted in place and only the updated rows
// are written as new files. New rows pass the table's NOT NULL and CHECK constraints before
// anything is written; nothing is committed when nothing matches.
import { type Action, checkWriteSupport, DeltaError, type Snapshot, type StructField } from '@loch/delta';
import { toDuckType } from '@loch/engine-duckdb';
import { autoCompactAfterCommit } from './auto-optimize.js';
import { recordsChanges, tagChanges, withRowsOnce, writeChangeDataFiles } from './change-data-files.js';
import { commit, deleteFiles } from './commit.js';
import { withCheckConstraints } from './constraints.js';
import { writeDataFiles } from './data-files.js';
import { writeDeletionVectors } from './deletion-vectors.js';
import { checkDeterministic } from './deterministic-conditions.js';
import {
  candidateFiles,
  checkNotAppendOnly,
  DEFAULT_ALIAS,
  dmlReadSet,
  filesScanSql,
  findMatches,
  predicateExpr,
  since,
  usesDeletionVectors,
  withConflictRetries,
} from './dml-common.js';
import { removeFor, totalSize } from './file-actions.js';
import { withGeneratedOnRewrite } from './generated-columns.js';
import { rejectIdentityUpdate } from './identity-columns.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import type { TableHandle } from './table-handle.js';
import type { UpdateOptions, UpdateResult } from './types.js';
import { NOT_NULL_MARKER } from './write-schema.js';

/** Assignments keyed by the table's own column names (matched case-insensitively, as Spark does). */
function resolveAssignments(
  snapshot: Snapshot,
  assignments: Readonly<Record<string, string>>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [column, expr] of Object.entries(assignments)) {
    const field = snapshot.schema.fields.find((f) => f.name.toLowerCase() === column.toLowerCase());
    if (field === undefined) {
      throw new DeltaError(
        'SCHEMA_MISMATCH',
        `UPDATE sets column '${column}', which does not exist; columns are ${snapshot.schema.fields.map((f) => f.name).join(', ')}`,
        { column },
      );
    }
    if (out.has(field.name)) {
      throw new DeltaError('INVALID_ARGUMENT', `UPDATE sets column '${field.name}' more than once`, {
        column: field.name,
      });
    }
    if (expr.trim() === '') {
      throw new DeltaError('INVALID_ARGUMENT', `UPDATE gives column '${field.name}' an empty expression`, {
        column: field.name,
      });
    }
    out.set(field.name, expr);
  }
  if (out.size === 0) throw new DeltaError('INVALID_ARGUMENT', 'UPDATE needs at least one SET assignment');
  return out;
}

function newValue(field: StructField, expr: string): string {
  const value = `CAST((${expr}) AS ${toDuckType(field.type)})`;
  if (field.nullable) return value;
  const message = quoteLiteral(`${NOT_NULL_MARKER}: ${field.name}.`);
  return `CASE WHEN ${value} IS NULL THEN error(${message}) ELSE ${value} END`;
}

/**
 * The select list of rewritten rows: assigned columns take their new value where `matched` is
 * true (always, when `matched` is undefined), other columns are copied.
 */
function updatedColumns(
  snapshot: Snapshot,
  assignments: ReadonlyMap<string, string>,
  alias: string,
  matched: string | undefined,
): string {
  return snapshot.schema.fields
    .map((f) => {
      const old = `${quoteIdent(alias)}.${quoteIdent(f.name)}`;
      const expr = assignments.get(f.name);
      if (expr === undefined) return `${old} AS ${quoteIdent(f.name)}`;
      const value = newValue(f, expr);
      const chosen =
        matched === undefined ? value : `CASE WHEN (${matched}) IS TRUE THEN ${value} ELSE ${old} END`;
      return `${chosen} AS ${quoteIdent(f.name)}`;
    })
    .join(', ');
}

const MATCHED = '__loch_matched';

/**
 * The rewritten rows of `from`, with a boolean `__loch_matched` column last (true for updated
 * rows) that is dropped unless `keepMatchedColumn`. Generated columns of matching rows are
 * recomputed from the new values unless assigned, and checked against their expression when
 * assigned.
 */
interface RewrittenRows {
  readonly sets: ReadonlyMap<string, string>;
  readonly alias: string;
  /** `FROM <scan> AS <alias>` of the touched files. */
  readonly from: string;
  readonly predicate: string;
  /** Only the updated rows (deletion vectors keep the others in place); else every row. */
  readonly onlyMatched: boolean;
  /** Keep the MATCHED flag column (the change feed tells postimages by it). */
  readonly keepMatchedColumn?: boolean;
}

function rewrittenRowsSql(
  snapshot: Snapshot,
  { sets, alias, from, predicate, onlyMatched, keepMatchedColumn = false }: RewrittenRows,
): string {
  const matched = `(${predicate}) IS TRUE`;
  const columns = updatedColumns(snapshot, sets, alias, onlyMatched ? undefined : predicate);
  const rows = onlyMatched
    ? `SELECT ${columns}, TRUE AS ${MATCHED} ${from} WHERE ${matched}`
    : `SELECT ${columns}, ${matched} AS ${MATCHED} ${from}`;
  const regenerated = withGeneratedOnRewrite(
    rows,
    snapshot.schema,
    (g) =>
      sets.has(g.name) ? { recompute: 'FALSE', check: MATCHED } : { recompute: MATCHED, check: 'FALSE' },
    toDuckType,
  );
  return keepMatchedColumn
    ? (regenerated ?? rows)
    : `SELECT * EXCLUDE (${MATCHED}) FROM (${regenerated ?? rows}) AS __rows`;
}

export async function updateRows(
  h: TableHandle,
  assignments: Readonly<Record<string, string>>,
  predicateSql: string | undefined,
  opts: UpdateOptions = {},
): Promise<UpdateResult> {
  const where = predicateSql?.trim();
  if (where !== undefined && where !== '') {
    await checkDeterministic(h, 'UPDATE', [{ clause: 'WHERE', condition: where }]);
  }
  return withConflictRetries(opts.maxConflictRetries, () => updateOnce(h, assignments, predicateSql, opts));
}

async function updateOnce(
  h: TableHandle,
  assignments: Readonly<Record<string, string>>,
  predicateSql: string | undefined,
  opts: UpdateOptions = {},
): Promise<UpdateResult> {
  const started = performance.now();
  const snapshot = await h.require();
  checkWriteSupport(snapshot.protocol);
  checkNotAppendOnly(h, snapshot, 'UPDATE');
  const sets = resolveAssignments(snapshot, assignments);
  rejectIdentityUpdate(snapshot.schema, sets.keys(), 'UPDATE');
  const predicate =
    predicateSql === undefined || predicateSql.trim() === '' ? undefined : predicateSql.trim();
  const alias = opts.alias ?? DEFAULT_ALIAS;
  const dv = usesDeletionVectors(snapshot);

  const expr = predicate === undefined ? undefined : await predicateExpr(h, snapshot, predicate, alias);
  const candidates = candidateFiles(snapshot, expr);
  const matches = await findMatches(h, snapshot, candidates, predicate ?? 'TRUE', { alias, withRows: dv });
  const scanTimeMs = since(started);
  const numUpdatedRows = matches.reduce((n, m) => n + m.matchedRows, 0);
  if (matches.length === 0) {
    return {
      version: snapshot.version,
      committed: false,
      numUpdatedRows: 0,
      numRemovedFiles: 0,
      numAddedFiles: 0,
      numCopiedRows: 0,
      numDeletionVectorsAdded: 0,
    };
  }
  const touched = matches.map((m) => m.file);
  const target = {
    schema: snapshot.schema,
    partitionColumns: snapshot.partitionColumns,
    columnMappingMode: snapshot.columnMappingMode,
    configuration: snapshot.metadata.configuration,
  };
  const now = h.now();
  const rewriteStarted = performance.now();
  const written: string[] = [];
  try {
    const scan = await filesScanSql(h, snapshot, touched);
    const from = `FROM (${scan}) AS ${quoteIdent(alias)}`;
    const changes = recordsChanges(target.configuration);
    // Constraints are checked while the rows are written: a violation fails before any commit.
    const writeRows = (rowsSql: string) =>
      writeDataFiles(h, withCheckConstraints(rowsSql, target.configuration, target.schema), target);
    let data: Awaited<ReturnType<typeof writeDataFiles>>;
    let cdc: Awaited<ReturnType<typeof writeChangeDataFiles>> | undefined;
    if (!changes) {
      data = await writeRows(
        rewrittenRowsSql(snapshot, { sets, alias, from, predicate: predicate ?? 'TRUE', onlyMatched: dv }),
      );
      written.push(...data.paths);
    } else {
      // The new rows are computed once: the data files and the postimages both read them, so a
      // SET expression like random() or uuid() gives the change feed the values written.
      const rowsSql = rewrittenRowsSql(snapshot, {
        sets,
        alias,
        from,
        predicate: predicate ?? 'TRUE',
        onlyMatched: dv,
        keepMatchedColumn: true,
      });
      [data, cdc] = await withRowsOnce(h, rowsSql, async (rows) => {
        const d = await writeRows(`SELECT * EXCLUDE (${MATCHED}) FROM ${rows}`);
        written.push(...d.paths);
        const where = `WHERE (${predicate ?? 'TRUE'})`;
        const cols = snapshot.schema.fields.map((f) => quoteIdent(f.name)).join(', ');
        const pre = tagChanges(`SELECT ${cols} ${from} ${where}`, snapshot.schema, 'update_preimage');
        const post = tagChanges(
          `SELECT * FROM ${rows} WHERE ${MATCHED}`,
          snapshot.schema,
          'update_postimage',
        );
        const c = await writeChangeDataFiles(h, `${pre} UNION ALL ${post}`, target);
        written.push(...c.paths);
        return [d, c] as const;
      });
    }
    const actions: Action[] = [];
    let numRemovedFiles: number;
    let removedBytes: number;
    const dvCounts = {
      numDeletionVectorsAdded: 0,
      numDeletionVectorsRemoved: 0,
      numDeletionVectorsUpdated: 0,
    };
    if (dv) {
      const whole = matches.filter((m) => m.matchedRows === m.liveRows).map((m) => m.file);
      const partial = matches.filter((m) => m.matchedRows < m.liveRows);
      actions.push(...whole.map((f) => removeFor(f, now)));
      const dvs = await writeDeletionVectors(
        h,
        partial.map((m) => ({ file: m.file, rows: m.rows ?? [] })),
        now,
      );
      if (dvs.path !== undefined) written.push(dvs.path);
      actions.push(...dvs.actions);
      numRemovedFiles = whole.length;
      removedBytes = totalSize(whole);
      dvCounts.numDeletionVectorsAdded = dvs.numDeletionVectorsAdded;
      dvCounts.numDeletionVectorsRemoved =
        dvs.numDeletionVectorsRemoved + whole.filter((f) => f.deletionVector != null).length;
      dvCounts.numDeletionVectorsUpdated = dvs.numDeletionVectorsUpdated;
    } else {
      actions.push(...touched.map((f) => removeFor(f, now)));
      numRemovedFiles = touched.length;
      removedBytes = totalSize(touched);
      dvCounts.numDeletionVectorsRemoved = touched.filter((f) => f.deletionVector != null).length;
    }
    actions.push(...data.adds);
    if (cdc !== undefined) actions.push(...cdc.cdcs);
    const numAddedChangeFiles = cdc?.cdcs.length ?? 0;
    const numCopiedRows = dv ? 0 : data.numOutputRows - numUpdatedRows;
    const metrics = {
      numRemovedFiles,
      numAddedFiles: data.adds.length,
      numUpdatedRows,
      numCopiedRows,
      numAddedChangeFiles,
      ...dvCounts,
      numRemovedBytes: removedBytes,
      numAddedBytes: data.numOutputBytes,
      executionTimeMs: since(started),
      scanTimeMs,
      rewriteTimeMs: since(rewriteStarted),
    };
    const result = await commit(h, {
      operation: 'UPDATE',
      operationParameters: { predicate: JSON.stringify(predicate === undefined ? [] : [predicate]) },
      operationMetrics: metrics,
      actions,
      readSnapshot: snapshot,
      isBlindAppend: false,
      readSet: dmlReadSet(snapshot, candidates, expr),
      ...(opts.userMetadata !== undefined ? { userMetadata: opts.userMetadata } : {}),
    });
    await autoCompactAfterCommit(h, snapshot, actions);
    return {
      version: result.version,
      committed: true,
      numUpdatedRows,
      numRemovedFiles,
      numAddedFiles: data.adds.length,
      numCopiedRows,
      numDeletionVectorsAdded: dvCounts.numDeletionVectorsAdded,
    };
  } catch (e) {
    await deleteFiles(h, written);
    throw e;
  }
}
