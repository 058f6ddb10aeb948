export * from './siwe.js';
