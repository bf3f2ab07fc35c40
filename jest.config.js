/**
 * Unit tests sit beside the code (*.spec.ts); integration, end-to-end and browser tests live under
 * test/ and run against the real PostgreSQL (a fresh database per run, see test/support/global-setup.ts).
 * @type {import('jest').Config}
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
// Prisma's generated client imports its siblings as './x.js'; map them back to the sources.
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/services', '<rootDir>/gateway', '<rootDir>/prisma', '<rootDir>/scripts'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      moduleNameMapper,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  maxWorkers: 2,
  // Integration tests boot whole processes (PGlite's first start takes several seconds).
  testTimeout: 120_000,
};
