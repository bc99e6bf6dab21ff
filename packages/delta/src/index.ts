// @loch/delta: the pure Delta Lake protocol. No IO, no runtime dependencies, no node:* imports.
export * from './actions/index.js';
export * from './commit/index.js';
export * from './contracts.js';
export * from './dv/index.js';
export * from './errors.js';
export * from './expr/index.js';
export * from './features/index.js';
export * from './log/index.js';
export * from './maintenance/index.js';
export * from './replay/index.js';
export * from './schema/index.js';
export * from './snapshot/index.js';
export * from './stats/index.js';
