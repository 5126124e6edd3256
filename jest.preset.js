// Shared Jest settings for every project: TypeScript through SWC (fast start-up on 2 cores),
// decorator metadata on (NestJS, class-validator and TypeORM read it), and a reporter that
// leaves per-project counts for tools/run-tests.mjs to total.
const path = require('node:path');
const swcConfig = JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcConfig.$schema;

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { ...swcConfig, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['**/?(*.)+(spec|test).ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper: {
    '^@aftersales/(auth|contracts|embedded-kafka|event-store|kernel|messaging|service-kit|testing)$':
      path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  globalSetup: path.join(__dirname, 'libs/testing/src/jest/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'libs/testing/src/jest/global-teardown.ts'),
  // A test that fails half-way can leave a client open; the run must then end red, not wait for
  // that client forever (CI once sat 89 minutes on one).
  forceExit: true,
  reporters: ['default', path.join(__dirname, 'tools/jest/summary-reporter.js')],
};
