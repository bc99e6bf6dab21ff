// DeltaTable: the public entry point of @loch/table. Holds only a TableHandle (store + cached
// latest snapshot); each operation lives in its own module.
import * as nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeltaError, type Snapshot } from '@loch/delta';
import type { QueryResult } from '@loch/engine-duckdb';
import { alterTable } from './alter.js';
import { changeFeedSql } from './change-feed.js';
import { writeCheckpoint } from './checkpoint.js';
import { type ConvertOptions, type ConvertResult, convertFromParquet } from './convert.js';
import { type CopyIntoOptions, type CopyIntoResult, copyIntoTable } from './copy-into.js';
import { createTable } from './create.js';
import { deleteRows } from './delete.js';
import { tableDetail, tableHistory } from './history.js';
import { MergeBuilder } from './merge-builder.js';
import type { MergeOptions } from './merge-types.js';
import { missingFileError } from './missing-file.js';
import { optimizeTable } from './optimize.js';
import { restoreTable } from './restore.js';
import { buildScanSpec, planScan, type ScanFilter, type ScanMetrics } from './scan.js';
import { quoteIdent } from './sql-text.js';
import { TableHandle } from './table-handle.js';
import type {
  AlterOperation,
  ChangeFeedRange,
  CreateTableOptions,
  DeleteOptions,
  DeleteResult,
  HistoryEntry,
  OptimizeOptions,
  OptimizeResult,
  RestoreResult,
  SnapshotSource,
  TableContext,
  TableDetail,
  UpdateOptions,
  UpdateResult,
  VacuumOptions,
  VacuumResult,
  VersionSelector,
  WriteOptions,
  WriteResult,
} from './types.js';
import { updateRows } from './update.js';
import { vacuumTable } from './vacuum.js';
import { writeTable } from './write.js';

export interface ScanSqlOptions {
  readonly at?: VersionSelector;
  readonly columns?: readonly string[];
}

export interface ScanPlanOptions extends ScanSqlOptions {
  /** Skip files that certainly hold no row matching this predicate (data skipping). */
  readonly filter?: ScanFilter;
}

function checkColumns(snapshot: Snapshot, columns: readonly string[] | undefined): void {
  for (const c of columns ?? []) {
    if (!snapshot.schema.fields.some((f) => f.name === c)) {
      throw new DeltaError(
        'SCHEMA_MISMATCH',
        `column '${c}' does not exist; columns are ${snapshot.schema.fields.map((f) => f.name).join(', ')}`,
        { column: c },
      );
    }
  }
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//u;

/** A table location as a URL: `file://` for plain paths, other URLs as given. */
export function tableUrl(urlOrPath: string): string {
  if (SCHEME.test(urlOrPath) || urlOrPath.startsWith('file:')) return urlOrPath.replace(/\/+$/u, '');
  return pathToFileURL(nodePath.resolve(urlOrPath)).href.replace(/\/+$/u, '');
}

export class DeltaTable implements SnapshotSource {
  readonly url: string;
  readonly #ctx: TableContext;
  #handle: Promise<TableHandle> | undefined;

  private constructor(ctx: TableContext, url: string) {
    this.#ctx = ctx;
    this.url = url;
  }

  static forPath(ctx: TableContext, urlOrPath: string): DeltaTable {
    return new DeltaTable(ctx, tableUrl(urlOrPath));
  }

  /** The handle is opened once; a failed open is retried by the next call. */
  private handle(): Promise<TableHandle> {
    if (this.#handle === undefined) {
      const opening = Promise.resolve(this.#ctx.stores(this.url)).then(
        (store) => new TableHandle(this.#ctx, store),
      );
      opening.catch(() => {
        this.#handle = undefined;
      });
      this.#handle = opening;
    }
    return this.#handle;
  }

  async exists(): Promise<boolean> {
    return (await (await this.handle()).latest()) !== undefined;
  }

  /** The latest snapshot (refreshed incrementally) or the one at a version / timestamp. */
  async snapshot(at?: VersionSelector): Promise<Snapshot> {
    return (await this.handle()).at(at);
  }

  /** SQL text of a relation with the table's rows at a version (usable as `FROM (<sql>)`). */
  async scanSql(opts: ScanSqlOptions = {}): Promise<string> {
    const h = await this.handle();
    const snapshot = await h.at(opts.at);
    checkColumns(snapshot, opts.columns);
    const spec = await buildScanSpec(
      h,
      snapshot,
      opts.columns !== undefined ? { columns: opts.columns } : {},
    );
    return h.engine.scanSql(spec);
  }

  /** Like scanSql, pruned by `filter`, with the pruning counts and planning time. */
  async scan(opts: ScanPlanOptions = {}): Promise<{ sql: string; metrics: ScanMetrics }> {
    const started = performance.now();
    const h = await this.handle();
    const snapshot = await h.at(opts.at);
    checkColumns(snapshot, opts.columns);
    const { spec, metrics } = await planScan(
      h,
      snapshot,
      {
        ...(opts.columns !== undefined ? { columns: opts.columns } : {}),
        ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
      },
      started,
    );
    const sql = await h.engine.scanSql(spec);
    return { sql, metrics: { ...metrics, planningMs: performance.now() - started } };
  }

  /** Rows as objects keyed by column name (DuckDB JS values); for tests and small results. */
  async toArray(
    opts: ScanSqlOptions & { readonly orderBy?: readonly string[] } = {},
  ): Promise<Record<string, unknown>[]> {
    const sql = await this.scanSql(opts);
    const order = opts.orderBy?.length ? ` ORDER BY ${opts.orderBy.map(quoteIdent).join(', ')}` : '';
    const result: QueryResult = await this.#ctx.engine
      .query(`SELECT * FROM (${sql}) AS t${order}`)
      .catch((e: unknown) => {
        throw missingFileError(e);
      });
    return result.rows.map((row) => {
      const o: Record<string, unknown> = {};
      result.columns.forEach((c, i) => {
        o[c.name] = row[i];
      });
      return o;
    });
  }

  /**
   * SQL text of the table's change data feed over a range (usable as `FROM (<sql>)`): the table
   * columns plus `_change_type`, `_commit_version` (BIGINT) and `_commit_timestamp` (TIMESTAMPTZ).
   */
  async changesSql(range: ChangeFeedRange): Promise<string> {
    return changeFeedSql(await this.handle(), range);
  }

  /** The change data feed as row objects, ordered by commit version; for tests and small results. */
  async changes(range: ChangeFeedRange): Promise<Record<string, unknown>[]> {
    const sql = await this.changesSql(range);
    const result: QueryResult = await this.#ctx.engine.query(
      `SELECT * FROM (${sql}) AS t ORDER BY "_commit_version"`,
    );
    return result.rows.map((row) => {
      const o: Record<string, unknown> = {};
      result.columns.forEach((c, i) => {
        o[c.name] = row[i];
      });
      return o;
    });
  }

  async create(opts: CreateTableOptions): Promise<{ version: number }> {
    return createTable(await this.handle(), opts);
  }

  /** Writes the rows of a DuckDB query. */
  async write(sourceSql: string, opts: WriteOptions): Promise<WriteResult> {
    return writeTable(await this.handle(), sourceSql, opts);
  }

  /** CONVERT TO DELTA: a Delta log over the parquet files already at this (local) location. */
  async convertFromParquet(opts?: ConvertOptions): Promise<ConvertResult> {
    return convertFromParquet(await this.handle(), opts);
  }

  /** COPY INTO: loads the files `opts.from` names, skipping those loaded before. */
  async copyInto(opts: CopyIntoOptions): Promise<CopyIntoResult> {
    return copyIntoTable(this, (await this.handle()).engine, opts);
  }

  /** DELETE FROM t [WHERE predicateSql]: a DuckDB predicate over the table's columns. */
  async delete(predicateSql?: string, opts?: DeleteOptions): Promise<DeleteResult> {
    return deleteRows(await this.handle(), predicateSql, opts);
  }

  /** UPDATE t SET column = expr, ... [WHERE predicateSql]; expressions are DuckDB SQL. */
  async update(
    assignments: Readonly<Record<string, string>>,
    predicateSql?: string,
    opts?: UpdateOptions,
  ): Promise<UpdateResult> {
    return updateRows(await this.handle(), assignments, predicateSql, opts);
  }

  /**
   * MERGE INTO this table USING `source` (DuckDB SQL, or another table) ON `condition`: returns a
   * builder; add WHEN clauses, then execute(). Aliases default to 'target' and 'source'.
   */
  merge(
    source: string | { scanSql(): Promise<string> },
    condition: string,
    opts: MergeOptions = {},
  ): MergeBuilder {
    return new MergeBuilder(() => this.handle(), {
      sourceSql: typeof source === 'string' ? source : '',
      condition,
      matched: [],
      notMatched: [],
      notMatchedBySource: [],
      options: opts,
      ...(typeof source === 'string' ? {} : { resolveSource: () => source.scanSql() }),
    });
  }

  async history(limit?: number): Promise<HistoryEntry[]> {
    return tableHistory(await this.handle(), limit);
  }

  async detail(): Promise<TableDetail> {
    const h = await this.handle();
    return tableDetail(h, await h.require());
  }

  async restore(to: VersionSelector): Promise<RestoreResult> {
    return restoreTable(await this.handle(), to);
  }

  async alter(op: AlterOperation): Promise<{ version: number }> {
    return alterTable(await this.handle(), op);
  }

  /** OPTIMIZE: bin-packs small files (per partition) into files of the target size. */
  async optimize(opts: OptimizeOptions = {}): Promise<OptimizeResult> {
    return optimizeTable(await this.handle(), opts);
  }

  /** VACUUM: deletes files no version inside the retention references. */
  async vacuum(opts: VacuumOptions = {}): Promise<VacuumResult> {
    return vacuumTable(await this.handle(), opts);
  }

  /** Waits for background checkpoints (TableContext.checkpointMode 'background') to finish. */
  async flush(): Promise<void> {
    if (this.#handle !== undefined) await (await this.#handle).flush();
  }

  /** Writes a classic checkpoint of the latest version now. */
  async checkpoint(): Promise<{ version: number }> {
    const h = await this.handle();
    const result = await writeCheckpoint(h, await h.require());
    return { version: result.version };
  }
}
