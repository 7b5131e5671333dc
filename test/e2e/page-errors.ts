import type { Page } from '@playwright/test';

/**
 * A spec's list of what its pages logged as errors (console errors and uncaught exceptions), each with
 * who saw it. A spec watches every page it opens and expects the list empty at the end: an error a
 * screen hides from its user still fails the test.
 */
export function pageErrors(): { errors: string[]; watch: (page: Page, who: string) => Page } {
  const errors: string[] = [];
  const watch = (page: Page, who: string): Page => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${who}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${who}: ${e.message}`));
    return page;
  };
  return { errors, watch };
}
