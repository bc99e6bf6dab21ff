export * from './file-names.js';
export * from './log-segment.js';
