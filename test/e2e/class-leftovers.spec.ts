import { expect, test, type Browser, type Page } from '@playwright/test';
import { closeAllContexts } from './open-contexts.ts';
import { overflow } from './screen-checks.ts';
import { pageErrors } from './page-errors.ts';
import { hostWithProjector, joinAsStudent } from './class-pages.ts';

/**
 * What the classroom's leftovers looked like to a class, in one short game: a student's lobby counts
 * classmates as they join and the teacher's bot apart (it read as a classmate), the live HUD says when a
 * rank is shared ("#1 of 4 (tied)"), and the projector
 * with hidden scores shows no class sum at all (no withheld 0 read as a fact), and the teacher keeps the
 * schedule a surprise mid-game and shows it again. Screenshots under
 * test-results/class-leftovers.
 */
const SHOTS = 'test-results/class-leftovers';
const { errors, watch } = pageErrors();

const student = (browser: Browser, code: string, name: string): Promise<Page> =>
  joinAsStudent(browser, watch, code, name);

test.afterEach(({ browser }) => closeAllContexts(browser));

test('the lobby counts classmates and bots apart, the HUD says a tie, the hidden projector shows no sums, a surprise schedule', async ({
  browser,
}) => {
  // A bot that never buys: it stays tied with the students who never buy.
  const { teacher: t, projector, code } = await hostWithProjector(browser, watch, ['bot-do-nothing']);

  // The lobby: Ann's count follows the class as it comes in (it stayed at her join's count), the bot
  // apart (it read "👥 2 joined" for Ann alone), as on the projector.
  const ann = await student(browser, code, 'Ann');
  const count = ann.getByTestId('lobby-count');
  await expect(count).toHaveText('👥 1 joined · 1 bot');
  await expect(projector.locator('.proj-clock')).toHaveText('1 student + 1 bot joined');
  await expect(ann.getByTestId('rank')).toHaveText('');
  const bob = await student(browser, code, 'Bob');
  await expect(count).toHaveText('👥 2 joined · 1 bot');
  const cy = await student(browser, code, 'Cy');
  await expect(count).toHaveText('👥 3 joined · 1 bot');
  await expect(bob.getByTestId('lobby-count')).toHaveText('👥 3 joined · 1 bot');
  await expect(projector.locator('.proj-clock')).toHaveText('3 students + 1 bot joined');
  await ann.locator('header.topbar').screenshot({ path: `${SHOTS}/student-lobby-count.png` });

  // Play: nobody has bought, so all four are tied...
  await t.getByRole('button', { name: /Start the game/ }).click();
  await expect(count).toBeHidden();
  const rank = ann.getByTestId('rank');
  await expect(rank).toHaveText('🏆 #1 of 4 (all tied)');
  // ...until Cy buys a stand: Ann, Bob and the bot (the same customers, the same business) still share first.
  await expect(cy.locator('button[data-shop="buy-stand"]')).toHaveAttribute('aria-disabled', 'false');
  await cy.locator('button[data-shop="buy-stand"]').click();
  await expect(cy.getByTestId('rank')).toHaveText('🏆 #4 of 4');
  await expect(rank).toHaveText('🏆 #1 of 4 (tied)');
  await expect(bob.getByTestId('rank')).toHaveText('🏆 #1 of 4 (tied)');
  await ann.screenshot({ path: `${SHOTS}/student-hud-tied.png` });
  await ann.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => overflow(ann)).toMatchObject({ x: 0 });
  await ann.screenshot({ path: `${SHOTS}/student-hud-tied-phone.png` });

  // The teacher hides the scores: the HUD has no rank, and the projector no class sum, not even a 0.
  await t.locator('button[data-action="scores"]').click();
  await expect(rank).toHaveText('');
  await expect(projector.getByTestId('projector-scores-hidden')).toBeVisible();
  await expect(projector.locator('.proj-stat-label')).toHaveText(['Customers/s', 'Playing', 'Time left']);
  const stats = projector.locator('.proj-stats');
  await expect(stats).toContainText('4');
  const shown = (await projector.locator('.proj-play').innerText()) + (await projector.title());
  expect(shown).not.toMatch(/Ann|Bob|Cy|Capacity|Served|Lost|Open now|closed/);
  await expect.poll(() => overflow(projector)).toEqual({ x: 0, y: 0 });
  await projector.screenshot({ path: `${SHOTS}/projector-scores-hidden.png` });
  // The teacher keeps the schedule a surprise mid-game: no countdown on the projector or Ann's page.
  const annNow = ann.getByTestId('banner-now');
  await expect(annNow).toContainText('Next, in');
  await expect(projector.getByTestId('projector-coming-up')).not.toContainText('Nothing announced');
  const schedule = t.locator('button[data-action="schedule"]');
  await expect(schedule).toHaveText('⏭ Schedule shown');
  await schedule.click();
  await expect(schedule).toHaveText('🤫 Schedule a surprise');
  await expect(projector.getByTestId('projector-coming-up')).toHaveText(
    'Nothing announced: the teacher may still surprise you!',
  );
  await expect(annNow).not.toContainText('Next, in');
  await projector.screenshot({ path: `${SHOTS}/projector-schedule-surprise.png` });
  // And back.
  await schedule.click();
  await expect(annNow).toContainText('Next, in');
  await expect(projector.getByTestId('projector-coming-up')).not.toContainText('Nothing announced');
  // Shown again: the sums are back, and so is the tie.
  await t.locator('button[data-action="scores"]').click();
  await expect(projector.locator('.proj-stat-label')).toHaveText([
    'Customers/s',
    'Capacity',
    'Served',
    'Lost',
    'Open now',
  ]);
  await expect(projector.locator('.proj-stats')).toContainText('4/4');
  await expect(rank).toHaveText('🏆 #1 of 4 (tied)');

  expect(errors, errors.join('\n')).toEqual([]);
});
