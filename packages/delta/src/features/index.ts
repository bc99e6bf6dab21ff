export * from './protocol-check.js';
export * from './table-features.js';
