export * from './actor';
export * from './clock';
export * from './errors';
export * from './money';
