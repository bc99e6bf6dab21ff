export * from './from-sql-ast.js';
export * from './inspect.js';
export * from './skipping.js';
export * from './types.js';
export { compareUtf8, type Dec, parseDec } from './values.js';
