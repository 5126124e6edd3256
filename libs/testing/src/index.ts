export * from './net/free-port';
export * from './postgres/test-database';
