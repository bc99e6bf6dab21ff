// The only place the suite touches Loch: a TableContext built from DuckEngine + openStore, and
// DeltaTable's public read API. Everything else in the suite is fixture bookkeeping.
import type { Snapshot } from '@loch/delta';
import { DuckEngine } from '@loch/engine-duckdb';
import { openStore } from '@loch/storage';
import { DeltaTable, type TableContext, type VersionSelector } from '@loch/table';
import { type CountingStore, countingStore, type VersionRef } from '@loch/test-utils';

export interface Reader {
  readonly engine: DuckEngine;
  readonly ctx: TableContext;
  close(): Promise<void>;
}

/** One engine for the whole file: 2 threads, the machine's core count. */
export async function openReader(): Promise<Reader> {
  const engine = await DuckEngine.create({ threads: 2 });
  const ctx: TableContext = { engine, stores: openStore };
  return { engine, ctx, close: () => engine.close() };
}

export const selector = (version: VersionRef | undefined): VersionSelector | undefined =>
  version === undefined || version === 'latest' ? undefined : { version };

export interface ReadOptions {
  readonly version?: VersionRef;
  readonly columns?: readonly string[];
}

export async function openTable(reader: Reader, dir: string): Promise<DeltaTable> {
  return DeltaTable.forPath(reader.ctx, dir);
}

export async function snapshotOf(reader: Reader, dir: string, version?: VersionRef): Promise<Snapshot> {
  const table = await openTable(reader, dir);
  return table.snapshot(selector(version));
}

/** SQL of the table's rows at a version (optionally projected), as DeltaTable.scanSql gives it. */
export async function scanSqlOf(reader: Reader, dir: string, options: ReadOptions = {}): Promise<string> {
  const table = await openTable(reader, dir);
  const at = selector(options.version);
  return table.scanSql({
    ...(at !== undefined ? { at } : {}),
    ...(options.columns !== undefined ? { columns: [...options.columns] } : {}),
  });
}

/** SQL of the table's change data feed from `start` to `end` (inclusive), without `_commit_timestamp`. */
export async function changesSqlOf(
  reader: Reader,
  dir: string,
  start: number,
  end: VersionRef,
): Promise<string> {
  const table = await openTable(reader, dir);
  const sql = await table.changesSql({
    startVersion: start,
    ...(end === 'latest' ? {} : { endVersion: end }),
  });
  return `SELECT * EXCLUDE ("_commit_timestamp") FROM (${sql}) AS __cdf`;
}

export async function countRows(reader: Reader, sql: string): Promise<number> {
  const result = await reader.engine.query(`SELECT count(*) AS n FROM (${sql}) AS __scan`);
  return Number(result.rows[0]?.[0]);
}

/** The error code a thrown value carries (DeltaError, StorageError and EngineError all have one). */
export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A table whose stores record their calls, to check how much of the log a load reads. */
export function openCountingTable(
  reader: Reader,
  dir: string,
): { table: DeltaTable; stores: CountingStore[] } {
  const stores: CountingStore[] = [];
  const ctx: TableContext = {
    ...reader.ctx,
    stores: async (url) => {
      const store = countingStore(await openStore(url));
      stores.push(store);
      return store;
    },
  };
  return { table: DeltaTable.forPath(ctx, dir), stores };
}
