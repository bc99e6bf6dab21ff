// The TypeScript entry point: one call wires an engine, the object stores and a SQL session, the way
// a SparkSession does for PySpark code. Everything it returns is the real layer underneath.
import { isAbsolute, resolve } from 'node:path';
import { type BootstrapResult, type Metastore, openMetastore } from '@loch/catalog';
import { DuckEngine, type QueryResult, toRowObjects } from '@loch/engine-duckdb';
import { quoteIdent, type SparkConf, SqlSession } from '@loch/sql';
import { openStore } from '@loch/storage';
import { type ChangeFeedRange, DeltaTable, type TableContext, type VersionSelector } from '@loch/table';

export const ENGINE_INFO = 'Loch/0.1.0';

export interface OpenOptions {
  /** Folder that relative table paths resolve against (default: LOCH_WAREHOUSE or ./warehouse). */
  readonly warehouse?: string;
  readonly threads?: number;
  readonly memoryLimit?: string;
  /** false: path-based tables only, no metastore (`<warehouse>/_loch/metastore.db`) is opened. */
  readonly catalog?: boolean;
  /** Password of the bootstrap admin of a fresh warehouse (default LOCH_ADMIN_PASSWORD, else generated). */
  readonly adminPassword?: string;
  /**
   * DuckDB connections: statements that run at once (default 3); more wait. Each running statement
   * also holds a thread of libuv's pool, so raise UV_THREADPOOL_SIZE above this (the `loch` binary
   * sets 64).
   */
  readonly connections?: number;
  /** Track query progress for a progress bar (`InterruptScope.progress()`); the CLI turns it on. */
  readonly trackProgress?: boolean;
}

export interface ReadOptions {
  readonly versionAsOf?: number;
  /** A timestamp string ('2024-01-01 10:00:00') or ms since the epoch. */
  readonly timestampAsOf?: string | number;
  readonly columns?: readonly string[];
  /**
   * `option("readChangeFeed", "true")`: the change data feed instead of the table, with
   * `_change_type`, `_commit_version` and `_commit_timestamp`, from `startingVersion` or
   * `startingTimestamp` up to `endingVersion` / `endingTimestamp` (default: the latest).
   */
  readonly readChangeFeed?: boolean;
  readonly startingVersion?: number;
  readonly startingTimestamp?: string | number;
  readonly endingVersion?: number;
  readonly endingTimestamp?: string | number;
}

export interface Relation {
  /** The DuckDB SQL of the relation, with every table replaced by its current scan. */
  scanSql(): Promise<string>;
  toArray(): Promise<Record<string, unknown>[]>;
}

export interface Loch {
  readonly warehouse: string;
  readonly engine: DuckEngine;
  readonly session: SqlSession;
  /** The warehouse's metastore (named catalogs, schemas, tables...), unless opened with catalog: false. */
  readonly metastore: Metastore | undefined;
  /** Whether this open created the warehouse's admin user, and the generated password to show once. */
  readonly bootstrap: BootstrapResult;
  /** Runs a script (Databricks + DuckDB SQL) and returns the last statement's rows as JSON-ready objects. */
  sql(text: string): Promise<Record<string, unknown>[]>;
  /** Like `sql`, with the raw result (column types and DuckDB values). */
  query(text: string): Promise<QueryResult>;
  /** The Spark session configuration of `sql` (`spark.conf.set(k, v)` is `loch.conf.set(k, v)`). */
  readonly conf: SparkConf;
  /** The Delta table at a path (relative paths resolve against the warehouse): `DeltaTable.forPath`. */
  table(path: string): DeltaTable;
  /** The named table (`t`, `schema.t`, `catalog.schema.t`): `DeltaTable.forName`. */
  forName(name: string): Promise<DeltaTable>;
  /**
   * Reads the table at a path, optionally time-travelling or as its change feed:
   * `spark.read.format("delta").option("versionAsOf", n).load(path)`.
   */
  read(path: string, options?: ReadOptions): Promise<Record<string, unknown>[]>;
  /**
   * A lazy relation over Loch SQL (named tables, delta.`path`, time travel, table_changes), the
   * DataFrame of `spark.sql(...)`: a MERGE source (`table.merge(loch.relation(sql), ...)`), or rows
   * with `toArray()`. The SQL is planned when used, against the tables' state at that moment.
   */
  relation(sql: string): Relation;
  /** `read` of a named table: `spark.read.format("delta").option(...).table(name)`. */
  readTable(name: string, options?: ReadOptions): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function openLoch(options: OpenOptions = {}): Promise<Loch> {
  const warehouse = resolve(options.warehouse ?? process.env['LOCH_WAREHOUSE'] ?? 'warehouse');
  const opened =
    options.catalog === false
      ? undefined
      : await openMetastore(
          warehouse,
          options.adminPassword === undefined ? {} : { adminPassword: options.adminPassword },
        );
  let engine: DuckEngine;
  try {
    engine = await DuckEngine.create({
      threads: options.threads,
      memoryLimit: options.memoryLimit,
      ...(options.connections === undefined ? {} : { connections: options.connections }),
      trackProgress: options.trackProgress === true,
    });
  } catch (e) {
    await opened?.metastore.close();
    throw e;
  }
  // Checkpoints run after the commit returns (one at a time per table), so a commit's latency
  // does not include rewriting the table state; close() waits for them.
  const ctx: TableContext = {
    engine,
    stores: openStore,
    engineInfo: ENGINE_INFO,
    checkpointMode: 'background',
  };
  // One DeltaTable per location keeps its cached snapshot warm across statements.
  const tables = new Map<string, DeltaTable>();
  const open = (location: string): DeltaTable => {
    let table = tables.get(location);
    if (table === undefined) {
      table = DeltaTable.forPath(ctx, location);
      tables.set(location, table);
    }
    return table;
  };
  const session = new SqlSession({
    engine,
    openTable: open,
    baseDir: warehouse,
    ...(opened === undefined ? {} : { metastore: opened.metastore }),
  });
  const locate = (path: string) =>
    isAbsolute(path) || path.includes('://') ? path : resolve(warehouse, path);
  const forName = async (name: string): Promise<DeltaTable> => open(await session.tableLocation(name));
  const readRows = async (table: DeltaTable, opts: ReadOptions): Promise<Record<string, unknown>[]> => {
    const columns = opts.columns?.map(quoteIdent).join(', ') ?? '*';
    const relation = opts.readChangeFeed
      ? await table.changesSql(changeRange(opts))
      : await table.scanSql({ at: snapshotAt(opts), columns: opts.columns });
    return toRowObjects(await engine.query(`SELECT ${columns} FROM (${relation})`));
  };
  const lastResult = async (text: string): Promise<QueryResult> => {
    const results = await session.execute(text);
    const last = results[results.length - 1];
    return last ?? { columns: [], rows: [] };
  };
  return {
    warehouse,
    engine,
    session,
    metastore: opened?.metastore,
    bootstrap: opened?.bootstrap ?? { fresh: false },
    query: lastResult,
    sql: async (text) => toRowObjects(await lastResult(text)),
    conf: session.conf,
    table: (path) => open(locate(path)),
    forName,
    read: async (path, opts = {}) => readRows(open(locate(path)), opts),
    readTable: async (name, opts = {}) => readRows(await forName(name), opts),
    relation: (sql) => ({
      scanSql: () => session.rewriteQuery(sql),
      toArray: async () => toRowObjects(await engine.query(await session.rewriteQuery(sql))),
    }),
    close: async () => {
      await Promise.all([...tables.values()].map((t) => t.flush()));
      await engine.close();
      await opened?.metastore.close();
    },
  };
}

function snapshotAt(opts: ReadOptions): VersionSelector | undefined {
  if (opts.versionAsOf !== undefined) return { version: opts.versionAsOf };
  if (opts.timestampAsOf !== undefined) return { timestamp: opts.timestampAsOf };
  return undefined;
}

function changeRange(opts: ReadOptions): ChangeFeedRange {
  return {
    ...(opts.startingVersion === undefined ? {} : { startVersion: opts.startingVersion }),
    ...(opts.startingTimestamp === undefined ? {} : { startTimestamp: opts.startingTimestamp }),
    ...(opts.endingVersion === undefined ? {} : { endVersion: opts.endingVersion }),
    ...(opts.endingTimestamp === undefined ? {} : { endTimestamp: opts.endingTimestamp }),
  };
}
