// @loch/sql: Databricks/Delta SQL on DuckDB for path-based tables.
export type * from './ast.js';
export { Cursor } from './cursor.js';
export { parseDataType, sqlTypeName } from './data-types.js';
export * from './errors.js';
export { type InsertSourceInput, insertSourceSql } from './insert-source.js';
export { parseScript, parseStatement } from './parser.js';
export { type FilterBuilder, findPushdowns } from './pushdown.js';
export type { QueryMetrics, TableScanMetrics } from './query-metrics.js';
export * from './result-sql.js';
export { SqlSession, type SqlSessionOptions, type StatementResult } from './session.js';
export { SparkConf } from './spark-conf.js';
export { type StatementText, splitStatements } from './split-statements.js';
export type { SqlTable, TableOpener } from './sql-table.js';
export { tableName } from './statement-helpers.js';
export * from './table-refs.js';
export * from './tokenizer.js';
export { toSqlError } from './wrap-error.js';
