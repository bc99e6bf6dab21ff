export * from './checkpoint-schema.js';
export * from './commit-assembly.js';
export * from './conflict-checker.js';
export * from './conflict-messages.js';
export * from './conflict-rebase.js';
export * from './conflict-rules.js';
export * from './conflict-summary.js';
export * from './conflict-types.js';
