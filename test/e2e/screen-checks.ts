import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * What every screen must hold at the sizes a class uses: a phone (390x844), a laptop (1366x768) and a
 * projector (1024x768): no sideways scrolling, and no serious or critical accessibility violation.
 * Screenshots of each size are saved for a person to look at.
 */
export const SHOTS = 'test-results/screens';
export const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1366, height: 768 },
  { name: 'projector', width: 1024, height: 768 },
] as const;
/** Students' screens also at the narrowest phone a class brings. */
export const STUDENT_SIZES = [{ name: 'small-phone', width: 360, height: 740 }, ...SIZES] as const;

/** Waits until the page has laid out at its new size (two frames: resize observers run in between). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );
}

/** How far the page scrolls sideways and down beyond the window. */
export async function overflow(page: Page): Promise<{ x: number; y: number }> {
  await settle(page);
  return page.evaluate(() => ({
    x: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    y: document.documentElement.scrollHeight - document.documentElement.clientHeight,
  }));
}

/** The innermost elements that stick out on the right: what to fix when a page scrolls sideways. */
async function widest(page: Page): Promise<string> {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right <= w + 0.5 || r.width === 0) continue;
      if ([...el.children].some((c) => c.getBoundingClientRect().right > w + 0.5)) continue;
      out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.right)})`);
      if (out.length >= 5) break;
    }
    return out.join(', ');
  });
}

/**
 * Checks one screen at every size (then puts the page back at its own size): no horizontal overflow,
 * a screenshot per size, and an axe scan.
 */
export async function checkScreen(
  page: Page,
  name: string,
  sizes: readonly { name: string; width: number; height: number }[] = SIZES,
): Promise<void> {
  const own = page.viewportSize();
  for (const size of sizes) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const o = await overflow(page);
    const culprits = o.x > 0 ? await widest(page) : '';
    expect
      .soft(o.x, `${name} scrolls sideways at ${size.width}x${size.height}: ${culprits}`)
      .toBeLessThanOrEqual(0);
    if (size.width <= 600) {
      // Tables that become cards on a phone (client/src/ui/tables.ts) hide nothing in a sideways scroll.
      const hidden = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('table.cards-on-phone')]
          .map((t) => [t.className, t.parentElement!.scrollWidth - t.parentElement!.clientWidth] as const)
          .filter(([, x]) => x > 0),
      );
      expect.soft(hidden, `${name}: tables scroll sideways at ${size.width}x${size.height}`).toEqual([]);
    }
    // What a person sees without scrolling: the top of the screen.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/${name}-${size.name}.png` });
  }
  if (own) await page.setViewportSize(own);
  await expectAccessible(page, name);
}

/** axe-core on the page as it is now: zero serious or critical violations. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect.soft(bad, `${name}: accessibility`).toEqual([]);
}
