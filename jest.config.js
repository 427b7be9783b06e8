/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // tsconfig sets isolatedModules, so ts-jest only transpiles; `tsc` in `npm run build` type-checks once.
    '^.+\\.tsx?$': 'ts-jest',
  },
  testTimeout: 120000,
};
