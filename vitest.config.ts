import { defineConfig } from 'vitest/config';

// One runner for the whole repository; each area is a project so its timeouts and parallelism fit it.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'links',
          root: 'apps/links',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'platform',
          root: 'packages/platform',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'observability',
          root: 'observability',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      { test: { name: 'infra', root: 'infra', include: ['test/**/*.test.ts'], testTimeout: 60_000 } },
      {
        test: {
          name: 'e2e',
          root: 'e2e',
          include: ['**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
