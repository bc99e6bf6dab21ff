// Result rows of OPTIMIZE and VACUUM, shaped as Databricks returns them: OPTIMIZE one row
// (path, metrics STRUCT), VACUUM DRY RUN one `path` row per file, VACUUM the table path.
import type { FileSizeSummary, OptimizeMetrics, VacuumResult } from '@loch/table';
import { quoteString } from './tokenizer.js';

const big = (n: number): string => `${Math.trunc(n)}::BIGINT`;
const dbl = (n: number): string => `${Number.isFinite(n) ? n : 0}::DOUBLE`;

const sizes = (s: FileSizeSummary): string =>
  `{'min': ${big(s.min)}, 'max': ${big(s.max)}, 'avg': ${dbl(s.avg)}, 'totalFiles': ${big(s.totalFiles)}, 'totalSize': ${big(s.totalSize)}}`;

/** OPTIMIZE: `path` and Databricks' `metrics` struct. */
export function optimizeResultSql(path: string, m: OptimizeMetrics): string {
  const fields: [string, string][] = [
    ['numFilesAdded', big(m.numFilesAdded)],
    ['numFilesRemoved', big(m.numFilesRemoved)],
    ['filesAdded', sizes(m.filesAdded)],
    ['filesRemoved', sizes(m.filesRemoved)],
    ['partitionsOptimized', big(m.partitionsOptimized)],
    [
      'zOrderStats',
      m.zOrderStats === null ? 'NULL::VARCHAR' : `${quoteString(JSON.stringify(m.zOrderStats))}::VARCHAR`,
    ],
    ['numBatches', big(m.numBatches)],
    ['totalConsideredFiles', big(m.totalConsideredFiles)],
    ['totalFilesSkipped', big(m.totalFilesSkipped)],
    ['preserveInsertionOrder', m.preserveInsertionOrder ? 'true' : 'false'],
    ['numFilesSkippedToReduceWriteAmplification', big(m.numFilesSkippedToReduceWriteAmplification)],
    ['numBytesSkippedToReduceWriteAmplification', big(m.numBytesSkippedToReduceWriteAmplification)],
    ['startTimeMs', big(m.startTimeMs)],
    ['endTimeMs', big(m.endTimeMs)],
    ['totalClusterParallelism', big(m.totalClusterParallelism)],
    ['totalScheduledTasks', big(m.totalScheduledTasks)],
    ['autoCompactParallelismStats', 'NULL::VARCHAR'],
    [
      'deletionVectorStats',
      `{'numDeletionVectorsRemoved': ${big(m.deletionVectorStats.numDeletionVectorsRemoved)}, 'numDeletionVectorRowsRemoved': ${big(m.deletionVectorStats.numDeletionVectorRowsRemoved)}}`,
    ],
    ['numTableColumns', big(m.numTableColumns)],
    ['numTableColumnsWithStats', big(m.numTableColumnsWithStats)],
  ];
  const struct = `{${fields.map(([k, v]) => `${quoteString(k)}: ${v}`).join(', ')}}`;
  return `SELECT ${quoteString(path)}::VARCHAR AS "path", ${struct} AS "metrics"`;
}

/** VACUUM: the files (DRY RUN) or the table path with the number of files deleted. */
export function vacuumResultSql(r: VacuumResult): string {
  if (r.dryRun) {
    if (r.files.length === 0) return `SELECT NULL::VARCHAR AS "path" LIMIT 0`;
    const rows = r.files.map((f, i) => `(${i}, ${quoteString(f)})`).join(', ');
    return `SELECT "path" FROM (VALUES ${rows}) AS t("_ord", "path") ORDER BY "_ord"`;
  }
  return `SELECT ${quoteString(r.path)}::VARCHAR AS "path", ${big(r.numDeletedFiles)} AS "numDeletedFiles"`;
}
