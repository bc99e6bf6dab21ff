export * from './codec.js';
export type * from './types.js';
