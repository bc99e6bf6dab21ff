// Prepared statements kept per pooled connection for read queries whose exact text repeats (a BI
// tool's health check, a dashboard refreshing the same query). Running a prepared statement skips
// DuckDB's parse, bind and plan. A query is prepared the second time its text is seen, so one-off
// queries pay no extra round trip to DuckDB's worker threads. DuckDB rebinds a prepared statement
// by itself when the catalog objects it uses change, but what a bind reads from outside the
// catalog stays as it was: a file's schema, a glob's file list, a variable. Queries that read
// files or variables are therefore never kept.
import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBPreparedStatement } from '@duckdb/node-api';
import { chunkRows } from './chunk-rows.js';

/** Statements per connection; the least recently used one is destroyed past this. */
const MAX_PREPARED = 64;
/** Texts remembered as seen once, per connection. */
const MAX_SEEN = 256;
/** Longer texts are not worth keeping (each entry holds the text and DuckDB's plan). */
const MAX_TEXT = 64 * 1024;
/** Only reads: they can run any number of times with the same meaning. */
const READ_QUERY = /^\s*(select|with|from|values)\b/i;
/** File readers (explicit or DuckDB's replacement scans of a path) and bind-time lookups. */
const BIND_READS_OUTSIDE =
  /\b(read_\w+|parquet_\w+|glob|sniff_csv|getvariable|current_setting)\s*\(|\bfrom\s+'|\.(csv|tsv|txt|json|jsonl|ndjson|parquet)\b/i;

interface ConnectionCache {
  readonly prepared: Map<string, DuckDBPreparedStatement>;
  readonly seen: Set<string>;
}

export class PreparedCache {
  readonly #byConnection = new WeakMap<DuckDBConnection, ConnectionCache>();

  /** Runs one statement (no `;`-separated list) materialized, through a prepared statement when it repeats. */
  async run(conn: DuckDBConnection, sql: string): Promise<DuckDBMaterializedResult> {
    if (sql.length > MAX_TEXT || !READ_QUERY.test(sql) || BIND_READS_OUTSIDE.test(sql)) return conn.run(sql);
    const cache = this.#cacheOf(conn);
    let statement = cache.prepared.get(sql);
    if (statement === undefined) {
      if (!cache.seen.has(sql)) {
        remember(cache.seen, sql, MAX_SEEN);
        return conn.run(sql);
      }
      cache.seen.delete(sql);
      statement = await conn.prepare(sql);
      this.#keep(cache, sql, statement);
    } else {
      // Most recently used last, so the first entry is the one to evict.
      cache.prepared.delete(sql);
      cache.prepared.set(sql, statement);
    }
    try {
      return await statement.run();
    } catch (e) {
      // Whatever went wrong (an interrupt, a dropped table), the next run starts afresh.
      cache.prepared.delete(sql);
      statement.destroySync();
      throw e;
    }
  }

  #cacheOf(conn: DuckDBConnection): ConnectionCache {
    let cache = this.#byConnection.get(conn);
    if (cache === undefined) {
      cache = { prepared: new Map(), seen: new Set() };
      this.#byConnection.set(conn, cache);
    }
    return cache;
  }

  #keep(cache: ConnectionCache, sql: string, statement: DuckDBPreparedStatement): void {
    cache.prepared.set(sql, statement);
    if (cache.prepared.size <= MAX_PREPARED) return;
    const [oldest, evicted] = cache.prepared.entries().next().value as [string, DuckDBPreparedStatement];
    cache.prepared.delete(oldest);
    evicted.destroySync();
  }
}

const remember = (seen: Set<string>, sql: string, max: number): void => {
  seen.add(sql);
  if (seen.size > max) seen.delete(seen.values().next().value as string);
};

/** All rows of a materialized result, read without further round trips to DuckDB's threads. */
export const materializedRows = (result: DuckDBMaterializedResult): unknown[][] => {
  const rows: unknown[][] = [];
  for (let i = 0, n = result.chunkCount; i < n; i++) {
    for (const row of chunkRows(result.getChunk(i))) rows.push(row);
  }
  return rows;
};
