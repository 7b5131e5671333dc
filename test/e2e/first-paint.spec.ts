import { expect, test, type Page } from '@playwright/test';
import { closeAllContexts } from './open-contexts.ts';
import { pageErrors } from './page-errors.ts';

/**
 * A student's business is on screen before its picture starts: client/src/screens/business-screen.ts
 * starts the pixi scene only after the frame that paints the first view, because pixi's start (WebGL in
 * software here) can hold the main thread for seconds, and a returning student's page used to show
 * "Connecting…" all that time with their business waiting behind it. The page records the order itself
 * (an init script): when the first view reached the DOM, the frame after it and what the HUD and the
 * shop showed then; the scene's start is when its code began to load (Resource Timing's start of the
 * business-scene chunk, which only the scene imports). An order, not a duration: steady on a busy machine.
 */
const { errors, watch } = pageErrors();

test.afterEach(({ browser }) => closeAllContexts(browser));

interface FirstPaint {
  /** performance.now() when the page first named the business (the first view applied). */
  viewAt: number | null;
  /** The first animation frame after that (the frame that paints it), and what the page showed then. */
  frameAt: number | null;
  cash: string;
  shopButtons: number;
  sceneCanvas: boolean;
}

declare global {
  interface Window {
    firstPaint?: FirstPaint;
  }
}

/** Records FirstPaint in every page the context opens, from the document's start. */
function recordFirstPaint(): void {
  const seen: FirstPaint = { viewAt: null, frameAt: null, cash: '', shopButtons: 0, sceneCanvas: false };
  window.firstPaint = seen;
  // A mutation observer runs right after the task that changed the DOM: the whole view is applied by then.
  new MutationObserver((_, observer) => {
    if (!document.querySelector('.biz-name')?.textContent?.includes("'s Lemonade")) return;
    observer.disconnect();
    seen.viewAt = performance.now();
    requestAnimationFrame(() => {
      seen.frameAt = performance.now();
      seen.cash = document.querySelector('[data-hud="cash"]')?.textContent ?? '';
      seen.shopButtons = document.querySelectorAll('button[data-shop]').length;
      seen.sceneCanvas = document.querySelector('[data-testid="scene"] canvas') !== null;
    });
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Waits for the scene to be up, then checks that the business was painted before the scene began to load. */
async function expectBusinessBeforeScene(page: Page): Promise<void> {
  await expect(page.locator('[data-testid="scene"] canvas')).toBeAttached();
  const order = await page.evaluate(() => {
    const chunk = performance
      .getEntriesByType('resource')
      .find((e) => /\/assets\/business-scene-[\w-]+\.js$/.test(e.name));
    return { ...window.firstPaint!, sceneAt: chunk ? chunk.startTime : null };
  });
  expect(order.frameAt, 'the business was named, and a frame followed').not.toBeNull();
  expect(order.sceneAt, "the scene's code (assets/business-scene-*.js) was fetched").not.toBeNull();
  // What the frame painted: the HUD's numbers and the shop, and no picture yet.
  expect(order.cash).toMatch(/\$\d/);
  expect(order.shopButtons).toBeGreaterThan(0);
  expect(order.sceneCanvas).toBe(false);
  // The scene's start came after that frame, not with the page.
  expect(order.sceneAt!, JSON.stringify(order)).toBeGreaterThan(order.frameAt!);
}

test("a student's numbers and shop are painted before the business's picture starts, on joining and on returning", async ({
  browser,
}) => {
  const teacherCtx = await browser.newContext();
  const t = watch(await teacherCtx.newPage(), 'teacher');
  await t.goto('/#/host');
  await t.getByRole('button', { name: /Create the room/ }).click();
  const code = (await t.getByTestId('room-code').textContent())!.trim();

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.addInitScript(recordFirstPaint);
  const page = watch(await ctx.newPage(), 'Ann');
  await page.goto(`/#/join/${code}`);
  await page.fill('#nickname', 'Ann');
  await page.getByRole('button', { name: /Join the game/ }).click();
  await expect(page.locator('.biz-name')).toContainText("Ann's Lemonade");
  await expectBusinessBeforeScene(page);

  // A returning student: the page loads at /play and resumes the business over a new connection.
  await page.reload();
  await expect(page.locator('.biz-name')).toContainText("Ann's Lemonade");
  await expectBusinessBeforeScene(page);
  expect(errors).toEqual([]);
});
