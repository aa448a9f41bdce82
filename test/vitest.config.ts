import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    // Native modules (sharp, better-sqlite3, onnxruntime-node) are happiest in forked processes.
    pool: 'forks',
    // Bounds, not waits: tests wait for events, and these only stop a test that hangs. Generous,
    // because the suite must pass on a 2-core machine whose cores are busy with other work.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // expect.poll without its own timeout waits for its condition up to this long (vitest's default is 1 s).
    expect: { poll: { timeout: 30_000 } },
    // Two cores: e2e and integration files start processes of their own.
    maxWorkers: 2,
  },
});
