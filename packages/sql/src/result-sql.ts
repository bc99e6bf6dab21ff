// SQL that produces the result rows of Loch's own statements (DESCRIBE HISTORY/DETAIL/TABLE, RESTORE,
// INSERT). Running them through the engine gives real DuckDB values and types, so one set of
// formatters serves every result. Pure: inputs in, SQL text out.
import type { StructType } from '@loch/delta';
import type { HistoryEntry, RestoreResult, TableDetail } from '@loch/table';
import { sqlTypeName } from './data-types.js';
import { quoteIdent, quoteString } from './tokenizer.js';

/** One typed SQL value. */
const lit = {
  str: (v: string | null | undefined): string => (v == null ? 'NULL::VARCHAR' : `${quoteString(v)}::VARCHAR`),
  bigint: (v: number | null | undefined): string => (v == null ? 'NULL::BIGINT' : `${Math.trunc(v)}::BIGINT`),
  int: (v: number | null | undefined): string => (v == null ? 'NULL::INTEGER' : `${Math.trunc(v)}::INTEGER`),
  bool: (v: boolean | null | undefined): string =>
    v == null ? 'NULL::BOOLEAN' : `${v ? 'true' : 'false'}::BOOLEAN`,
  /** An instant, shown as Databricks' TIMESTAMP (UTC). */
  ts: (ms: number | null | undefined): string =>
    ms == null ? 'NULL::TIMESTAMPTZ' : `${quoteString(new Date(ms).toISOString())}::TIMESTAMPTZ`,
  map: (m: Readonly<Record<string, string>>): string => {
    const entries = Object.entries(m).map(([k, v]) => `${quoteString(k)}: ${quoteString(String(v))}`);
    return `MAP {${entries.join(', ')}}::MAP(VARCHAR, VARCHAR)`;
  },
  list: (items: readonly string[]): string => `[${items.map(quoteString).join(', ')}]::VARCHAR[]`,
} as const;

/** `SELECT <cols> FROM (VALUES ...)` keeping row order; zero rows gives a typed empty result. */
function valuesSql(
  columns: readonly { name: string; type: string }[],
  rows: readonly (readonly string[])[],
): string {
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  if (rows.length === 0) {
    const nulls = columns.map((c) => `NULL::${c.type} AS ${quoteIdent(c.name)}`).join(', ');
    return `SELECT ${nulls} LIMIT 0`;
  }
  const values = rows.map((r, i) => `(${i}, ${r.join(', ')})`).join(',\n  ');
  return `SELECT ${names} FROM (VALUES\n  ${values}\n) AS t("_ord", ${names}) ORDER BY "_ord"`;
}

const JOB_TYPE =
  'STRUCT(jobId VARCHAR, jobName VARCHAR, jobRunId VARCHAR, runId VARCHAR, jobOwnerId VARCHAR, triggerType VARCHAR)';
const NOTEBOOK_TYPE = 'STRUCT(notebookId VARCHAR)';

export const HISTORY_COLUMNS = [
  { name: 'version', type: 'BIGINT' },
  { name: 'timestamp', type: 'TIMESTAMPTZ' },
  { name: 'userId', type: 'VARCHAR' },
  { name: 'userName', type: 'VARCHAR' },
  { name: 'operation', type: 'VARCHAR' },
  { name: 'operationParameters', type: 'MAP(VARCHAR, VARCHAR)' },
  { name: 'job', type: JOB_TYPE },
  { name: 'notebook', type: NOTEBOOK_TYPE },
  { name: 'clusterId', type: 'VARCHAR' },
  { name: 'readVersion', type: 'BIGINT' },
  { name: 'isolationLevel', type: 'VARCHAR' },
  { name: 'isBlindAppend', type: 'BOOLEAN' },
  { name: 'operationMetrics', type: 'MAP(VARCHAR, VARCHAR)' },
  { name: 'userMetadata', type: 'VARCHAR' },
  { name: 'engineInfo', type: 'VARCHAR' },
] as const;

/** DESCRIBE HISTORY: newest first, Databricks' columns. */
export function historySql(entries: readonly HistoryEntry[]): string {
  const rows = entries.map((e) => [
    lit.bigint(e.version),
    lit.ts(e.timestamp),
    lit.str(e.userId),
    lit.str(e.userName),
    lit.str(e.operation),
    lit.map(e.operationParameters),
    `NULL::${JOB_TYPE}`,
    `NULL::${NOTEBOOK_TYPE}`,
    'NULL::VARCHAR',
    lit.bigint(e.readVersion),
    lit.str(e.isolationLevel),
    lit.bool(e.isBlindAppend),
    lit.map(e.operationMetrics),
    lit.str(e.userMetadata),
    lit.str(e.engineInfo),
  ]);
  return valuesSql(HISTORY_COLUMNS, rows);
}

export const DETAIL_COLUMNS = [
  { name: 'format', type: 'VARCHAR' },
  { name: 'id', type: 'VARCHAR' },
  { name: 'name', type: 'VARCHAR' },
  { name: 'description', type: 'VARCHAR' },
  { name: 'location', type: 'VARCHAR' },
  { name: 'createdAt', type: 'TIMESTAMPTZ' },
  { name: 'lastModified', type: 'TIMESTAMPTZ' },
  { name: 'partitionColumns', type: 'VARCHAR[]' },
  { name: 'clusteringColumns', type: 'VARCHAR[]' },
  { name: 'numFiles', type: 'BIGINT' },
  { name: 'sizeInBytes', type: 'BIGINT' },
  { name: 'properties', type: 'MAP(VARCHAR, VARCHAR)' },
  { name: 'minReaderVersion', type: 'INTEGER' },
  { name: 'minWriterVersion', type: 'INTEGER' },
  { name: 'tableFeatures', type: 'VARCHAR[]' },
] as const;

/** DESCRIBE DETAIL: one row, Databricks' columns. */
export function detailSql(d: TableDetail): string {
  return valuesSql(DETAIL_COLUMNS, [
    [
      lit.str(d.format),
      lit.str(d.id),
      lit.str(d.name),
      lit.str(d.description),
      lit.str(d.location),
      lit.ts(d.createdAt),
      lit.ts(d.lastModified),
      lit.list(d.partitionColumns),
      lit.list(d.clusteringColumns),
      lit.bigint(d.numFiles),
      lit.bigint(d.sizeInBytes),
      lit.map(d.properties),
      lit.int(d.minReaderVersion),
      lit.int(d.minWriterVersion),
      lit.list(d.tableFeatures),
    ],
  ]);
}

const DESCRIBE_COLUMNS = [
  { name: 'col_name', type: 'VARCHAR' },
  { name: 'data_type', type: 'VARCHAR' },
  { name: 'comment', type: 'VARCHAR' },
] as const;

/** DESCRIBE TABLE: columns, then Databricks' "# Partition Information" section when partitioned. */
export function describeTableSql(schema: StructType, partitionColumns: readonly string[]): string {
  const comment = (m: Readonly<Record<string, unknown>>): string | null =>
    typeof m['comment'] === 'string' ? m['comment'] : null;
  const rows = schema.fields.map((f) => [
    lit.str(f.name),
    lit.str(sqlTypeName(f.type)),
    lit.str(comment(f.metadata)),
  ]);
  if (partitionColumns.length > 0) {
    rows.push([lit.str('# Partition Information'), lit.str(''), lit.str('')]);
    rows.push([lit.str('# col_name'), lit.str('data_type'), lit.str('comment')]);
    for (const p of partitionColumns) {
      const f = schema.fields.find((x) => x.name === p);
      rows.push([
        lit.str(p),
        lit.str(f ? sqlTypeName(f.type) : null),
        lit.str(f ? comment(f.metadata) : null),
      ]);
    }
  }
  return valuesSql(DESCRIBE_COLUMNS, rows);
}

/** RESTORE's metrics row, as Databricks returns it. */
export function restoreSql(r: RestoreResult): string {
  return valuesSql(
    [
      { name: 'table_size_after_restore', type: 'BIGINT' },
      { name: 'num_of_files_after_restore', type: 'BIGINT' },
      { name: 'num_removed_files', type: 'BIGINT' },
      { name: 'num_restored_files', type: 'BIGINT' },
      { name: 'removed_files_size', type: 'BIGINT' },
      { name: 'restored_files_size', type: 'BIGINT' },
    ],
    [
      [
        lit.bigint(r.tableSizeAfterRestore),
        lit.bigint(r.numOfFilesAfterRestore),
        lit.bigint(r.numRemovedFiles),
        lit.bigint(r.numRestoredFiles),
        lit.bigint(r.removedFilesSize),
        lit.bigint(r.restoredFilesSize),
      ],
    ],
  );
}

/** INSERT's result row (num_affected_rows, num_inserted_rows). */
export function insertResultSql(rows: number): string {
  return valuesSql(
    [
      { name: 'num_affected_rows', type: 'BIGINT' },
      { name: 'num_inserted_rows', type: 'BIGINT' },
    ],
    [[lit.bigint(rows), lit.bigint(rows)]],
  );
}

/** SHOW TBLPROPERTIES: one (key, value) row per property, sorted by key. */
export function propertiesSql(entries: readonly (readonly [string, string])[]): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return valuesSql(
    [
      { name: 'key', type: 'VARCHAR' },
      { name: 'value', type: 'VARCHAR' },
    ],
    sorted.map(([k, v]) => [lit.str(k), lit.str(v)]),
  );
}
