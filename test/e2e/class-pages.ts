import { expect, type Browser, type Page } from '@playwright/test';

/**
 * A student joins the room on a laptop-sized page of their own (a context each, as separate devices):
 * done once the page shows their business. `watch` is the spec's page-error watcher (page-errors.ts).
 */
export async function joinAsStudent(
  browser: Browser,
  watch: (page: Page, who: string) => Page,
  code: string,
  name: string,
): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = watch(await ctx.newPage(), name);
  await page.goto(`/#/join/${code}`);
  await page.fill('#nickname', name);
  await page.getByRole('button', { name: /Join the game/ }).click();
  await expect(page.locator('.biz-name')).toContainText(`${name}'s Lemonade`);
  return page;
}
