export * from './column-mapping.js';
export * from './layout-columns.js';
export * from './partition-values.js';
export * from './schema-json.js';
export * from './type-widening.js';
export * from './types.js';
