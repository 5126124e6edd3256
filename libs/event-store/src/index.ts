export * from './event-store';
export * from './projection-runner';
export * from './schema';
export * from './sql';
export * from './types';
export * from './upcasting';
