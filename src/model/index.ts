// Re-exports the model so consumers import from one place.
export * from './event.js';
export * from './accounting.js';
export * from './grant.js';
export * from './gap.js';
