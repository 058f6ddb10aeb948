export * from './typed-data.js';
export * from './contribute.js';
export * from './spending-authorization.js';
export * from './permit.js';
