import { expect, test } from '@playwright/test';
import { closeAllContexts } from './open-contexts.ts';

/**
 * What running the business in the page costs a phone: a student page at speed x4 on a phone-sized
 * viewport, its script time per second read from Chrome's Performance domain (ScriptDuration, the time
 * the page's main thread spent running script) over a 10-second window. A figure to read, printed (the
 * target is at most 5% of one core); the test asserts only that the page played and agreed with the
 * server meanwhile, since timing on a shared test machine is no pass/fail criterion.
 */
// Closed even when the test fails partway: they would slow any spec after this one (open-contexts.ts).
test.afterEach(({ browser }) => closeAllContexts(browser));

test('a student page at speed x4 on a phone: script time per second', async ({ browser }) => {
  const teacherCtx = await browser.newContext();
  const t = await teacherCtx.newPage();
  await t.goto('/');
  await t.getByRole('button', { name: 'Host a game' }).click();
  await t.selectOption('#speed', '4');
  await t.getByRole('button', { name: /Create the room/ }).click();
  const code = (await t.getByTestId('room-code').textContent())!.trim();

  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const p = await phone.newPage();
  // Counts the scene's frames whatever the scene's code: pixi clears the canvas once per frame it draws.
  await p.addInitScript(() => {
    const w = window as { glClears?: number };
    w.glClears = 0;
    const clear = WebGL2RenderingContext.prototype.clear;
    WebGL2RenderingContext.prototype.clear = function (mask: number) {
      w.glClears!++;
      clear.call(this, mask);
    };
  });
  await p.goto(`/#/join/${code}`);
  await p.fill('#nickname', 'Pocket');
  await p.getByRole('button', { name: /Join the game/ }).click();
  await expect(p.locator('.biz-name')).toContainText("Pocket's Lemonade");
  await t.getByRole('button', { name: /Start the game/ }).click();
  await expect(p.locator('.notice')).toBeHidden();
  // Warm up (JIT, the scene's first frames), then measure.
  await expect
    .poll(() => p.evaluate(() => window.__lemonscale?.customers() ?? 0), { timeout: 30_000 })
    .toBeGreaterThan(0);

  const cdp = await phone.newCDPSession(p);
  await cdp.send('Performance.enable');
  const read = async (): Promise<Record<string, number>> =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const clock = (): Promise<number> => p.evaluate(() => performance.now());
  const frames = (): Promise<number> => p.evaluate(() => (window as { glClears?: number }).glClears ?? 0);
  /** The page's main thread over `ms` of its own clock: script and all tasks (share of a core), frames drawn per second. */
  const measure = async (
    ms: number,
  ): Promise<{ script: number; task: number; fps: number; text: string }> => {
    const a = await read();
    const f0 = await frames();
    const t0 = await clock();
    await expect.poll(clock, { timeout: 30_000 + ms, intervals: [500] }).toBeGreaterThan(t0 + ms);
    const b = await read();
    const f1 = await frames();
    const seconds = ((await clock()) - t0) / 1000;
    const script = (b.ScriptDuration! - a.ScriptDuration!) / seconds;
    const task = (b.TaskDuration! - a.TaskDuration!) / seconds;
    const fps = (f1 - f0) / seconds;
    const text =
      `script ${(script * 100).toFixed(1)}% of a core (all main-thread tasks ${(task * 100).toFixed(1)}%), ` +
      `scene drawn ${fps.toFixed(1)} frames/s, over ${seconds.toFixed(1)} s`;
    return { script, task, fps, text };
  };
  const tick0 = await p.evaluate(
    () => (window as { lemonscaleStream?: { agreed: number } }).lemonscaleStream!.agreed,
  );
  const { script, text } = await measure(10_000);
  console.log(`student page, speed x4, 390x844 @2x: ${text}`);
  expect(script).toBeGreaterThan(0);
  const stats = await p.evaluate(
    () =>
      (window as { lemonscaleStream?: { agreed: number; mismatches: number; resyncs: number } })
        .lemonscaleStream!,
  );
  expect(stats.agreed).toBeGreaterThan(tick0 + 5);
  expect(stats.mismatches + stats.resyncs).toBe(0);

  // Paused by the teacher, nothing on the page changes: the scene draws (almost) nothing.
  await t.locator('button[data-action="pause"]').click();
  await expect(p.locator('.notice')).toContainText('Paused');
  const paused = await measure(5_000);
  console.log(`the same page, paused: ${paused.text}`);
  await phone.close();
  await teacherCtx.close();
});
