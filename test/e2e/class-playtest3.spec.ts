import { expect, test, type Page } from '@playwright/test';
import { closeAllContexts } from './open-contexts.ts';
import { pageErrors } from './page-errors.ts';
import { hostWithProjector, joinAsStudent } from './class-pages.ts';

/**
 * The third playtest's fixes, in one short game: a loss in the teacher's leaderboard reads on one line
 * ("▼ −$36.44" broke after the minus, "$36.44" alone on the next line); while the teacher pauses
 * the shop is closed and says why (it offered "New stand" and answered the tap with an error), the
 * console and the projector show the paused moment, and hidden scores leave the projector at once.
 * The fourth playtest's, at the game's end: the shop's last "✅ ...: done!" gives way to the shop being
 * closed, the results page's "Each student" holds the students and the bots apart (marked "🤖 bot"), and
 * the replay's keyboard hint shows on a laptop but not on a phone (no keys to press).
 */
const { errors, watch } = pageErrors();

test.afterEach(({ browser }) => closeAllContexts(browser));

/** How many lines an element's text takes (distinct tops of its text's boxes). */
function linesOf(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  }, selector);
}

test('a loss on one line in the teacher leaderboard; the paused shop says why; the ended game', async ({
  browser,
}) => {
  const {
    teacher: t,
    projector,
    code,
  } = await hostWithProjector(browser, watch, ['bot-scale-out', 'bot-hybrid']);
  await t.setViewportSize({ width: 1280, height: 800 });
  const ann = await joinAsStudent(browser, watch, code, 'Ann');
  await t.locator('button[data-action="start"]').click();

  // Ann buys a stand at once: a loss, shown with its arrow in the teacher's leaderboard.
  const buy = ann.locator('button[data-shop="buy-stand"]');
  await expect(buy).toHaveAttribute('aria-disabled', 'false');
  await buy.click();
  await expect(ann.locator('.shop-feedback')).toContainText('done');
  const loss = '[data-testid="teacher-leaderboard"] td.neg';
  await expect(t.locator(loss).first()).toBeVisible();
  expect(await linesOf(t, loss)).toBe(1);

  // Paused: every shop item says why, before any tap.
  await t.locator('button[data-action="pause"]').click();
  await expect(ann.locator('#shop-why-buy-stand')).toHaveText(
    '🔒 the game is paused: the shop opens again when the teacher resumes',
  );
  await expect(buy).toHaveAttribute('aria-disabled', 'true');
  // The console and the projector show the paused moment, as Ann's page does (they kept the first
  // numbers of the second the pause fell in)...
  const annProfit = (await ann.locator('[data-hud="profit"]').textContent())!;
  await expect(t.locator('[data-testid="teacher-leaderboard"] tr[data-player="Ann"] td.neg')).toHaveText(
    annProfit,
  );
  await expect(projector.locator('tr[data-player="Ann"] td.neg')).toHaveText(annProfit);
  // ...and scores hidden during the pause leave the projector at once (they stayed until the game went on).
  await t.locator('button[data-action="scores"]').click();
  await expect(projector.getByTestId('projector-scores-hidden')).toBeVisible();
  await expect(projector.locator('tr[data-player="Ann"]')).toBeHidden();
  await t.locator('button[data-action="scores"]').click();
  await expect(projector.locator('tr[data-player="Ann"] td.neg')).toHaveText(annProfit);

  // Resumed: the stand can be bought again.
  await t.locator('button[data-action="pause"]').click();
  await expect(ann.locator('#shop-why-buy-stand')).not.toContainText('paused');

  // The end: Ann's shop no longer says her last purchase was done, but that it is closed.
  await expect(ann.locator('.shop-feedback')).toContainText('done');
  t.once('dialog', (d) => void d.accept());
  await t.getByRole('button', { name: /End the game/ }).click();
  await expect(ann.locator('.shop-feedback')).toHaveText('🏁 The game is over: the shop is closed.');

  // The teacher's "Each student": Ann among the students, the two bots apart and marked as bots.
  await t.getByRole('button', { name: /Results, charts and CSV/ }).click();
  const reports = t.getByTestId('student-reports');
  await expect(reports.locator('details[data-report="Ann"] summary')).not.toContainText('bot');
  const botReports = reports.getByTestId('bot-reports').locator('summary');
  await expect(botReports).toHaveCount(2);
  for (const summary of await botReports.all()) await expect(summary).toContainText('🤖 bot');
  await expect(reports.getByTestId('bot-reports').locator('details[data-report="Ann"]')).toHaveCount(0);

  // The replay: its keyboard hint on the teacher's laptop, none on a phone.
  const gameId = /Game (\S+) ·/.exec((await t.getByText(/check hash/).textContent())!)![1];
  await t.goto(`/#/replay/${gameId}`);
  await expect(t.getByTestId('replay-leaderboard')).toBeVisible();
  await expect(t.locator('.replay-controls .keys-hint')).toBeVisible();
  const phoneCtx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
  });
  const phone = watch(await phoneCtx.newPage(), 'phone');
  await phone.goto(`/#/replay/${gameId}`);
  await expect(phone.getByTestId('replay-leaderboard')).toBeVisible();
  await expect(phone.locator('.replay-controls .keys-hint')).toBeAttached();
  await expect(phone.locator('.replay-controls .keys-hint')).toBeHidden();

  expect(errors, errors.join('\n')).toEqual([]);
});
