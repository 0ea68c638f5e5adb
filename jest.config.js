// ESM project: jest runs under `node --experimental-vm-modules` (see the npm test script).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/src', '<rootDir>/connectors', '<rootDir>/simulators', '<rootDir>/scripts', '<rootDir>/test', '<rootDir>/bench'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
  // ESM test files under vm modules leave a worker gigabytes large after a few hundred files (browser and
  // embedded-stack tests); a recycled worker keeps the late PGlite starts as fast as the early ones.
  workerIdleMemoryLimit: '1200MB',
};
