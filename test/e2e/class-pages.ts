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

/**
 * A teacher hosts a room on a laptop-sized console with the host form's `options` checked (their input
 * ids, e.g. 'hide-scores', 'bot-do-nothing'), and opens the projector view beside it (the same
 * context, 1280x720): done once the projector shows the room's code.
 */
export async function hostWithProjector(
  browser: Browser,
  watch: (page: Page, who: string) => Page,
  options: string[],
): Promise<{ teacher: Page; projector: Page; code: string }> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const teacher = watch(await ctx.newPage(), 'teacher');
  await teacher.goto('/#/host');
  for (const id of options) await teacher.locator(`#${id}`).check();
  await teacher.getByRole('button', { name: /Create the room/ }).click();
  const code = (await teacher.getByTestId('room-code').textContent())!.trim();
  const projector = watch(await ctx.newPage(), 'projector');
  await projector.setViewportSize({ width: 1280, height: 720 });
  await projector.goto(`/#/projector/${code}`);
  await expect(projector.getByTestId('projector-code')).toHaveText(code);
  return { teacher, projector, code };
}
