import fs from 'node:fs';
import path from 'node:path';
import type { TestInfo } from '@playwright/test';

/**
 * The server's log in the browser tests: playwright.config.ts's webServer writes it here (LOG_FILE, at
 * debug level; emptied when the server starts), not to CI's output. Relative to the repository root,
 * where Playwright runs.
 */
export const SERVER_LOG = path.resolve('test-results/e2e-server.log');

function logSize(): number {
  try {
    return fs.statSync(SERVER_LOG).size;
  } catch {
    return 0;
  }
}

/**
 * What the server logged during one test, attached to it when it failed (server.log in its output folder): call `start()` as the test
 * begins and `attachIfFailed(testInfo)` after it (a spec's beforeEach and afterEach). A failure in the
 * browser (a student stuck at "Connecting…") then comes with what the server did meanwhile (when each
 * resume arrived and was answered, connections cut for not reading, handler errors), beside the trace.
 */
export function serverLogOfEachTest(): { start: () => void; attachIfFailed: (t: TestInfo) => Promise<void> } {
  let from = 0;
  return {
    start: () => void (from = logSize()),
    attachIfFailed: async (testInfo) => {
      if (testInfo.status === testInfo.expectedStatus) return;
      let body: string;
      try {
        const all = fs.readFileSync(SERVER_LOG);
        // A server started again meanwhile emptied the file: then all of it is this test's.
        body = all.subarray(all.length >= from ? from : 0).toString('utf8');
      } catch {
        body = `No server log at ${SERVER_LOG}: the server was not started by Playwright (reuseExistingServer), or LOG_FILE is not set.`;
      }
      if (body === '') body = '(The server logged nothing during this test.)\n';
      // A file in the test's output folder (kept with its trace), named in the failure's report.
      const file = testInfo.outputPath('server.log');
      fs.writeFileSync(file, body);
      await testInfo.attach('server-log', { path: file, contentType: 'text/plain' });
    },
  };
}
