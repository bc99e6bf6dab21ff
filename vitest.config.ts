import { defineConfig } from 'vitest/config';

// Tests import workspace packages from source via the "loch-source" export condition,
// so `vitest` never depends on a stale dist/. The CLI end-to-end tests spawn the built
// binary, which is why `npm test` runs `tsc -b` first.
export default defineConfig({
  resolve: { conditions: ['loch-source'] },
  ssr: { resolve: { conditions: ['loch-source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'tests/*.test.ts',
          ],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'conformance',
          include: ['tests/conformance/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
