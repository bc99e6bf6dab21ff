// Per-query scan metrics (what data skipping saved) and the pruning section EXPLAIN shows.
import { type Expr, formatExpr } from '@loch/delta';
import type { QueryResult } from '@loch/engine-duckdb';

/** What one table scan of a query read, as @loch/table's `scan` reports it. */
export interface TableScanMetrics {
  /** The location as written in the query. */
  readonly table: string;
  readonly version: number;
  readonly filesTotal: number;
  readonly filesScanned: number;
  readonly bytesTotal: number;
  readonly bytesScanned: number;
  /** The skipping predicate in SQL-like text (absent: no WHERE reached this table). */
  readonly predicate?: string;
  readonly planningMs: number;
}

/** One query statement: sums over the Delta tables it reads, and each table's detail. */
export interface QueryMetrics {
  readonly filesTotal: number;
  readonly filesScanned: number;
  readonly bytesTotal: number;
  readonly bytesScanned: number;
  /** Rewriting the query: predicate pushdown, snapshots, pruning and scan SQL of every table. */
  readonly planningMs: number;
  /** Running the rewritten query in the engine. */
  readonly executionMs: number;
  readonly tables: readonly TableScanMetrics[];
}

export function tableScanMetrics(
  table: string,
  m: {
    readonly version: number;
    readonly filesTotal: number;
    readonly filesScanned: number;
    readonly bytesTotal: number;
    readonly bytesScanned: number;
    readonly filter?: Expr;
    readonly planningMs: number;
  },
): TableScanMetrics {
  return {
    table,
    version: m.version,
    filesTotal: m.filesTotal,
    filesScanned: m.filesScanned,
    bytesTotal: m.bytesTotal,
    bytesScanned: m.bytesScanned,
    ...(m.filter !== undefined ? { predicate: formatExpr(m.filter) } : {}),
    planningMs: round(m.planningMs),
  };
}

export function queryMetrics(
  tables: readonly TableScanMetrics[],
  planningMs: number,
  executionMs: number,
): QueryMetrics {
  let filesTotal = 0;
  let filesScanned = 0;
  let bytesTotal = 0;
  let bytesScanned = 0;
  for (const t of tables) {
    filesTotal += t.filesTotal;
    filesScanned += t.filesScanned;
    bytesTotal += t.bytesTotal;
    bytesScanned += t.bytesScanned;
  }
  return {
    filesTotal,
    filesScanned,
    bytesTotal,
    bytesScanned,
    planningMs: round(planningMs),
    executionMs: round(executionMs),
    tables,
  };
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

const EXPLAIN = /^\s*EXPLAIN\b/i;

/** True for `EXPLAIN [ANALYZE] <query>` (DuckDB runs it; Loch adds the pruning section). */
export const isExplain = (sql: string): boolean => EXPLAIN.test(sql);

/** One line per table: which files data skipping kept, and with which predicate. */
export function pruningText(tables: readonly TableScanMetrics[]): string {
  if (tables.length === 0) return 'Delta scans: none';
  const lines = tables.map(
    (t) =>
      `delta.\`${t.table}\` @ v${t.version}: files scanned ${t.filesScanned}/${t.filesTotal}, ` +
      `bytes scanned ${t.bytesScanned}/${t.bytesTotal}, predicate: ${t.predicate ?? 'none'}`,
  );
  return ['Delta scans (data skipping):', ...lines].join('\n');
}

/**
 * DuckDB's EXPLAIN result with the pruning first: a `delta_pruning` row when the result has
 * DuckDB's (explain_key, explain_value) shape, else the text as a first single-column row.
 */
export function withPruning(result: QueryResult, tables: readonly TableScanMetrics[]): QueryResult {
  const text = pruningText(tables);
  if (result.columns.length === 2 && result.columns[0]?.name === 'explain_key') {
    return { ...result, rows: [['delta_pruning', text], ...result.rows] };
  }
  if (result.columns.length === 1) return { ...result, rows: [[text], ...result.rows] };
  return result;
}
