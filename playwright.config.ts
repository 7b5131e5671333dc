import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';

// Browser tests drive Debian's Chromium (Playwright cannot download its own here). The server runs the
// freshly built client on a fixed port with an in-memory store in a throwaway data directory.
const PORT = Number(process.env.E2E_PORT ?? 4317);
const dataDir = path.join(os.tmpdir(), `lemonscale-e2e-${process.pid}`);

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  timeout: 240_000,
  // Pages drawing WebGL in software on a busy 2-core machine hold their main threads for seconds at a
  // time (a page setting up its scene: 5-25 s; docs/performance.md, "A returning student stuck at
  // Connecting…"), and everything Playwright does in a page waits behind that: CI runs failed on a
  // screenshot, a click's "waiting for scheduled navigations" and a look at a page's counts, each past
  // 20 s with the page doing what it should. The waits are on conditions, so a longer limit only slows a
  // test that fails anyway.
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1366, height: 900 },
    actionTimeout: 60_000,
    navigationTimeout: 60_000,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: 'npm run build && node --enable-source-maps dist/server/main.js',
    url: `http://127.0.0.1:${PORT}/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // The server's log goes to a file (test/e2e/server-log.ts attaches it to a failed test), not to CI's output.
    env: {
      PORT: String(PORT),
      DATA_DIR: dataDir,
      LEMONSCALE_STORE: 'memory',
      LOG_FILE: 'test-results/e2e-server.log',
      LOG_LEVEL: 'debug',
      // Every spec's teacher creates rooms from 127.0.0.1, and an ended room stays open an hour: the whole
      // suite is one address with a dozen rooms or more, where a school's teacher has one or two open.
      ROOMS_PER_ADDRESS: '100',
    },
  },
});
