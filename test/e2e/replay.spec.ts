import { expect, test, type Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/socket-events.ts';
import type { ClassView, FinalResults } from '../../shared/protocol/views.ts';
import { TICKS_PER_SECOND } from '../../shared/sim/constants.ts';
import { STUDENT_SIZES, checkScreen } from './screen-checks.ts';
import { otherContexts } from './open-contexts.ts';

/**
 * A game played live (a teacher, a student and two reference bots at speed 8, driven over Socket.IO
 * from the test), then replayed in the browser twice: picked from the server's list, and opened from
 * the downloaded log file. Both replays must end with exactly the live game's leaderboard. On the way:
 * playback by keyboard, the debrief, a what-if fork with two scenes, the exports.
 */
const SHOTS = 'test-results/screens';
type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function call(
  s: Client,
  event: keyof ClientToServerEvents,
  payload: unknown,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event}: no acknowledgement`)), 10_000);
    (s.emit as (ev: string, p: unknown, ack: (r: Record<string, unknown>) => void) => void)(
      event,
      payload,
      (r) => {
        clearTimeout(timer);
        if (r.ok !== true) reject(new Error(`${event} refused: ${JSON.stringify(r)}`));
        else resolve(r);
      },
    );
  });
}

async function connect(url: string): Promise<Client> {
  const s: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

/** The teacher's class view once the game clock has reached `seconds` (waits on the game, not the wall). */
function gameAt(teacher: Client, seconds: number): Promise<ClassView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      teacher.off('view:class', on);
      reject(new Error(`the game did not reach ${seconds} s`));
    }, 60_000);
    const on = (v: ClassView): void => {
      if (v.seconds < seconds && v.status !== 'ended') return;
      clearTimeout(timer);
      teacher.off('view:class', on);
      resolve(v);
    };
    teacher.on('view:class', on);
  });
}

/**
 * One seek as a user makes it with the scrubber (its input event), timed in the page: `seekMs` is the
 * screen's own work (the fold, the views, the leaderboard, the scene's update), `drawnMs` runs until
 * the next frame has been produced (a task queued from requestAnimationFrame runs after that frame's
 * paint and commit, the WebGL picture included). Round trips of the test driver are not in either.
 */
async function seekInPage(page: Page, tick: number): Promise<{ seekMs: number; drawnMs: number }> {
  const r = await page.evaluate(async (t) => {
    const range = document.querySelector<HTMLInputElement>('#replay-scrubber')!;
    const from = performance.now();
    range.value = String(t);
    range.dispatchEvent(new Event('input', { bubbles: true }));
    const seekMs = performance.now() - from;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const drawnMs = performance.now() - from;
    return { at: window.__replay!.tick(), seekMs: Math.round(seekMs), drawnMs: Math.round(drawnMs) };
  }, tick);
  expect(r.at, 'the replay is where the scrubber was put').toBe(tick);
  return r;
}

/** Frames the scene drew in the last half second, measured in the page. */
function framesOverHalfASecond(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const before = window.__lemonscale!.frames();
    await new Promise((r) => setTimeout(r, 500));
    return window.__lemonscale!.frames() - before;
  });
}

/**
 * A paused scene at rest draws again when its WebGL context comes back (a phone may take it from a tab
 * in the background; the restored canvas is blank, and a paused game or replay sends no new view). This
 * Chromium (no GPU) never gives a context back after WEBGL_lose_context, so the restore is announced
 * as the browser announces it, with the event, on the live context: pixi sets itself up again on it.
 */
async function pausedSceneDrawsAfterContextRestore(page: Page): Promise<void> {
  await expect.poll(() => framesOverHalfASecond(page)).toBe(0);
  const before = await page.evaluate(() => {
    const frames = window.__lemonscale!.frames();
    document.querySelector('[data-testid=scene] canvas')!.dispatchEvent(new Event('webglcontextrestored'));
    return frames;
  });
  await expect.poll(() => page.evaluate(() => window.__lemonscale!.frames())).toBeGreaterThan(before);
}

/** Plays a short live game and returns its id and the results the server announced at the end. */
async function playLiveGame(url: string): Promise<{ gameId: string; results: FinalResults }> {
  const teacher = await connect(url);
  const student = await connect(url);
  try {
    const room = await call(teacher, 'room:create', {
      scenarioId: 'lemonade-week',
      seed: 2024,
      // A small class: the replays below fold, draw and rank every player at every seek.
      settings: { speed: 8, bots: ['scale-up', 'hybrid'] },
    });
    const roomCode = room.roomCode as string;
    await call(student, 'player:join', { roomCode, nickname: 'Ada' });
    const ended = new Promise<FinalResults>((resolve) => teacher.once('game:ended', resolve));
    await call(teacher, 'teacher:action', { type: 'start' });
    // Ada scales out as soon as she can pay for it: a stand, then a load balancer (tried again at each
    // class view, about twice a game second, until she can).
    for (const item of ['stand', 'load-balancer']) {
      for (let i = 0; i < 200; i++) {
        const ok = await call(student, 'player:action', { type: 'buy', item }).then(
          () => true,
          () => false,
        );
        if (ok) break;
        await new Promise((r) => teacher.once('view:class', r));
      }
    }
    // Game time, not wall time, between the moments the debrief must tell: a stretch of normal trade,
    // a surge (15 s), then the biggest stand breaking (20 s), then the end.
    let now = (await gameAt(teacher, 0)).seconds;
    now = (await gameAt(teacher, now + 12)).seconds;
    await call(teacher, 'teacher:action', {
      type: 'event',
      event: { kind: 'surge', multiplier: 4, durationSeconds: 15 },
    });
    now = (await gameAt(teacher, now + 20)).seconds;
    await call(teacher, 'teacher:action', {
      type: 'event',
      event: { kind: 'stand-outage', which: 'biggest', repairSeconds: 20 },
    });
    await gameAt(teacher, now + 24);
    await call(teacher, 'teacher:action', { type: 'end' });
    const results = await ended;
    return { gameId: room.gameId as string, results };
  } finally {
    teacher.close();
    student.close();
  }
}

/** What is on screen (a full-page picture of the replay costs the starved renderer seconds each). */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

// A projector-sized window: a third fewer pixels for the software WebGL of two scenes and four charts
// to draw at every frame, on a machine whose cores the other browser tests share.
test.use({ viewport: { width: 1024, height: 768 } });

/** The replay's leaderboard rows as [name, profit, served], in rank order. */
async function shownBoard(page: Page): Promise<[string, number, number][]> {
  const rows = page.getByTestId('replay-leaderboard').locator('tbody tr');
  return rows.evaluateAll((trs) =>
    trs.map((tr) => {
      const el = tr as HTMLElement;
      return [el.dataset.player!, Number(el.dataset.profit), Number(el.dataset.served)] as [
        string,
        number,
        number,
      ];
    }),
  );
}

async function toEndAndCompare(page: Page, live: FinalResults): Promise<void> {
  await page.getByRole('button', { name: 'To the end' }).click();
  await expect(page.locator('#replay-board-title')).toHaveText('🏆 Final results');
  await expect(page.getByTestId('replay-clock')).toContainText('game over');
  const expected = live.leaderboard.map((r) => [r.name, r.profit, r.served]);
  expect(await shownBoard(page)).toEqual(expected);
  // The visible text says the same as the data attributes (first row).
  const first = live.leaderboard[0]!;
  await expect(page.locator(`tr[data-player="${first.name}"]`)).toContainText(String(first.served));
  // Bit for bit: the page's replay ends in the very state the server's game did (the simulation uses no
  // engine-dependent maths: shared/sim/portable-log.ts).
  await expect(page.getByTestId('replay-hash')).toContainText(
    `reproduces the recorded game exactly (check hash ${live.hash})`,
  );
}

/** Console errors and uncaught exceptions of a page (there must be none). */
function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

// The live game's results and its log as downloaded, from the first test to the second: the tests run in
// order (and the second is skipped if the first fails), each with its own time budget.
let live: FinalResults | null = null;
const logFile = path.join(os.tmpdir(), `lemonscale-replay-${process.pid}.json`);

test.describe('a live game, replayed from the server and from its file', () => {
  test.describe.configure({ mode: 'serial' });

  test('a finished game replays in the browser with the live results', async ({ page, baseURL }) => {
    const errors = errorsOf(page);
    const { gameId, results } = await playLiveGame(baseURL!);
    expect(results.leaderboard.map((r) => r.name)).toContain('Ada');

    // Pick the game from the server's list.
    await page.goto('/');
    await page.getByRole('button', { name: 'Replays' }).click();
    const row = page.locator(`tr[data-game="${gameId}"]`);
    // The teacher ended it before its time: listed as ended early, and not compared across classes.
    await expect(row).toContainText('ended early');
    await page.getByTestId('history-scenario').selectOption('lemonade-week');
    await expect(page.getByTestId('history')).not.toContainText('Loading');
    await expect(page.locator(`tr[data-history-game="${gameId}"]`)).toHaveCount(0);
    await shot(page, 'replay-01-list');
    await row.getByRole('link', { name: /Replay/ }).click();
    await expect(page.getByTestId('replay-leaderboard')).toBeVisible();
    await expect.poll(() => page.evaluate(() => window.__lemonscale?.rendererName)).toBe('webgl');
    await expect(page.getByTestId('replay-biz')).toContainText("Ada's Lemonade");
    // The replay screen too fits a phone, a laptop and a projector, and passes the accessibility scan.
    await checkScreen(page, 'replay-view', STUDENT_SIZES);
    // On a phone the "Jump to" list stays inside the replay's controls: as wide as its longest moment
    // (up to 420 px), it stuck out of the card, its right edge cut off, and the page did not scroll.
    const own = page.viewportSize()!;
    await page.setViewportSize({ width: 390, height: 844 });
    await expect
      .poll(() =>
        page.evaluate(() => {
          const jump = document.querySelector('#replay-jump')!.getBoundingClientRect();
          const box = document.querySelector<HTMLElement>('.replay-controls')!;
          const inner = box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight);
          return Math.round(jump.right - inner);
        }),
      )
      .toBeLessThanOrEqual(0);
    await page.setViewportSize(own);

    // Keyboard: Space plays, Space pauses, arrows step a second.
    await page.locator('main').focus();
    await page.keyboard.press('Space');
    // Moving at all is the point: on a starved machine the page may draw a frame a second (each frame
    // plays at most a quarter of a second).
    await expect.poll(() => page.evaluate(() => window.__replay!.tick())).toBeGreaterThan(0);
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => window.__replay!.playing())).toBe(false);
    await pausedSceneDrawsAfterContextRestore(page);
    const t0 = await page.evaluate(() => window.__replay!.tick());
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => window.__replay!.tick())).toBe(t0 + 10);
    await page.keyboard.press('Shift+ArrowLeft');
    expect(await page.evaluate(() => window.__replay!.tick())).toBe(Math.max(0, t0 - 90));

    // The debrief tells the surge and the outage; "Watch" seeks to the moment.
    const debrief = page.getByTestId('debrief');
    await expect(debrief).toContainText('SURGE');
    await expect(debrief).toContainText('OUTAGE');
    await expect(debrief).toContainText('Lesson');
    await debrief.getByRole('button', { name: /Watch outage/ }).click();
    const outageTick = await page.evaluate(() => window.__replay!.tick());
    expect(outageTick).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Forward 1 second' }).click();
    await page.getByRole('button', { name: 'Forward 1 second' }).click();
    await expect(page.getByTestId('replay-summary')).toContainText('Ada at');
    await shot(page, 'replay-02-outage');

    // The end: the same leaderboard as the live game announced.
    await toEndAndCompare(page, results);
    await page.selectOption('#replay-sort', 'p95Wait');
    await expect(page.locator('#replay-board-title')).toHaveText('🏆 Final results');
    await expect(page.locator('tr.bot-row').first()).toContainText('🤖 bot');
    await page.selectOption('#replay-sort', 'profit');
    await shot(page, 'replay-03-end');

    // Exports: the results CSV and the log JSON.
    const csvDl = page.waitForEvent('download');
    await page.locator('button[data-action=csv]').click();
    expect((await csvDl).suggestedFilename()).toMatch(/\.csv$/);
    const jsonDl = page.waitForEvent('download');
    await page.locator('button[data-action=log-json]').click();
    await (await jsonDl).saveAs(logFile);

    // What-if: from the start, Ada scales up instead (her stand and balancer removed, a bigger blender
    // bought); the two businesses play side by side.
    await page.getByRole('button', { name: 'Back to the start' }).click();
    await page.locator('button[data-action=fork]').click();
    const decisions = page.getByTestId('whatif-decisions');
    await expect(decisions).toContainText('buy a stand');
    await expect(decisions).toContainText('buy a load balancer');
    while ((await decisions.getByRole('button', { name: /^Remove/ }).count()) > 0)
      await decisions
        .getByRole('button', { name: /^Remove/ })
        .first()
        .click();
    await page.selectOption('#whatif-action', 'upgrade:0');
    await page.locator('button[data-action=whatif-add]').click();
    await expect(decisions).toContainText('bigger blender for stand #1');
    await page.locator('button[data-action=whatif-run]').click();
    const compare = page.getByTestId('whatif-compare');
    await expect(compare).toBeVisible();
    await expect(compare.locator('tr[data-metric="Strategy"] td').nth(0)).toContainText('Scale out');
    await expect(compare.locator('tr[data-metric="Strategy"] td').nth(1)).toContainText('Scale up');
    await expect(page.locator('.whatif-refused')).toHaveCount(0);
    await expect(page.getByTestId('fork-scene').locator('canvas')).toBeVisible();
    await page.getByRole('button', { name: 'Forward 10 seconds' }).click();
    await page.getByRole('button', { name: 'Forward 10 seconds' }).click();
    await expect(page.getByTestId('fork-summary')).toContainText('1 stand');
    await expect(page.getByTestId('replay-summary')).toContainText('2 stands');
    // Both scenes have drawn the moment (two frames) before the picture is taken.
    await page.evaluate(
      () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
    );
    await shot(page, 'replay-04-whatif');
    expect(await page.evaluate(() => window.__lemonscale?.rendererName)).toBe('webgl');

    live = results;
    expect(errors, errors.join('\n')).toEqual([]);
  });

  test('the downloaded log replays from a file with the same results; a file that is not a log is refused', async ({
    page,
  }) => {
    const errors = errorsOf(page);
    expect(live, 'the live game of the test before').not.toBeNull();
    const results = live!;
    // The downloaded log, opened from a file: the same results, no server involved in the replay.
    await page.goto('/#/replay');
    await page.setInputFiles('#replay-file', logFile);
    await expect(page.getByTestId('replay-leaderboard')).toBeVisible();
    await expect.poll(() => page.evaluate(() => window.__lemonscale?.rendererName)).toBe('webgl');
    await toEndAndCompare(page, results);
    await shot(page, 'replay-05-file-end');

    // A file that is not a log is refused with a readable message.
    await page.goto('/#/replay');
    await page.setInputFiles('#replay-file', {
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":"lemonscale-log","version":999}'),
    });
    await expect(page.getByTestId('replay-file-error')).toContainText('version 999');

    fs.rmSync(logFile, { force: true });
    expect(errors, errors.join('\n')).toEqual([]);
  });
});

test('a what-if of one player in a 30-player game is computed in under a second', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A whole 30-player game, written by the headless simulator (the same code the server runs).
  const kinds = ['scale-up', 'scale-out', 'stateless-redundant', 'hybrid', 'do-nothing'];
  const bots = Array.from({ length: 30 }, (_, i) => kinds[i % kinds.length]).join(',');
  const logFile = path.join(os.tmpdir(), `lemonscale-whatif30-${process.pid}.json`);
  execFileSync(process.execPath, [
    '--import',
    'tsx',
    'cli/sim.ts',
    'lemonade-week',
    '--bots',
    bots,
    '--seed',
    '3',
    '--log',
    logFile,
  ]);

  // Pages left open by an earlier spec in this browser would slow every figure printed here.
  const others = otherContexts(page.context().browser()!, page.context());
  expect(others, `contexts left open before this test: ${others.join(' | ')}`).toEqual([]);
  await page.goto('/#/replay');
  await page.setInputFiles('#replay-file', logFile);
  await expect(page.getByTestId('replay-leaderboard').locator('tbody tr')).toHaveCount(30);
  // The picture has started: the figures are the seeks, not the page's start-up.
  await expect.poll(() => page.evaluate(() => window.__lemonscale?.rendererName)).toBe('webgl');
  // Two minutes in, with the scrubber: one seek, which folds the game up to there (keeping a
  // checkpoint every 5 s: the what-if starts from the one before the fork). Printed, not asserted.
  const wallFrom = Date.now();
  const first = await seekInPage(page, 120 * TICKS_PER_SECOND);
  await expect(page.getByTestId('replay-clock')).toContainText('2:00');
  const wall = Date.now() - wallFrom;
  // The news of 0:01 is in the timeline, not shouted as news two minutes later (it was, for 9 s).
  expect(await page.locator('.banner-live.show').count()).toBe(0);
  // Then seeks to moments anywhere in the week (the same ones every run): back to a checkpoint, or on
  // past the furthest tick folded so far.
  const random: { seekMs: number; drawnMs: number }[] = [];
  let x = 7;
  for (let i = 0; i < 9; i++) {
    x = (x * 48271) % 2147483647;
    random.push(await seekInPage(page, x % 6000));
  }
  const drawn = random.map((r) => r.drawnMs).sort((a, b) => a - b);
  const folded = random.map((r) => r.seekMs).sort((a, b) => a - b);
  console.log(
    `seek from the start to 2:00 of a 30-player Lemonade Week in the browser: ${first.seekMs} ms in the page ` +
      `(fold and draw), on screen after ${first.drawnMs} ms (${wall} ms as the test saw it); ` +
      `${drawn.length} seeks to random ticks after it: on screen p50 ${drawn[drawn.length >> 1]} ms, ` +
      `max ${drawn[drawn.length - 1]} ms (in the page p50 ${folded[folded.length >> 1]} ms, max ${folded[folded.length - 1]} ms)`,
  );
  // Paused, the picture comes to rest once the people have walked to their places: the scene then
  // draws nothing (it drew every frame before, which kept the page's main thread busy).
  await expect.poll(() => framesOverHalfASecond(page)).toBe(0);
  await page.locator('#replay-scrubber').fill(String(120 * TICKS_PER_SECOND));
  await expect(page.getByTestId('replay-clock')).toContainText('2:00');

  await page.locator('button[data-action=fork]').click();
  await page.selectOption('#whatif-action', 'upgrade:0');
  await page.locator('button[data-action=whatif-add]').click();
  await page.locator('button[data-action=whatif-run]').click();
  await expect(page.getByTestId('whatif-compare')).toBeVisible();
  const ms = Number(await page.locator('.whatif-status').getAttribute('data-compute-ms'));
  console.log(`what-if of one player in a 30-player Lemonade Week, computed in the browser: ${ms} ms`);
  expect(ms).toBeGreaterThan(0);
  expect(ms).toBeLessThan(1000);
  await expect(page.getByTestId('fork-scene').locator('canvas')).toBeVisible();
  fs.rmSync(logFile, { force: true });
  expect(errors, errors.join('\n')).toEqual([]);
});
