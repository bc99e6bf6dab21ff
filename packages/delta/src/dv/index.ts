export * from './crc32.js';
export * from './deletion-vector.js';
export * from './load-deletion-vector.js';
export * from './roaring.js';
export * from './z85.js';
