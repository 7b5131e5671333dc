import { expect, test } from '@playwright/test';

/**
 * The replay list left open while the server's retention sweep deletes a game (GAME_RETENTION_DAYS): its
 * "⬇️ Log" link says the server's sentence instead of saving the 410 answer as a log file. The server's
 * answers are stood in for (page.route): the list as loaded before the deletion, the game's 410 after.
 */
const GAME = 'a1b2c3d4e5f60718';
const SENTENCE =
  'This game was deleted on 2026-02-05 (UTC): this server keeps a game 400 days after it was last played.';

test('a deleted game’s log link says so instead of downloading the error', async ({ page }) => {
  await page.route('**/api/games', (route) =>
    route.fulfill({
      json: [
        {
          gameId: GAME,
          scenarioId: 'fail-whale',
          scenarioName: 'Fail Whale',
          className: 'Period 3',
          createdAt: Date.UTC(2025, 0, 1),
          endedAt: Date.UTC(2025, 0, 1),
          ended: true,
          endedEarly: false,
          players: 3,
          commands: 10,
          tick: 100,
          status: 'ended',
          paused: false,
        },
      ],
    }),
  );
  const gone = { status: 410, json: { error: SENTENCE, deleted: true } };
  await page.route(`**/api/games/${GAME}`, (route) => route.fulfill(gone));
  await page.route(`**/api/games/${GAME}/log`, (route) => route.fulfill(gone));
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));

  await page.goto('/#/replay');
  const row = page.locator(`tr[data-game="${GAME}"]`);
  await row.getByRole('link', { name: '⬇️ Log' }).click();
  await expect(row.getByTestId('log-deleted')).toHaveText(SENTENCE);
  await expect(row.getByRole('link', { name: '⬇️ Log' })).toHaveCount(0);
  expect(downloads).toEqual([]);
});
