// @loch/storage: ObjectStore implementations chosen by URL (file://, memory://, local paths).
export * from './add-paths.js';
export * from './errors.js';
export * from './file-store.js';
export * from './memory-store.js';
export * from './open-store.js';
export { compareUtf8 } from './store-paths.js';
export type * from './types.js';
