import type { Browser } from '@playwright/test';

/**
 * Browser contexts a test opens with browser.newContext() outlive it: Playwright closes only its own
 * `page` fixture's, and the worker's browser runs every spec after. Left open, their pages go on
 * drawing WebGL in software and holding sockets through the specs that follow: behind the classroom
 * test's six pages, the replay spec's 30-player seek took 4.3 s instead of 0.8 s here (13-15 s in CI).
 * Specs that open contexts close them all after each test (test.afterEach), and the specs that print
 * figures check that none is left (otherContexts).
 */
export async function closeAllContexts(browser: Browser): Promise<void> {
  await Promise.all(browser.contexts().map((c) => c.close()));
}

/** The pages of the contexts open in this browser besides `mine`, by address (for a clear message). */
export function otherContexts(browser: Browser, mine: unknown): string[] {
  return browser
    .contexts()
    .filter((c) => c !== mine)
    .map(
      (c) =>
        c
          .pages()
          .map((p) => p.url())
          .join(' ') || '(no page)',
    );
}
