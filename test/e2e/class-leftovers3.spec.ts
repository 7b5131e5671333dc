import { expect, test, type Locator, type Page } from '@playwright/test';
import { BOT_KINDS } from '../../shared/sim/commands.ts';
import { ENDED_EARLY, ENDED_EARLY_NOTE, botOffer } from '../../client/src/ui/format.ts';
import { closeAllContexts } from './open-contexts.ts';
import { pageErrors } from './page-errors.ts';
import { joinAsStudent } from './class-pages.ts';

/**
 * A class playtest's third leftovers, in one short game at x8 with every bot and Ann: the host form
 * listed the bots by code name ("stateless-redundant"); the projector cut the bots' names ("Idle Ida…")
 * with half the screen empty, at 1024x768 and 1280x720; the results of a game the teacher ended early
 * (the teacher's and the student's) did not say so; and the keys' hints had a gap after a bracket
 * ("1 s ( Shift 10 s)"). Screenshots under test-results/class-leftovers3.
 */
const SHOTS = 'test-results/class-leftovers3';
const { errors, watch } = pageErrors();

test.afterEach(({ browser }) => closeAllContexts(browser));

/**
 * The projector's top players whose name is cut (an ellipsis: more name than box, sideways or on a
 * clamped second line), and whether the table is wider than its box: read in one go, as rows are
 * redrawn every game second.
 */
function cutNames(projector: Page): Promise<{ rows: number; cut: string[]; tableOverflows: boolean }> {
  return projector.evaluate(() => {
    const names = [...document.querySelectorAll<HTMLElement>('.proj-top tr[data-player] .cell-cut')];
    const box = document.querySelector<HTMLElement>('.proj-top .table-scroll')!;
    return {
      rows: names.length,
      cut: names
        .filter((n) => n.scrollWidth > n.clientWidth || n.scrollHeight > n.clientHeight)
        .map((n) => n.textContent ?? ''),
      tableOverflows: box.scrollWidth > box.clientWidth,
    };
  });
}

/**
 * The keys of a hint whose box stands apart from the words around it: a key's box starts where the
 * text before it ends (its space included) and the text after it starts where the box ends. A margin of
 * the key's own read "1 s ( Shift 10 s)".
 */
function keysApart(hint: Locator): Promise<string[]> {
  return hint.evaluate((p) => {
    const edge = (node: Node | null, which: 'left' | 'right'): number | null => {
      if (!node || node.nodeType !== Node.TEXT_NODE || !node.textContent) return null;
      const r = document.createRange();
      r.selectNodeContents(node);
      const rects = [...r.getClientRects()];
      const rect = which === 'right' ? rects.at(-1) : rects[0];
      return rect ? rect[which] : null;
    };
    const apart: string[] = [];
    for (const kbd of p.querySelectorAll('kbd')) {
      const box = kbd.getBoundingClientRect();
      const before = edge(kbd.previousSibling, 'right');
      const after = edge(kbd.nextSibling, 'left');
      if (before !== null && box.left - before > 0.5)
        apart.push(`${kbd.textContent}: ${box.left - before} px after the text`);
      if (after !== null && after - box.right > 0.5)
        apart.push(`${kbd.textContent}: ${after - box.right} px before the text`);
    }
    return apart;
  });
}

test("bots by name on the host form; names uncut on the projector; ended early said; keys' gaps", async ({
  browser,
}) => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const t = watch(await ctx.newPage(), 'teacher');
  await t.goto('/#/host');

  // The host form offers each bot by its name and what it plays, in the leaderboard's words.
  const labels = t.locator('.bots label');
  await expect(labels).toHaveText(BOT_KINDS.map(botOffer));
  await expect(t.locator('.bots')).not.toContainText(/stateless-redundant|do-nothing|scale-up|Bot: /);
  await expect(t.locator('.bots')).toContainText('Redundant Rae: ↔️ Scale out 📒 stateless 🛟 redundant');
  for (const kind of BOT_KINDS) await t.locator(`#bot-${kind}`).check();
  await t.locator('.bots').screenshot({ path: `${SHOTS}/host-bots.png` });
  await t.getByRole('button', { name: /Create the room/ }).click();
  const code = (await t.getByTestId('room-code').textContent())!.trim();
  expect(await keysApart(t.locator('.console-controls .keys-hint'))).toEqual([]);

  const projector = watch(await ctx.newPage(), 'projector');
  await projector.setViewportSize({ width: 1280, height: 720 });
  await projector.goto(`/#/projector/${code}`);
  await expect(projector.getByTestId('projector-code')).toHaveText(code);
  const ann = await joinAsStudent(browser, watch, code, 'Ann');

  await t.locator('button[data-speed="8"]').click();
  await t.locator('button[data-action="start"]').click();

  // The projector's top five: every name whole at 1280x720 and at 1024x768, the table within its box.
  for (const [width, height] of [
    [1280, 720],
    [1024, 768],
  ] as const) {
    await projector.setViewportSize({ width, height });
    // Some business has bought something: the strategy column is as wide as it gets early on.
    await expect(
      projector
        .locator('.proj-top tr[data-player]')
        .filter({ hasText: /Scale (up|out)/ })
        .first(),
    ).toBeVisible();
    const seen = await cutNames(projector);
    expect(seen, `at ${width}x${height}`).toEqual({ rows: 5, cut: [], tableOverflows: false });
    await projector.screenshot({ path: `${SHOTS}/projector-${width}x${height}.png` });
  }

  // The teacher ends the game early: the teacher's results and Ann's game-over card and results say so.
  t.once('dialog', (d) => void d.accept());
  await t.getByRole('button', { name: /End the game/ }).click();
  await t.getByRole('button', { name: /Results, charts and CSV/ }).click();
  await expect(t.getByTestId('ended-early')).toHaveText(ENDED_EARLY_NOTE);
  await expect(ann.getByTestId('ended-early')).toHaveText(ENDED_EARLY_NOTE);
  await ann.getByRole('button', { name: /See the class results/ }).click();
  await expect(ann.getByTestId('ended-early')).toHaveText(ENDED_EARLY_NOTE);
  await t.screenshot({ path: `${SHOTS}/teacher-results.png` });

  // The replay says it in its title, and its keys' hint reads as written, no gap inside a bracket.
  const gameId = /Game (\S+) ·/.exec((await t.getByText(/check hash/).textContent())!)![1];
  await t.goto(`/#/replay/${gameId}`);
  await expect(t.locator('.topbar h1')).toContainText(ENDED_EARLY);
  const hint = t.locator('.replay-controls .keys-hint');
  await expect(hint).toBeVisible();
  await expect(hint).toHaveText(
    'Keys: Space play/pause · ← → 1 s (with Shift: 10 s) · , . one tick · Home End start/end',
  );
  expect(await keysApart(hint)).toEqual([]);
  await hint.screenshot({ path: `${SHOTS}/replay-keys.png` });

  expect(errors, errors.join('\n')).toEqual([]);
});
