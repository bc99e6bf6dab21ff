export * from './load-snapshot.js';
export {
  CHECKPOINT_COLUMNS,
  findCommitInfo,
  listLog,
  readCheckpointActions,
  readJsonActions,
  readLastCheckpointHint,
} from './read-log.js';
export * from './timestamps.js';
export type * from './types.js';
