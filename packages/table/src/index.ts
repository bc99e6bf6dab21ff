// @loch/table: Delta table operations on an Engine and an ObjectStore.

export { SPARK_MAX_FILE_SIZE_KEY, SPARK_MIN_NUM_FILES_KEY } from './auto-optimize.js';
export {
  CHANGE_DATA_DIR,
  type ChangeType,
  recordsChanges,
  tagChanges,
  type WrittenChangeData,
  writeChangeDataFiles,
} from './change-data-files.js';
export {
  CHANGE_TYPE_COLUMN,
  COMMIT_TIMESTAMP_COLUMN,
  COMMIT_VERSION_COLUMN,
  changeFeedSql,
} from './change-feed.js';
export { type ChangeSource, type CommitChanges, planCommitChanges } from './change-feed-plan.js';
export {
  CHECKPOINT_COLUMN_TYPES,
  type CheckpointResult,
  checkpointInterval,
  writeCheckpoint,
} from './checkpoint.js';
export { type CommitOutcome, type CommitPlan, commit } from './commit.js';
export { type ConvertOptions, type ConvertResult, convertFromParquet } from './convert.js';
export {
  COPY_INTO_APP_PREFIX,
  type CopyFileFormat,
  type CopyIntoOptions,
  type CopyIntoResult,
  type CopyTarget,
  copyIntoTable,
} from './copy-into.js';
export { DeltaTable, type ScanPlanOptions, type ScanSqlOptions, tableUrl } from './delta-table.js';
export {
  type GeneratedColumn,
  generatedColumns,
  withGeneratedColumns,
  withRecomputedGeneratedColumns,
} from './generated-columns.js';
export { tableFeatureNames } from './history.js';
export { type IdentityColumn, identityColumns } from './identity-columns.js';
export { MULTIPLE_MATCHES } from './merge.js';
export { type ConditionOption, MergeBuilder } from './merge-builder.js';
export type * from './merge-types.js';
export { missingFileError } from './missing-file.js';
export { buildScanSpec, type ScanFilter, type ScanMetrics, type ScanOptions } from './scan.js';
export { type SessionOverrides, sessionOverrides, withSessionOverrides } from './session-overrides.js';
export { DEFAULT_ENGINE_INFO, parseTimestamp, TableHandle } from './table-handle.js';
export type * from './types.js';
export { canUpcast, planWriteSchema, sameType, type WriteSchemaPlan } from './write-schema.js';
