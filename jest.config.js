/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // tsconfig sets isolatedModules, so ts-jest only transpiles; `tsc` in `npm run build` type-checks once.
    '^.+\\.tsx?$': 'ts-jest',
  },
  // Turns off CDK's report-only CloudFormation schema validation (seconds per synth); one test runs it strictly.
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  testTimeout: 120000,
  // Jest's default is one worker fewer than the cores: on a 2-core machine, one worker, with the parent
  // process idle while it waits. The test files are CPU-bound (CDK synth), so one worker per core.
  maxWorkers: '100%',
};
