import { defineConfig } from 'vitest/config';

// vitest runs unit and integration tests only; Playwright owns test/e2e.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
