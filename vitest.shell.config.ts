import { defineConfig } from 'vitest/config';

/**
 * The shell suite (`npm run test:shell`): the built Electron shell under the Electron double,
 * one child process per app, against the simulator.
 */
export default defineConfig({
  test: {
    include: ['e2e/shell/**/*.test.ts'],
    globalSetup: ['e2e/shell/setup.ts'],
    pool: 'forks',
    // The shells mostly wait on the network: more files at once than cores is fine.
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
