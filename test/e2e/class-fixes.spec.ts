import { expect, test, type Browser, type Page } from '@playwright/test';
import { closeAllContexts } from './open-contexts.ts';
import { overflow } from './screen-checks.ts';
import { pageErrors } from './page-errors.ts';
import { hostWithProjector, joinAsStudent } from './class-pages.ts';

/**
 * The second playtest's fixes, in one short game with hidden scores and two students who never buy (so
 * they tie): the shop's lobby refusal goes once the game starts, a paused game's stands say paused, the
 * projector has something to show while scores are hidden (and no student's numbers), and tied students
 * share a place at the end. Screenshots under test-results/class-fixes.
 */
const SHOTS = 'test-results/class-fixes';
const { errors, watch } = pageErrors();

const student = (browser: Browser, code: string, name: string): Promise<Page> =>
  joinAsStudent(browser, watch, code, name);

test.afterEach(({ browser }) => closeAllContexts(browser));

test('shop, paused stands, the hidden-scores projector and a tie, as a class sees them', async ({
  browser,
}) => {
  const { teacher: t, projector, code } = await hostWithProjector(browser, watch, ['hide-scores']);

  const ann = await student(browser, code, 'Ann');
  const bob = await student(browser, code, 'Bob');
  // In the lobby the shop refuses, and says why...
  // (aria-disabled: Playwright will not click it, a student can; the keyboard does it the same way.)
  await ann.locator('button[data-shop="buy-stand"]').press('Enter');
  await expect(ann.locator('.shop-feedback')).toHaveText('Not yet: the shop opens when the game starts.');
  // ...and once the game starts that is no longer true, so it goes.
  await t.getByRole('button', { name: /Start the game/ }).click();
  await expect(ann.locator('button[data-shop="buy-stand"]')).toHaveAttribute('aria-disabled', 'false');
  await expect(ann.locator('.shop-feedback')).toHaveText('');

  // Hidden scores: the projector fills its screen with what is the same for everyone.
  await expect(projector.getByTestId('projector-scores-hidden')).toBeVisible();
  await expect(projector.locator('.proj-stat-label')).toHaveText(['Customers/s', 'Playing', 'Time left']);
  await expect(projector.getByTestId('projector-coming-up').locator('li').first()).toBeVisible();
  await expect(projector.locator('.proj-chart-box figure:visible')).toHaveCount(1);
  await expect(projector.locator('.proj-chart-box figure:visible')).toContainText('Customers per second');
  await expect.poll(() => overflow(projector)).toEqual({ x: 0, y: 0 });
  const shown = (await projector.locator('.proj-play').innerText()) + (await projector.title());
  expect(shown).not.toMatch(/Ann|Bob|Capacity|Served|Lost/);
  await projector.screenshot({ path: `${SHOTS}/projector-scores-hidden-1280x720.png` });
  await projector.setViewportSize({ width: 1024, height: 768 });
  await expect.poll(() => overflow(projector)).toEqual({ x: 0, y: 0 });
  await projector.screenshot({ path: `${SHOTS}/projector-scores-hidden-1024x768.png` });

  // Paused: no stand serves anybody, and the stands table says so.
  const status = ann.locator('tr[data-stand="1"] td[data-label="Status"]');
  await expect(status).toHaveText(/serving|open|idle/, { timeout: 30_000 });
  await t.getByRole('button', { name: /Pause/ }).click();
  await expect(status).toHaveText('⏸ paused');
  await ann.locator('.stand-table').screenshot({ path: `${SHOTS}/stands-paused.png` });
  await t.getByRole('button', { name: /Resume/ }).click();
  await expect(status).not.toHaveText('⏸ paused');

  // The end: Ann and Bob never bought, had the same customers, and tie.
  t.once('dialog', (d) => void d.accept());
  await t.getByRole('button', { name: /End the game/ }).click();
  for (const s of [ann, bob])
    await expect(s.getByTestId('final-rank')).toHaveText('You finished #1 of 2 (all tied)', {
      timeout: 30_000,
    });
  const step = projector.getByTestId('podium').locator('li');
  await expect(step).toHaveCount(1);
  await expect(step).toContainText('🥇');
  await expect(step).toContainText('Ann');
  await expect(step).toContainText('Bob');
  await expect(step.locator('.podium-place')).toHaveText('1st, tied');
  await projector.setViewportSize({ width: 1280, height: 720 });
  await projector.screenshot({ path: `${SHOTS}/projector-podium-tied.png` });
  await t.getByRole('button', { name: /Results, charts and CSV/ }).click();
  const ranks = t.getByTestId('final-leaderboard').locator('tbody tr td[data-label="Rank"]');
  await expect(ranks).toHaveText(['🥇 1', '🥇 1']);
  await t.screenshot({ path: `${SHOTS}/teacher-results-tied.png`, fullPage: true });

  // The replay list says when the game was played with the month spelled, not 11/29/2026.
  await ann.goto('/#/replay');
  const when = ann.locator(`tr[data-game] td`).first();
  await expect(when).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} [AP]M$/);
  await ann.screenshot({ path: `${SHOTS}/replay-list.png` });

  expect(errors, errors.join('\n')).toEqual([]);
});
