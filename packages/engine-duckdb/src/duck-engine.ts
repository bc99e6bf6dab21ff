// The DuckDB engine: one instance owns one DuckDB database, and every statement goes through the
// connection pool's queue. This is the only place (with its helpers) that touches @duckdb/node-api.
import { type DuckDBConnection, DuckDBInstance, type DuckDBResult } from '@duckdb/node-api';
import { chunkRows } from './chunk-rows.js';
import { ConnectionPool } from './connection-pool.js';
import { DeletedRowsRegistry } from './deleted-rows-registry.js';
import { EngineError, wrapDuckDbError } from './errors.js';
import { FileSchemaCache } from './file-schemas.js';
import { DuckDbParquetActionReader } from './parquet-action-reader.js';
import { materializedRows, PreparedCache } from './prepared-cache.js';
import { scanSql } from './scan-sql.js';
import { sparkMacroSql } from './spark-functions.js';
import type {
  Engine,
  QueryResult,
  ResultColumn,
  ScanSpec,
  WriteParquetOptions,
  WrittenFile,
} from './types.js';
import { writeParquet } from './write-parquet.js';

export interface DuckEngineOptions {
  /** Database file; default in-memory. */
  readonly path?: string;
  /** DuckDB worker threads (default: DuckDB's own choice, the core count). */
  readonly threads?: number;
  /** e.g. '4GB'. */
  readonly memoryLimit?: string;
  /** Connections in the pool (default 3): this many statements run at once, the rest queue. */
  readonly connections?: number;
  /**
   * Track query progress (DuckDB's progress bar, without its printing), readable through
   * `InterruptScope.progress()`: interactive front ends show it; servers leave it off.
   */
  readonly trackProgress?: boolean;
}

/** One chunk of a streamed result (DuckDB's vector size, usually 2048 rows). */
export interface ResultChunk {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly unknown[])[];
}

const DEFAULT_CONNECTIONS = 3;

export class DuckEngine implements Engine {
  readonly #instance: DuckDBInstance;
  readonly #pool: ConnectionPool;
  readonly #readerConn: DuckDBConnection;
  readonly #deletedRows: DeletedRowsRegistry;
  readonly #fileSchemas: FileSchemaCache;
  readonly #prepared = new PreparedCache();
  #closed = false;
  /** Reads checkpoint / sidecar parquet files as log actions; runs on its own connection. */
  readonly actionReader: DuckDbParquetActionReader;

  private constructor(instance: DuckDBInstance, pool: ConnectionPool, readerConn: DuckDBConnection) {
    this.#instance = instance;
    this.#pool = pool;
    this.#readerConn = readerConn;
    this.actionReader = new DuckDbParquetActionReader(readerConn);
    this.#deletedRows = new DeletedRowsRegistry((fn) => this.withConnection(fn));
    this.#fileSchemas = new FileSchemaCache((sql) => this.query(sql));
  }

  static async create(options: DuckEngineOptions = {}): Promise<DuckEngine> {
    const config: Record<string, string> = {
      // Offline machines: a missing extension must fail fast instead of trying the network.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (options.threads !== undefined) config['threads'] = String(options.threads);
    if (options.memoryLimit !== undefined) config['memory_limit'] = options.memoryLimit;
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(options.path ?? ':memory:', config);
    } catch (e) {
      throw wrapDuckDbError(e);
    }
    try {
      const readerConn = await instance.connect();
      await setupConnection(readerConn);
      // Delta data files never change once written, so caching their footers is safe and saves a
      // footer read per file per query.
      await readerConn.run('SET GLOBAL parquet_metadata_cache = true');
      const setup = options.trackProgress === true ? setupTrackingConnection : setupConnection;
      const pool = new ConnectionPool(instance, options.connections ?? DEFAULT_CONNECTIONS, setup);
      return new DuckEngine(instance, pool, readerConn);
    } catch (e) {
      instance.closeSync();
      throw wrapDuckDbError(e);
    }
  }

  /** Runs `fn` on a pooled connection no other caller uses meanwhile. Errors come back as EngineError. */
  async withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.#closed) throw closedError();
    try {
      return await this.#pool.use(fn);
    } catch (e) {
      throw wrapDuckDbError(e);
    }
  }

  query(sql: string): Promise<QueryResult> {
    return this.#withSql(sql, async (conn) => {
      // With a values array node-api runs every statement and returns the LAST result; without one it
      // returns the first. Single statements skip the extra prepare, or reuse a prepared one.
      const result = mayHaveSeveralStatements(sql)
        ? await conn.run(sql, [])
        : await this.#prepared.run(conn, sql);
      const names = result.columnNames();
      const types = result.columnTypes();
      return {
        columns: names.map((name, i) => ({ name, type: types[i]!.toString() })),
        // Chunks of a materialized result are read synchronously: no round trip per chunk.
        rows: materializedRows(result),
      };
    });
  }

  async run(sql: string): Promise<void> {
    await this.#withSql(sql, async (conn) => {
      await conn.run(sql);
    });
  }

  async describe(sql: string): Promise<ResultColumn[]> {
    return this.#withSql(sql, async (conn) => {
      const prepared = await conn.prepare(sql);
      try {
        const out: ResultColumn[] = [];
        for (let i = 0; i < prepared.columnCount; i++) {
          out.push({ name: prepared.columnName(i), type: prepared.columnType(i).toString() });
        }
        return out;
      } finally {
        prepared.destroySync();
      }
    });
  }

  /**
   * Runs a query and hands its rows to `onChunk` one DuckDB chunk at a time, so large results never sit
   * in memory whole. Returns the columns and the total row count.
   */
  async stream(
    sql: string,
    onChunk: (chunk: ResultChunk) => void | Promise<void>,
  ): Promise<{ columns: ResultColumn[]; rowCount: number }> {
    return this.#withSql(sql, async (conn) => {
      const result: DuckDBResult = await conn.stream(sql);
      const names = result.columnNames();
      const types = result.columnTypes();
      const columns = names.map((name, i) => ({ name, type: types[i]!.toString() }));
      let rowCount = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        rowCount += chunk.rowCount;
        try {
          await onChunk({ columns, rows: chunkRows(chunk) });
        } catch (e) {
          // The caller's own failure: hand it back as is, not as a DuckDB error.
          throw new CallerError(e);
        }
      }
      return { columns, rowCount };
    });
  }

  async scanSql(spec: ScanSpec): Promise<string> {
    if (this.#closed) throw closedError();
    const table = await this.#deletedRows.tableFor(spec.files);
    const plainColumns = await this.#fileSchemas.plainReadable(spec);
    return scanSql(spec, {
      ...(table === undefined ? {} : { deletedRowsTable: table }),
      ...(plainColumns ? { plainColumns } : {}),
    });
  }

  async writeParquet(sql: string, options: WriteParquetOptions): Promise<WrittenFile[]> {
    return writeParquet((text) => this.query(text), sql, options);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#pool.close();
      this.#readerConn.closeSync();
    } finally {
      this.#instance.closeSync();
    }
  }

  async #withSql<T>(sql: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.#closed) throw closedError();
    try {
      return await this.#pool.use(fn);
    } catch (e) {
      if (e instanceof CallerError) throw e.error;
      throw wrapDuckDbError(e, sql);
    }
  }
}

class CallerError {
  constructor(readonly error: unknown) {}
}

const mayHaveSeveralStatements = (sql: string): boolean => sql.replace(/[\s;]+$/, '').includes(';');

async function setupConnection(conn: DuckDBConnection): Promise<void> {
  // Delta timestamps are UTC instants; TIMESTAMP -> TIMESTAMPTZ casts (INT96 files) and stats text must
  // not depend on the machine's zone.
  await conn.run("SET TimeZone = 'UTC'");
  // Spark SQL functions (to_date, nvl, datediff...) as temp macros: temp objects are per connection.
  await conn.run(SPARK_MACRO_SQL);
}

/** A pooled connection whose queries report progress (DuckDB's progress bar, never printed). */
async function setupTrackingConnection(conn: DuckDBConnection): Promise<void> {
  await setupConnection(conn);
  await conn.run('SET enable_progress_bar = true');
  await conn.run('SET enable_progress_bar_print = false');
  // From the first moment: the front end decides when to show it.
  await conn.run('SET progress_bar_time = 0');
}

const SPARK_MACRO_SQL = sparkMacroSql();

const closedError = () => new EngineError('ENGINE_CLOSED', 'the DuckDB engine is closed; create a new one');
