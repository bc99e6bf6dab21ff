// The engine contract the table and sql layers program against. Only this package imports DuckDB.
import type { StructType } from '@loch/delta';

/** A column of a query result: its name and DuckDB type text (e.g. 'DECIMAL(18,2)', 'STRUCT(a INTEGER)'). */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

/** A materialized result. `rows` hold DuckDB's JS values (bigint for BIGINT, DuckDB value objects for
 * DECIMAL/DATE/TIMESTAMP/LIST/STRUCT/MAP...); use `formatValue`/the formatters for output. */
export interface QueryResult {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly unknown[])[];
}

/** One data file of a scan, with what the log says about it. */
export interface ScanFile {
  /** Path or URL DuckDB can open. */
  readonly location: string;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  /** Row indexes (0-based parquet row numbers) deleted by a deletion vector, ascending. */
  readonly deletedRows?: readonly number[];
  readonly size?: number;
  /**
   * Physical rows in the file (add.stats numRecords, deleted rows included). Tells DuckDB's optimizer
   * how big the scan is: with an explicit `schema` read_parquet opens no file at bind time and would
   * otherwise guess almost nothing (decision 0003).
   */
  readonly numRecords?: number;
}

/** Everything needed to turn a snapshot's files into one SQL relation with the logical schema. */
export interface ScanSpec {
  readonly files: readonly ScanFile[];
  /** Logical table schema (field metadata carries delta.columnMapping.* when mapped). */
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly columnMappingMode: 'none' | 'name' | 'id';
  /** Output only these top-level columns (logical names), in this order. */
  readonly columns?: readonly string[];
  /** Add the source file location as a column with this name (used by DML). */
  readonly fileColumn?: string;
  /** Add the parquet row index as a column with this name (used by DML / deletion vectors). */
  readonly rowIndexColumn?: string;
  /**
   * Zone for `timestamp` partition values written without an offset ('2021-01-01 10:00:00'). Spark
   * writes them in its session zone, which the log does not record; default 'UTC'.
   */
  readonly partitionTimeZone?: string;
}

/** Delta per-file statistics (PROTOCOL.md "Per-file Statistics"), keyed by logical/physical column. */
export interface FileStats {
  readonly numRecords: number;
  readonly minValues: Record<string, unknown>;
  readonly maxValues: Record<string, unknown>;
  readonly nullCount: Record<string, unknown>;
}

/** A parquet file written by the engine. */
export interface WrittenFile {
  /** Absolute local path / URL of the file. */
  readonly location: string;
  readonly size: number;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly stats: FileStats;
}

export interface WriteParquetOptions {
  /** Directory (absolute local path) the files go in; partition subdirectories are created under it. */
  readonly directory: string;
  /** Logical schema of the rows produced by `sql` (their columns must be in this order/names). */
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  readonly columnMappingMode: 'none' | 'name' | 'id';
  /** Collect stats only for these leading leaf columns (delta.dataSkippingNumIndexedCols, default 32). */
  readonly numIndexedCols?: number;
  readonly statsColumns?: readonly string[];
  /** Target file size in bytes (roll over to a new file past this). */
  readonly targetFileSize?: number;
  /** Parquet codec; default snappy, the default of Spark, delta-rs and DuckDB. */
  readonly compression?: ParquetCompression;
}

export type ParquetCompression = 'snappy' | 'zstd' | 'gzip' | 'lz4_raw' | 'brotli' | 'uncompressed';

/**
 * The engine as the upper layers see it. One instance owns one DuckDB database; calls are queued
 * in front of it so callers never share a connection mid-statement.
 */
export interface Engine {
  /** Run SQL and materialize the result of the last statement. */
  query(sql: string): Promise<QueryResult>;
  /** Run SQL for its effect. */
  run(sql: string): Promise<void>;
  /** Result columns of a query without running it to completion. */
  describe(sql: string): Promise<ResultColumn[]>;
  /**
   * SQL text of a relation (usable as `FROM (<sql>)`) that reads exactly the scan's rows with the
   * logical schema. May register temporary objects (e.g. deletion-vector row sets) in the engine.
   */
  scanSql(spec: ScanSpec): Promise<string>;
  /** Write the rows of `sql` as parquet data files with Delta statistics. */
  writeParquet(sql: string, options: WriteParquetOptions): Promise<WrittenFile[]>;
  close(): Promise<void>;
}
