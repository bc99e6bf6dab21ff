export * from './file-key.js';
export * from './replay.js';
export * from './retention.js';
