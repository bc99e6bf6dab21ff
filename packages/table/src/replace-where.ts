// replaceWhere (Delta's selective overwrite): decide which live files the predicate touches.
// A predicate over partition columns only is evaluated by the engine against each file's
// partition values, and whole files go. Any other predicate is evaluated against the data of the
// files whose stats can match: files with at least one matching row are removed and their
// non-matching rows rewritten. What was read (those files, and the predicate's partitions) is the
// commit's read set, so a concurrent write elsewhere in the table does not fail the overwrite.
import { type AddFile, DeltaError, type ReadSet, type Snapshot } from '@loch/delta';
import {
  candidateFiles,
  DEFAULT_ALIAS,
  dmlReadSet,
  filesByPartition,
  isPartitionPredicate,
  predicateExpr,
} from './dml-common.js';
import { buildScanSpec, fileLocation } from './scan.js';
import type { TableHandle } from './table-handle.js';

export interface ReplaceWherePlan {
  readonly remove: readonly AddFile[];
  /** SQL producing the rows of removed files that the predicate does not match (to rewrite), if any. */
  readonly keepSql?: string;
  /** SQL producing the rows of removed files that the predicate matches (deleted), with keepSql. */
  readonly deletedSql?: string;
  readonly partitionOnly: boolean;
  /** What the plan read, for the conflict checker. */
  readonly read: ReadSet;
}

const FILE_COLUMN = '__loch_file';

/** Throws REPLACE_WHERE_MISMATCH unless every row of `dataSql` satisfies the predicate. */
export async function checkReplaceWhereData(
  h: TableHandle,
  dataSql: string,
  predicate: string,
): Promise<void> {
  const result = await h.engine.query(
    `SELECT count(*) FROM (${dataSql}) AS __data WHERE (${predicate}) IS NOT TRUE`,
  );
  const bad = Number(result.rows[0]?.[0] ?? 0);
  if (bad > 0) {
    throw new DeltaError(
      'REPLACE_WHERE_MISMATCH',
      `${bad} row(s) of the data do not satisfy the replaceWhere condition '${predicate}'; ` +
        'a replaceWhere overwrite may only write rows matching it (filter the data, or widen the condition)',
      { predicate, rows: bad },
    );
  }
}

/** The alias partition-only predicates are bound under (they name bare columns). */
const PARTITION_ALIAS = '__p';

export async function planReplaceWhere(
  h: TableHandle,
  snapshot: Snapshot,
  predicate: string,
): Promise<ReplaceWherePlan> {
  // Bare column names bind under any alias; the skipping expression is read under the default one.
  const expr = await predicateExpr(h, snapshot, predicate, DEFAULT_ALIAS);
  const candidates = candidateFiles(snapshot, expr);
  const read = dmlReadSet(snapshot, candidates, expr);
  if (snapshot.files.length === 0) return { remove: [], partitionOnly: true, read };
  if (await isPartitionPredicate(h, snapshot, predicate, PARTITION_ALIAS)) {
    const remove = await filesByPartition(h, snapshot, candidates, predicate, PARTITION_ALIAS);
    return { remove, partitionOnly: true, read };
  }
  if (candidates.length === 0) return { remove: [], partitionOnly: false, read };
  const spec = await buildScanSpec(h, snapshot, { files: candidates, fileColumn: FILE_COLUMN });
  const scan = await h.engine.scanSql(spec);
  const touched = await h.engine.query(
    `SELECT DISTINCT ${FILE_COLUMN} FROM (${scan}) AS __t WHERE (${predicate})`,
  );
  const locations = new Set(touched.rows.map((r) => String(r[0])));
  const remove = candidates.filter((f) => locations.has(fileLocation(h, f)));
  if (remove.length === 0) return { remove, partitionOnly: false, read };
  const keepSpec = await buildScanSpec(h, snapshot, { files: remove });
  const keepScan = await h.engine.scanSql(keepSpec);
  return {
    remove,
    keepSql: `SELECT * FROM (${keepScan}) AS __k WHERE (${predicate}) IS NOT TRUE`,
    deletedSql: `SELECT * FROM (${keepScan}) AS __k WHERE (${predicate})`,
    partitionOnly: false,
    read,
  };
}
