export * from './checkpoint-schema.js';
export * from './commit-assembly.js';
