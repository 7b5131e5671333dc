import { expect, test, type Page } from '@playwright/test';
import { SHOTS, STUDENT_SIZES, checkScreen, overflow } from './screen-checks.ts';
import { closeAllContexts } from './open-contexts.ts';
import { pageErrors } from './page-errors.ts';

/**
 * Every student, teacher and projector screen at a phone, a laptop and a projector size: no sideways
 * scrolling, no serious accessibility violation, a screenshot of each. The projector must also fit its
 * screen (1024x768, 1280x720) without scrolling at all. One short game at x8 with a bot.
 */
const { errors, watch } = pageErrors();

/** The projector fits a classroom screen: nothing to scroll, in either direction. */
async function expectProjectorFits(page: Page, name: string): Promise<void> {
  for (const size of [
    { width: 1024, height: 768 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(size);
    const o = await overflow(page);
    expect.soft(o, `${name} fits ${size.width}x${size.height}`).toEqual({ x: 0, y: 0 });
    await page.screenshot({ path: `${SHOTS}/${name}-${size.width}x${size.height}.png` });
  }
}

/** Every row of the projector's top players on one line (at 1024x768 names and strategies wrapped). */
async function expectTopPlayersOneLine(page: Page): Promise<void> {
  for (const size of [
    { width: 1024, height: 768 },
    { width: 1280, height: 720 },
  ]) {
    await page.setViewportSize(size);
    await overflow(page); // lets the layout settle
    // The projector rebuilds its table as views arrive: read it again until one reading is whole (a row
    // caught mid-rebuild has no cell yet); a row that really wraps or sticks out fails after the timeout.
    await expect(async () => {
      const rows = await page.locator('.proj-top tr').evaluateAll((trs) =>
        trs.map((tr) => {
          const cell = tr.querySelector('td, th');
          const font = cell ? parseFloat(getComputedStyle(cell).fontSize) : NaN;
          const box = tr.closest('.proj-top')!.getBoundingClientRect();
          const r = tr.getBoundingClientRect();
          return { text: tr.textContent, lines: r.height / font, inside: r.right <= box.right + 0.5 };
        }),
      );
      expect(rows.length, 'top players rows').toBeGreaterThan(1);
      // One line is about 1.2-1.5 font sizes tall with its padding; two lines are 2.4 or more.
      for (const row of rows) {
        expect(row.inside, `${row.text} sticks out at ${size.width}x${size.height}`).toBe(true);
        expect(row.lines, `${row.text} wraps at ${size.width}x${size.height}`).toBeLessThan(2.1);
      }
    }).toPass({ timeout: 10_000 });
  }
}

// The contexts this spec opens would outlive it and slow the next specs (open-contexts.ts).
test.afterEach(({ browser }) => closeAllContexts(browser));

test('every screen fits a phone, a laptop and a projector', async ({ browser }) => {
  const teacherCtx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const t = watch(await teacherCtx.newPage(), 'teacher');
  await t.goto('/');
  await expect(t.getByRole('heading', { name: 'Lemonscale' })).toBeVisible();
  await checkScreen(t, 'landing');
  await t.getByRole('button', { name: 'Host a game' }).click();
  await expect(t.locator('input[name=scenario]').first()).toBeChecked();
  await checkScreen(t, 'host');
  await t.selectOption('#speed', '8');
  await t.locator('#bot-scale-out').check();
  await t.getByRole('button', { name: /Create the room/ }).click();
  const code = (await t.getByTestId('room-code').textContent())!.trim();

  const projector = watch(await teacherCtx.newPage(), 'projector');
  await projector.setViewportSize({ width: 1024, height: 768 });
  await projector.goto(`/#/projector/${code}`);
  await expect(projector.getByTestId('projector-code')).toHaveText(code);

  const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  const s = watch(await phoneCtx.newPage(), 'student');
  await s.goto(`/#/join/${code}`);
  await expect(s.locator('#room-code')).toHaveValue(code);
  await checkScreen(s, 'student-join', STUDENT_SIZES);
  // The name button fills in a colour and an animal.
  await s.locator('button[data-action="nickname-idea"]').click();
  await expect(s.locator('#nickname')).toHaveValue(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
  await s.fill('#nickname', 'Ada');
  await s.getByRole('button', { name: /Join the game/ }).click();
  await expect(s.locator('.biz-name')).toContainText("Ada's Lemonade");
  await expect(projector.locator('.proj-names li')).toHaveCount(2);
  await checkScreen(s, 'student-lobby', STUDENT_SIZES);
  // Leave looks like a link but takes a thumb like any button.
  expect((await s.locator('button[data-action="leave"]').boundingBox())!.height).toBeGreaterThanOrEqual(44);
  // Leave asks first; saying no keeps the student in the game.
  let asked = '';
  s.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await s.locator('button[data-action="leave"]').click();
  await expect.poll(() => asked).toContain('Leave the game?');
  await expect(s.locator('.biz-name')).toContainText("Ada's Lemonade");
  // Saying yes: the teacher sees Ada left; the join page takes her back to the same business.
  s.once('dialog', (d) => void d.accept());
  await s.locator('button[data-action="leave"]').click();
  const adaRow = t.getByTestId('lobby').locator('li[data-player="Ada"]');
  await expect(adaRow).toContainText('left');
  await s.locator('button[data-action="come-back"]').click();
  await expect(s.locator('.biz-name')).toContainText("Ada's Lemonade");
  await expect(adaRow).toContainText('online');
  await checkScreen(t, 'teacher-lobby');
  await checkScreen(projector, 'projector-lobby');
  await expectProjectorFits(projector, 'projector-lobby');

  await t.getByRole('button', { name: /Start the game/ }).click();
  await expect(s.locator('.notice')).toBeHidden();
  // On a phone the shop is a tab of its own: the scene and the numbers are one tap away.
  const stand = s.locator('button[data-shop="buy-stand"]');
  await expect(stand).toBeHidden();
  await s.locator('.pane-tabs button[data-tab="shop"]').click();
  await expect(s.getByTestId('shop-cash')).toContainText('Cash');
  await expect(stand).toHaveAttribute('aria-disabled', 'false', { timeout: 60_000 });
  await expect(s.locator('#shop-effect-upgrade-0')).toContainText(/pays for itself|would not pay back/);
  // Offline, a purchase waits for the connection: more taps on the same button are not more stands.
  await phoneCtx.setOffline(true);
  await expect(s.locator('#connection-banner')).toBeVisible();
  await stand.click();
  await stand.click();
  await expect(s.locator('.shop-feedback')).toContainText('one tap is enough');
  await phoneCtx.setOffline(false);
  await expect(s.locator('.shop-feedback')).toContainText('done');
  // The browser reports each refused reconnection while offline: expected here, not a page error.
  const offline = (e: string): boolean => e.includes('ERR_INTERNET_DISCONNECTED');
  errors.splice(0, errors.length, ...errors.filter((e) => !offline(e)));
  await s.screenshot({ path: `${SHOTS}/student-shop-tab-phone.png` });
  await s.locator('.pane-tabs button[data-tab="stands"]').click();
  await expect(s.locator('tr[data-stand="2"]')).toBeVisible();
  // Each stand is a card on the phone: its served and lost numbers are not behind a sideways scroll.
  await expect
    .poll(() => s.locator('.stand-table').evaluate((el) => el.scrollWidth - el.clientWidth))
    .toBeLessThanOrEqual(0);
  await s.screenshot({ path: `${SHOTS}/student-stands-tab-phone.png` });
  await s.locator('.pane-tabs button[data-tab="play"]').click();
  await expect(s.getByTestId('scene')).toBeVisible();
  await expect.poll(() => s.evaluate(() => window.__lemonscale?.stands())).toBe(2);
  // A long surge (15 s of wall time at x8): the big banner only lasts 8 game seconds, the "now" line
  // as long as the surge.
  await t.fill('#ev-surge-durationSeconds', '120');
  await t.locator('body').click({ position: { x: 5, y: 5 } });
  await t.locator('body').press('1');
  await expect(t.getByTestId('teacher-feedback')).toContainText('Surge');
  // One reachable stand cannot serve the spike: the fail whale shows, and the now line names the surge.
  await expect(s.getByTestId('fail-whale')).toBeVisible();
  await expect(s.getByTestId('banner-now')).toContainText('surge', { timeout: 30_000 });
  await expect(s.locator('.timeline')).toContainText('Surge: demand x5 for 120 s');
  // Slow down so the game cannot run out (10 minutes are 75 s at x8) on a busy machine.
  await t.locator('button[data-speed="1"]').click();
  await expect(t.locator('button[data-speed="1"]')).toHaveAttribute('aria-pressed', 'true');
  await checkScreen(s, 'student-running', STUDENT_SIZES);
  await checkScreen(t, 'teacher-running');
  await checkScreen(projector, 'projector-running');
  await expectProjectorFits(projector, 'projector-running');
  await expectTopPlayersOneLine(projector);

  await t.getByRole('button', { name: /Pause/ }).click();
  await expect(projector.getByTestId('projector-paused')).toBeVisible();
  await expectProjectorFits(projector, 'projector-paused');
  await t.getByRole('button', { name: /Resume/ }).click();
  await expect(projector.getByTestId('projector-paused')).toBeHidden();

  t.once('dialog', (d) => void d.accept());
  await t.getByRole('button', { name: /End the game/ }).click();
  await expect(s.getByTestId('final-rank')).toBeVisible({ timeout: 30_000 });
  // After the end the console offers no speed or lock: they would change nothing.
  await expect(t.locator('button[data-speed="1"]')).toBeDisabled();
  await expect(t.locator('button[data-action="lock"]')).toBeDisabled();
  await checkScreen(s, 'student-final', STUDENT_SIZES);
  // On a phone the game-over card ends above the tab bar (its last lines were under the bar).
  const ownSize = s.viewportSize()!;
  await s.setViewportSize({ width: 390, height: 844 });
  const cardOverBar = async (): Promise<number | null> => {
    const card = await s.locator('.final').boundingBox();
    const bar = await s.locator('.pane-tabs').boundingBox();
    return card && bar ? Math.round(card.y + card.height - bar.y) : null;
  };
  await expect.poll(cardOverBar).toBeLessThanOrEqual(0);
  await s.setViewportSize(ownSize);
  await expect(projector.locator('.proj-clock')).toContainText('game over');
  await checkScreen(projector, 'projector-ended');
  await expectProjectorFits(projector, 'projector-ended');
  await t.getByRole('button', { name: /Results, charts and CSV/ }).click();
  await expect(t.getByTestId('final-leaderboard')).toBeVisible();
  await checkScreen(t, 'teacher-results');
  await s.getByRole('button', { name: /See the class results/ }).click();
  await expect(s.getByTestId('final-leaderboard').locator('tr[data-player]')).toHaveCount(2);
  await checkScreen(s, 'student-results', STUDENT_SIZES);
  await s.goto('/#/replay');
  await expect(s.getByRole('heading', { name: /Replays/ })).toBeVisible();
  await checkScreen(s, 'replay-list', STUDENT_SIZES);
  // On a phone every game's buttons are on screen: its row is a card (the buttons were off to the right
  // of a table that scrolled sideways in its box).
  await s.setViewportSize({ width: 390, height: 844 });
  const buttons = s.getByTestId('games-table').locator('a.button-link');
  await expect(buttons.first()).toBeVisible();
  const rightmost = await buttons.evaluateAll((as) =>
    Math.max(...as.map((a) => a.getBoundingClientRect().right)),
  );
  expect(rightmost).toBeLessThanOrEqual(390);
  await s.setViewportSize(ownSize);

  // A room with hidden scores: the projector says so, with no empty leaderboard headers.
  await t.goto('/#/host');
  await t.locator('#hide-scores').check();
  await t.locator('#bot-scale-up').check();
  await t.getByRole('button', { name: /Create the room/ }).click();
  const hiddenCode = (await t.getByTestId('room-code').textContent())!.trim();
  expect(hiddenCode).not.toBe(code);
  await projector.goto(`/#/projector/${hiddenCode}`);
  await expect(projector.getByTestId('projector-code')).toHaveText(hiddenCode);
  await t.getByRole('button', { name: /Start the game/ }).click();
  await expect(projector.getByTestId('projector-scores-hidden')).toBeVisible();
  await expect(projector.getByRole('heading', { name: /Top players/ })).toBeHidden();
  await expectProjectorFits(projector, 'projector-scores-hidden');

  expect(errors, errors.join('\n')).toEqual([]);
});

test('the join and host forms work from the keyboard and explain what is wrong', async ({ page }) => {
  watch(page, 'keyboard');
  // A join link: the nickname is the field left to type, and typing goes there.
  await page.goto('/#/join/ABCD');
  await expect(page.locator('#nickname')).toBeFocused();
  await page.goto('/#/join');
  await expect(page.locator('#room-code')).toBeFocused();
  // The page's own words, not the browser's "Please match the requested format."
  await page.keyboard.type('ab');
  await page.keyboard.press('Enter');
  await expect(page.locator('#join-error')).toHaveText('A room code is 4 to 8 letters or digits.');
  // "Skip to content" stays on this screen (its #main once made the route "main": the landing page).
  await page.locator('a.skip-link').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Join a game' })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#/join');

  // The teacher's event forms: a value out of range says which field and what it takes.
  await page.goto('/#/host');
  await page.getByRole('button', { name: /Create the room/ }).click();
  await expect(page.getByTestId('teacher-status')).toContainText('in the lobby');
  // The console opens at its top (room code, Start), not at the host form's scroll.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await page.fill('#ev-surge-multiplier', '1000');
  await page.locator('form[data-event="surge"] button.fire').click();
  await expect(page.getByTestId('teacher-feedback')).toContainText(
    '"demand x" must be a number from 2 to 100',
  );
  await expect(page.locator('#ev-surge-multiplier')).toBeFocused();
  // A stand outage shows the stand number only when the teacher picks a stand by number.
  await expect(page.locator('#ev-stand-outage-index')).toBeHidden();
  await page.selectOption('#ev-stand-outage-which', 'index');
  await expect(page.locator('#ev-stand-outage-index')).toBeVisible();
  await expect(page.locator('#ev-stand-outage-share')).toBeHidden();
  expect(errors, errors.join('\n')).toEqual([]);
});
