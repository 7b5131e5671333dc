import { expect, test } from '@playwright/test';

/**
 * What running the business in the page costs a phone: a student page at speed x4 on a phone-sized
 * viewport, its script time per second read from Chrome's Performance domain (ScriptDuration, the time
 * the page's main thread spent running script) over a 10-second window. A figure to read, printed (the
 * target is at most 5% of one core); the test asserts only that the page played and agreed with the
 * server meanwhile, since timing on a shared test machine is no pass/fail criterion.
 */
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
  const a = await read();
  const t0 = await clock();
  const tick0 = await p.evaluate(
    () => (window as { lemonscaleStream?: { agreed: number } }).lemonscaleStream!.agreed,
  );
  await expect.poll(clock, { timeout: 30_000, intervals: [500] }).toBeGreaterThan(t0 + 10_000);
  const b = await read();
  const seconds = ((await clock()) - t0) / 1000;
  const script = (b.ScriptDuration! - a.ScriptDuration!) / seconds;
  const task = (b.TaskDuration! - a.TaskDuration!) / seconds;
  console.log(
    `student page, speed x4, 390x844 @2x: script ${(script * 100).toFixed(1)}% of a core ` +
      `(all main-thread tasks ${(task * 100).toFixed(1)}%) over ${seconds.toFixed(1)} s`,
  );
  expect(script).toBeGreaterThan(0);
  const stats = await p.evaluate(
    () =>
      (window as { lemonscaleStream?: { agreed: number; mismatches: number; resyncs: number } })
        .lemonscaleStream!,
  );
  expect(stats.agreed).toBeGreaterThan(tick0 + 5);
  expect(stats.mismatches + stats.resyncs).toBe(0);
  await phone.close();
  await teacherCtx.close();
});
