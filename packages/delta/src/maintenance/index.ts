export * from './bin-packing.js';
export * from './clustering-domain.js';
export * from './log-compaction.js';
export * from './log-retention.js';
export * from './vacuum-rules.js';
export * from './zorder.js';
