export * from './checkpoint.js';
export * from './cursor.js';
export * from './types.js';
export * from './indexer.js';
export * from './typed-events.js';
