export * from './parse-stats.js';
