import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'main/**/*.test.ts',
      'sim/**/*.test.ts',
      'bench/**/*.test.ts',
      'scripts/**/*.test.ts',
      'renderer/**/*.test.ts',
    ],
    // A process per file: cometd-nodejs-client is process-wide (one CometD client each).
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
