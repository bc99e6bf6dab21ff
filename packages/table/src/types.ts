// The public contract of @loch/table, written first so the SQL layer and CLI can be built against it.
import type { DataType, ObjectStore, Snapshot, StructType, ZOrderStats } from '@loch/delta';
import type { Engine } from '@loch/engine-duckdb';

/** Opens object stores by URL (file://, memory://). Composition roots supply it (e.g. `openStore`). */
export type StoreFactory = (url: string) => ObjectStore | Promise<ObjectStore>;

export interface TableContext {
  readonly engine: Engine;
  readonly stores: StoreFactory;
  /** Clock in ms; tests may fix it. Defaults to Date.now. */
  readonly now?: () => number;
  /** Engine name written into commitInfo.engineInfo. */
  readonly engineInfo?: string;
  /**
   * When a due checkpoint is written: 'inline' (default) before the commit call returns;
   * 'background' after it, off the commit's latency path (one at a time, coalesced to the newest
   * due version). Long-lived writers can use 'background'; call `table.flush()` before exiting.
   */
  readonly checkpointMode?: 'inline' | 'background';
}

/** Time travel selector: a version, or a timestamp (ms since epoch or a parseable string). */
export type VersionSelector = { readonly version: number } | { readonly timestamp: number | string };

export interface CreateTableOptions {
  readonly schema: StructType;
  readonly partitionColumns?: readonly string[];
  /** Table properties, e.g. delta.columnMapping.mode=name, delta.checkpointInterval=10. */
  readonly properties?: Readonly<Record<string, string>>;
  readonly description?: string;
  readonly name?: string;
  readonly ifNotExists?: boolean;
  readonly orReplace?: boolean;
  /** Liquid clustering columns (CREATE TABLE ... CLUSTER BY); a clustered table has no partition columns. */
  readonly clusterBy?: readonly string[];
}

export type WriteMode = 'append' | 'overwrite' | 'errorIfExists' | 'ignore';

export interface WriteOptions {
  readonly mode: WriteMode;
  /** With mode 'overwrite': replace only rows matching this SQL predicate (Delta replaceWhere). */
  readonly replaceWhere?: string;
  /** Add new columns / widen types the protocol allows. */
  readonly mergeSchema?: boolean;
  /** With mode 'overwrite': replace the schema (and partitioning) with the data's. */
  readonly overwriteSchema?: boolean;
  /** For a table created by this write. */
  readonly partitionBy?: readonly string[];
  readonly properties?: Readonly<Record<string, string>>;
  /** Idempotent write: skip if this app id already committed this version (Delta txn action). */
  readonly txn?: { readonly appId: string; readonly version: number };
  /** Further txn actions committed with the data, unchecked (COPY INTO records one per loaded file). */
  readonly extraTxns?: readonly { readonly appId: string; readonly version: number }[];
  /** Extra commitInfo fields (e.g. userMetadata). */
  readonly userMetadata?: string;
  /**
   * The commitInfo operation, for SQL statements that write through this call: CTAS/RTAS.
   * Default 'WRITE' (what a DataFrame write records).
   */
  readonly operation?:
    | 'WRITE'
    | 'CREATE TABLE AS SELECT'
    | 'REPLACE TABLE AS SELECT'
    | 'CREATE OR REPLACE TABLE AS SELECT';
  /** Table description for a table this write creates. */
  readonly description?: string;
  /**
   * For a table this write creates or replaces (CREATE TABLE t (cols) AS SELECT): the declared
   * columns (types, nullability, generated/identity metadata, comments) instead of the data's.
   * The data's columns are matched to them by name.
   */
  readonly schema?: StructType;
  /** For a table this write creates or replaces: liquid clustering columns, in the same commit. */
  readonly clusterBy?: readonly string[];
}

export interface WriteResult {
  readonly version: number;
  readonly numFiles: number;
  readonly numOutputRows: number;
  readonly numOutputBytes: number;
  /** True when nothing was written (mode 'ignore' on an existing table, or a replayed txn). */
  readonly skipped?: boolean;
}

/**
 * A change data feed range: exactly one start, at most one end (default: the latest version).
 * Bounds are inclusive; a start timestamp selects the first commit at or after it, an end
 * timestamp the last commit at or before it.
 */
export interface ChangeFeedRange {
  readonly startVersion?: number;
  readonly startTimestamp?: number | string;
  readonly endVersion?: number;
  readonly endTimestamp?: number | string;
}

/** One row of DESCRIBE HISTORY, shaped as Databricks shows it. */
export interface HistoryEntry {
  readonly version: number;
  readonly timestamp: number;
  readonly userId?: string | null;
  readonly userName?: string | null;
  readonly operation: string;
  readonly operationParameters: Readonly<Record<string, string>>;
  readonly readVersion?: number | null;
  readonly isolationLevel?: string | null;
  readonly isBlindAppend?: boolean | null;
  readonly operationMetrics: Readonly<Record<string, string>>;
  readonly userMetadata?: string | null;
  readonly engineInfo?: string | null;
}

/** DESCRIBE DETAIL. */
export interface TableDetail {
  readonly format: 'delta';
  readonly id: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly location: string;
  readonly createdAt: number | null;
  readonly lastModified: number;
  readonly partitionColumns: readonly string[];
  readonly clusteringColumns: readonly string[];
  readonly numFiles: number;
  readonly sizeInBytes: number;
  readonly properties: Readonly<Record<string, string>>;
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
  readonly tableFeatures: readonly string[];
}

export interface RestoreResult {
  readonly version: number;
  readonly tableSizeAfterRestore: number;
  readonly numOfFilesAfterRestore: number;
  readonly numRemovedFiles: number;
  readonly numRestoredFiles: number;
  readonly removedFilesSize: number;
  readonly restoredFilesSize: number;
}

export type AlterOperation =
  | {
      readonly kind: 'addColumns';
      readonly columns: readonly { name: string; type: DataType; nullable?: boolean; comment?: string }[];
    }
  | { readonly kind: 'renameColumn'; readonly from: string; readonly to: string }
  | { readonly kind: 'dropColumns'; readonly columns: readonly string[] }
  | { readonly kind: 'setProperties'; readonly properties: Readonly<Record<string, string>> }
  | { readonly kind: 'unsetProperties'; readonly keys: readonly string[]; readonly ifExists?: boolean }
  /** CHECK constraint stored as table property `delta.constraints.<name>` (lower-cased). */
  | { readonly kind: 'addConstraint'; readonly name: string; readonly expr: string }
  | { readonly kind: 'dropConstraint'; readonly name: string; readonly ifExists?: boolean }
  /** ALTER COLUMN c SET NOT NULL (checked against existing rows) / DROP NOT NULL; top-level columns. */
  | { readonly kind: 'setColumnNullability'; readonly column: string; readonly nullable: boolean }
  /** ALTER TABLE ... CLUSTER BY (columns); an empty list is CLUSTER BY NONE. */
  | { readonly kind: 'clusterBy'; readonly columns: readonly string[] };

/**
 * A Delta table at a location. Stateless apart from a cached latest snapshot; every operation
 * loads (or refreshes) the snapshot it needs and commits optimistically.
 *
 * Shape (implemented in delta-table.ts):
 *   DeltaTable.forPath(ctx, urlOrPath)
 *   table.exists(): Promise<boolean>
 *   table.snapshot(at?: VersionSelector): Promise<Snapshot>
 *   table.scanSql(opts?: { at?: VersionSelector; columns?: string[] }): Promise<string>
 *   table.scan(opts?: { at?; columns?; filter?: Expr | (snapshot) => Expr }): Promise<{ sql; metrics: ScanMetrics }>
 *   table.toArray(opts?)  // convenience: query the scan and return row objects
 *   table.create(opts: CreateTableOptions): Promise<{ version: number }>
 *   table.write(sourceSql: string, opts: WriteOptions): Promise<WriteResult>   // sourceSql is a DuckDB query
 *   table.history(limit?: number): Promise<HistoryEntry[]>
 *   table.detail(): Promise<TableDetail>
 *   table.restore(to: VersionSelector): Promise<RestoreResult>
 *   table.alter(op: AlterOperation): Promise<{ version: number }>
 *   table.checkpoint(): Promise<{ version: number }>
 *   table.flush(): Promise<void>   // waits for background checkpoints (checkpointMode 'background')
 */
export interface SnapshotSource {
  snapshot(at?: VersionSelector): Promise<Snapshot>;
}

export interface OptimizeOptions {
  /** SQL predicate over partition columns only (OPTIMIZE ... WHERE); other columns are an error. */
  readonly where?: string;
  /** Bin size in bytes; default the table's `delta.targetFileSize`, else 128 MB. */
  readonly targetFileSize?: number;
  /** OPTIMIZE ... ZORDER BY (c1, ...): rewrite every selected file, ordered by a Z-order key over these columns. */
  readonly zOrderBy?: readonly string[];
}

export interface FileSizeSummary {
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly totalFiles: number;
  readonly totalSize: number;
}

/** The `metrics` struct Databricks' OPTIMIZE returns. */
export interface OptimizeMetrics {
  readonly numFilesAdded: number;
  readonly numFilesRemoved: number;
  readonly filesAdded: FileSizeSummary;
  readonly filesRemoved: FileSizeSummary;
  readonly partitionsOptimized: number;
  readonly zOrderStats: ZOrderStats | null;
  readonly numBatches: number;
  readonly totalConsideredFiles: number;
  readonly totalFilesSkipped: number;
  readonly preserveInsertionOrder: boolean;
  readonly numFilesSkippedToReduceWriteAmplification: number;
  readonly numBytesSkippedToReduceWriteAmplification: number;
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly totalClusterParallelism: number;
  readonly totalScheduledTasks: number;
  readonly autoCompactParallelismStats: null;
  readonly deletionVectorStats: {
    readonly numDeletionVectorsRemoved: number;
    readonly numDeletionVectorRowsRemoved: number;
  };
  readonly numTableColumns: number;
  readonly numTableColumnsWithStats: number;
}

export interface OptimizeResult {
  /** The OPTIMIZE commit; absent when there was nothing to compact (no commit is written). */
  readonly version?: number;
  readonly path: string;
  readonly metrics: OptimizeMetrics;
}

export interface VacuumOptions {
  /** Keep files removed within this many hours; default the table's delta.deletedFileRetentionDuration. */
  readonly retentionHours?: number;
  /** List what would be deleted, delete nothing, commit nothing. */
  readonly dryRun?: boolean;
  /**
   * Refuse a retention below the table's (spark.databricks.delta.retentionDurationCheck.enabled);
   * default true.
   */
  readonly enforceRetention?: boolean;
}

export interface VacuumResult {
  readonly path: string;
  readonly dryRun: boolean;
  /** Locations of the files deleted (or, with dryRun, that would be). */
  readonly files: readonly string[];
  readonly numFilesToDelete: number;
  readonly sizeOfDataToDelete: number;
  readonly numDeletedFiles: number;
  readonly numVacuumedDirectories: number;
  /** Versions of the 'VACUUM START' / 'VACUUM END' commits (not with dryRun). */
  readonly startVersion?: number;
  readonly endVersion?: number;
}

/** Options of `table.delete` / `table.update`. */
export interface DmlOptions {
  /** The name the predicate and expressions may qualify columns with (`UPDATE t AS a ... a.x`). */
  readonly alias?: string;
  readonly userMetadata?: string;
  /**
   * Re-run the whole statement on the newest snapshot up to this many times when a concurrent
   * commit conflicts with it (default 0: fail with CONCURRENT_MODIFICATION, as Delta does).
   * Safe because the statement is re-evaluated from scratch: `SET v = v + 1` loses no update.
   */
  readonly maxConflictRetries?: number;
}

export type DeleteOptions = DmlOptions;
export type UpdateOptions = DmlOptions;

export interface DeleteResult {
  /** The committed version, or the current one when nothing matched (no commit is written). */
  readonly version: number;
  readonly committed: boolean;
  /** Databricks' num_affected_rows. */
  readonly numDeletedRows: number;
  readonly numRemovedFiles: number;
  readonly numAddedFiles: number;
  readonly numCopiedRows: number;
  readonly numDeletionVectorsAdded: number;
}

export interface UpdateResult {
  readonly version: number;
  readonly committed: boolean;
  /** Databricks' num_affected_rows. */
  readonly numUpdatedRows: number;
  readonly numRemovedFiles: number;
  readonly numAddedFiles: number;
  readonly numCopiedRows: number;
  readonly numDeletionVectorsAdded: number;
}
