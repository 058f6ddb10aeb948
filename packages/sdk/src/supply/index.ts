export * from './distribution-config-error.js';
export * from './parse-distribution-config.js';
export * from './unlocked-amount.js';
export * from './compute-supply-schedule.js';
export * from './format-open.js';
export * from './format-supply-table.js';
export * from './render-supply-chart-svg.js';
