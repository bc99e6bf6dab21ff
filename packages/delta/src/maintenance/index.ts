export * from './bin-packing.js';
export * from './vacuum-rules.js';
