// What DELETE and UPDATE share: choosing the files that can hold a match (partition values, then
// stats), finding the matching rows of those files in one scan (file name + parquet row index),
// and describing what was read for the conflict checker. Predicates are DuckDB SQL over the
// table's logical columns; they are never rewritten, only placed inside generated queries.
import {
  type AddFile,
  compileSkipping,
  DeltaError,
  type Expr,
  fromDuckDbSelectWhere,
  physicalName,
  pruneFiles,
  type ReadSet,
  type Snapshot,
  statsNumRecords,
} from '@loch/delta';
import { toDuckType } from '@loch/engine-duckdb';
import { buildScanSpec, fileLocation } from './scan.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';
import type { TableHandle } from './table-handle.js';

const FILE_COLUMN = '__loch_file';
const ROW_COLUMN = '__loch_row';
/** The relation name a predicate sees the table under when the statement gives no alias. */
export const DEFAULT_ALIAS = '__loch_target';

/** Deletion vectors are used when the table enables them and its protocol lists the feature. */
export function usesDeletionVectors(snapshot: Snapshot): boolean {
  const on = snapshot.metadata.configuration['delta.enableDeletionVectors']?.toLowerCase() === 'true';
  return on && (snapshot.protocol.writerFeatures ?? []).includes('deletionVectors');
}

export function checkNotAppendOnly(h: TableHandle, snapshot: Snapshot, operation: string): void {
  if (snapshot.metadata.configuration['delta.appendOnly']?.toLowerCase() === 'true') {
    throw new DeltaError(
      'UNSUPPORTED_OPERATION',
      `table ${h.location} is append-only (delta.appendOnly=true); ${operation} would change existing rows`,
      { location: h.location },
    );
  }
}

interface PartitionField {
  readonly name: string;
  readonly key: string;
  readonly sqlType: string;
}

function partitionFields(snapshot: Snapshot): PartitionField[] {
  return snapshot.partitionColumns.map((name) => {
    const field = snapshot.schema.fields.find((f) => f.name === name);
    if (field === undefined) {
      throw new DeltaError('INVALID_SCHEMA', `partition column '${name}' is not in the table schema`, {
        column: name,
      });
    }
    return { name, key: physicalName(field, snapshot.columnMappingMode), sqlType: toDuckType(field.type) };
  });
}

/** True when the predicate binds against the partition columns alone (so whole files decide). */
export async function isPartitionPredicate(
  h: TableHandle,
  snapshot: Snapshot,
  predicate: string,
  alias: string,
): Promise<boolean> {
  if (snapshot.partitionColumns.length === 0) return false;
  const cols = partitionFields(snapshot)
    .map((p) => `CAST(NULL AS ${p.sqlType}) AS ${quoteIdent(p.name)}`)
    .join(', ');
  try {
    await h.engine.describe(`SELECT 1 FROM (SELECT ${cols}) AS ${quoteIdent(alias)} WHERE (${predicate})`);
    return true;
  } catch {
    // The binder rejects references to data columns: the rows must be read.
    return false;
  }
}

/** The files whose partition values satisfy a partition-only predicate (evaluated by the engine). */
export async function filesByPartition(
  h: TableHandle,
  snapshot: Snapshot,
  files: readonly AddFile[],
  predicate: string,
  alias: string,
): Promise<AddFile[]> {
  if (files.length === 0) return [];
  const parts = partitionFields(snapshot);
  const rows = files.map((f, i) => {
    const values = parts.map((p) => {
      const v = f.partitionValues[p.key];
      return v == null ? `CAST(NULL AS ${p.sqlType})` : `CAST(${quoteLiteral(v)} AS ${p.sqlType})`;
    });
    return `(${[String(i), ...values].join(', ')})`;
  });
  const names = ['__idx', ...parts.map((p) => quoteIdent(p.name))].join(', ');
  const result = await h.engine.query(
    `SELECT __idx FROM (VALUES ${rows.join(', ')}) AS ${quoteIdent(alias)}(${names}) WHERE (${predicate})`,
  );
  return result.rows.map((r) => files[Number(r[0])]!);
}

/** The predicate as a skipping expression (DuckDB parses it); undefined when it cannot be read. */
export async function predicateExpr(
  h: TableHandle,
  snapshot: Snapshot,
  predicate: string,
  alias: string,
): Promise<Expr | undefined> {
  try {
    const sql = `SELECT 1 FROM ${quoteIdent(alias)} WHERE ${predicate}`;
    const result = await h.engine.query(`SELECT json_serialize_sql(${quoteLiteral(sql)})`);
    const json = result.rows[0]?.[0];
    if (typeof json !== 'string') return undefined;
    const parsed = JSON.parse(json) as { error?: boolean };
    if (parsed.error === true) return undefined;
    return fromDuckDbSelectWhere(parsed, { qualifiers: [alias], schema: snapshot.schema });
  } catch {
    // Pruning is an optimisation: an unreadable predicate means "every file may match".
    return undefined;
  }
}

/** The live files that may hold rows matching `predicate` (partition values and stats). */
export function candidateFiles(snapshot: Snapshot, expr: Expr | undefined): readonly AddFile[] {
  return pruneFiles(snapshot, expr).files;
}

/**
 * What the operation read, for conflict checking: the files it scanned and which partitions its
 * predicate covers (a winner adding files there could have held matching rows).
 */
export function dmlReadSet(snapshot: Snapshot, files: readonly AddFile[], expr: Expr | undefined): ReadSet {
  if (expr === undefined || snapshot.partitionColumns.length === 0) {
    return { wholeTable: false, files, partitionPredicate: () => true };
  }
  const skip = compileSkipping(expr, {
    schema: snapshot.schema,
    partitionColumns: snapshot.partitionColumns,
    columnMappingMode: snapshot.columnMappingMode,
  });
  return {
    wholeTable: false,
    files,
    // Without stats only partition values can exclude a file: exactly the partition filter.
    partitionPredicate: (partitionValues) =>
      !skip({
        kind: 'add',
        path: '',
        partitionValues: { ...partitionValues },
        size: 1,
        modificationTime: 0,
        dataChange: true,
      }),
  };
}

export interface FileMatch {
  readonly file: AddFile;
  /** Rows of the file visible before the operation (its deletion vector applied). */
  readonly liveRows: number;
  readonly matchedRows: number;
  /** Parquet row indexes of the matching rows, when asked for (deletion vectors need them). */
  readonly rows?: RowIndexes;
}

/** Live rows of a file from its stats and deletion vector; undefined without a record count. */
export function liveRowsFromStats(file: AddFile): number | undefined {
  const n = statsNumRecords(file);
  return n === undefined ? undefined : n - (file.deletionVector?.cardinality ?? 0);
}

/** Parquet row indexes of one file (deletion vector input). */
export type RowIndexes = ArrayLike<number> & Iterable<number>;

/**
 * The row indexes of a `string_agg(CAST(row AS VARCHAR), ',')`, parsed without a string per value:
 * a DELETE or MERGE may hand over hundreds of thousands.
 */
export function parseRowIndexes(text: string): Float64Array {
  if (text === '') return new Float64Array(0);
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) n++;
  const out = new Float64Array(n);
  let k = 0;
  let v = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 44 : text.charCodeAt(i);
    if (c === 44) {
      if (digits === 0) break;
      out[k++] = v;
      v = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
    } else break;
  }
  if (k !== n) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `unexpected row index list from the engine: ${text.slice(0, 80)}`,
    );
  }
  return out;
}

/**
 * One scan over `files` for the matching rows (filtered first, so only matches are grouped);
 * per file with at least one match, its live and matching row counts. Live counts come from the
 * stats; files without a record count are counted by a second, matching-files-only scan.
 */
export async function findMatches(
  h: TableHandle,
  snapshot: Snapshot,
  files: readonly AddFile[],
  predicate: string,
  options: { readonly alias: string; readonly withRows: boolean },
): Promise<FileMatch[]> {
  if (files.length === 0) return [];
  const spec = await buildScanSpec(h, snapshot, {
    files,
    fileColumn: FILE_COLUMN,
    ...(options.withRows ? { rowIndexColumn: ROW_COLUMN } : {}),
  });
  const scan = await h.engine.scanSql(spec);
  const f = quoteIdent(FILE_COLUMN);
  const rowsAgg = options.withRows ? `, string_agg(CAST(${quoteIdent(ROW_COLUMN)} AS VARCHAR), ',')` : '';
  const result = await h.engine.query(
    `SELECT ${f}, count(*)${rowsAgg} FROM (${scan}) AS ${quoteIdent(options.alias)} WHERE (${predicate}) GROUP BY ${f}`,
  );
  const byLocation = new Map(files.map((file) => [fileLocation(h, file), file]));
  const found = result.rows.map((row) => {
    const file = byLocation.get(String(row[0]));
    if (file === undefined) {
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `the scan returned a file that was not asked for: ${String(row[0])}`,
      );
    }
    const text = options.withRows ? String(row[2] ?? '') : '';
    return { file, matchedRows: Number(row[1]), rows: parseRowIndexes(text) };
  });
  const uncounted = found.filter((m) => liveRowsFromStats(m.file) === undefined).map((m) => m.file);
  const counted = new Map<string, number>();
  if (uncounted.length > 0) {
    const countSpec = await buildScanSpec(h, snapshot, { files: uncounted, fileColumn: FILE_COLUMN });
    const counts = await h.engine.query(
      `SELECT ${f}, count(*) FROM (${await h.engine.scanSql(countSpec)}) AS __c GROUP BY ${f}`,
    );
    for (const row of counts.rows) counted.set(String(row[0]), Number(row[1]));
  }
  return found.map((m) => {
    const liveRows = liveRowsFromStats(m.file) ?? counted.get(fileLocation(h, m.file)) ?? m.matchedRows;
    const match: FileMatch = { file: m.file, liveRows, matchedRows: m.matchedRows };
    return options.withRows ? { ...match, rows: m.rows } : match;
  });
}

/** SQL reading the live rows of `files` under `alias` (for rewrites). */
export async function filesScanSql(
  h: TableHandle,
  snapshot: Snapshot,
  files: readonly AddFile[],
): Promise<string> {
  return h.engine.scanSql(await buildScanSpec(h, snapshot, { files }));
}

/** Milliseconds since `start`, for operationMetrics. */
export const since = (start: number): number => Math.max(0, Math.round(performance.now() - start));

/** Runs `attempt` again while it fails with CONCURRENT_MODIFICATION, at most `retries` more times. */
export async function withConflictRetries<T>(
  retries: number | undefined,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof DeltaError && e.code === 'CONCURRENT_MODIFICATION') || n >= (retries ?? 0)) throw e;
    }
  }
}
