// @loch/engine-duckdb: the only package that imports @duckdb/node-api.

export { type ColumnMappingMode, fieldId, physicalName } from './column-mapping.js';
export { ConnectionPool } from './connection-pool.js';
export { DeletedRowsRegistry, INLINE_DELETED_ROWS_LIMIT } from './deleted-rows-registry.js';
export { DuckEngine, type DuckEngineOptions, type ResultChunk } from './duck-engine.js';
export { type DuckField, type DuckType, parseDuckType, printDuckType } from './duck-type.js';
export { EngineError, type EngineErrorCode, isEngineError, wrapDuckDbError } from './errors.js';
export {
  DEFAULT_NUM_INDEXED_COLS,
  type DuckColumnStats,
  deltaStatsFromDuckDb,
  parseColumnPath,
  parseTimestampMicros,
  STRING_PREFIX_LENGTH,
  type StatsSelection,
  statValue,
  truncateMaxString,
  truncateMinString,
} from './file-stats.js';
export {
  decimalText,
  isoMicros,
  type JsonValue,
  toCsv,
  toJson,
  toJsonValue,
  toNdjson,
  toRowObjects,
  toTable,
} from './format-values.js';
export { escapePathName, HIVE_DEFAULT_PARTITION, partitionDirectory, unescapePathName } from './hive-path.js';
export { InterruptScope, interruptedError, type QueryProgress } from './interrupt-scope.js';
export { hasNestedRename, type RenameDirection, renameNested } from './nested-rename.js';
export { DuckDbParquetActionReader } from './parquet-action-reader.js';
export { partitionValueToSqlLiteral } from './partition-literal.js';
export { type ScanSqlOptions, scanSql } from './scan-sql.js';
export { SPARK_MACROS, type SparkMacro, sparkMacroSql } from './spark-functions.js';
export { quoteIdent, quoteString, stringList } from './sql-text.js';
export type * from './types.js';
export {
  fromDuckType,
  schemaFromDuckColumns,
  schemaToDuckColumns,
  type ToDuckTypeOptions,
  toDuckType,
} from './types-map.js';
export { partitionValueExpr, type QueryRunner, writeParquet } from './write-parquet.js';
