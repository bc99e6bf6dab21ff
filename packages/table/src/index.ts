// @loch/table: Delta table operations on an Engine and an ObjectStore.

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
export { DeltaTable, type ScanSqlOptions, tableUrl } from './delta-table.js';
export { tableFeatureNames } from './history.js';
export { missingFileError } from './missing-file.js';
export { buildScanSpec, type ScanOptions } from './scan.js';
export { DEFAULT_ENGINE_INFO, parseTimestamp, TableHandle } from './table-handle.js';
export type * from './types.js';
export { canUpcast, planWriteSchema, sameType, type WriteSchemaPlan } from './write-schema.js';
