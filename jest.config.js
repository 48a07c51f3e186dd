/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // sucrase strips types without type-checking (`npm run typecheck` does that), which keeps a
  // test file's start-up in the tens of milliseconds. Pure JavaScript, unlike swc or esbuild,
  // whose per-platform binaries the lockfile cannot list from this registry.
  transform: {
    '^.+\\.ts$': '@sucrase/jest-plugin',
  },
  moduleNameMapper: { '^cdktf-groundwork$': '<rootDir>/lib/index.ts' },
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  // Offline terraform init + plan of a whole stack takes seconds, not milliseconds.
  testTimeout: 180000,
  // One worker per core (jest's default leaves one core idle): the terraform-bound files keep
  // one core busy while the synth-only files run on the other.
  maxWorkers: '100%',
  // Longest files first, also on a fresh clone without jest's timing cache.
  testSequencer: '<rootDir>/test/support/sequencer.cjs',
};
