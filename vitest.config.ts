import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The machine has two cores and several suites start servers: keep files from fighting.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
