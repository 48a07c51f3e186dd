/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // swc strips types without type-checking (tsc --noEmit -p tsconfig.dev.json does that), which
  // keeps a test file's start-up in the tens of milliseconds.
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2020' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: { '^cdktf-groundwork$': '<rootDir>/lib/index.ts' },
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  // Offline terraform init + plan of a whole stack takes seconds, not milliseconds.
  testTimeout: 180000,
};
