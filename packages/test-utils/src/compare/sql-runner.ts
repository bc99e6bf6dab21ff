// The one capability the comparator needs: run SQL and get rows back. `Engine` from
// @loch/engine-duckdb satisfies it structurally, so the actual side can be canonicalized on the
// same database that produced the scan SQL (which may reference temporary objects there).

export interface SqlColumn {
  readonly name: string;
  /** DuckDB type text, e.g. 'DECIMAL(10,2)' or 'STRUCT("a" INTEGER)[]'. */
  readonly type: string;
}

export interface SqlResult {
  readonly columns: readonly SqlColumn[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface SqlRunner {
  query(sql: string): Promise<SqlResult>;
}
