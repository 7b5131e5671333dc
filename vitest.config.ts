import { defineConfig } from 'vitest/config';

// vitest runs unit and integration tests only; Playwright owns test/e2e.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The server, built once before any file runs: the tests' server processes run it as production does.
    globalSetup: ['test/build-server-once.ts'],
  },
});
