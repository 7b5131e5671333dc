import { describe, expect, it } from 'vitest';
import { fitLanes, LANE_FONT, laneHeightPx } from '../../client/src/render/lane-fit.ts';
import { MIN_TEXT_PX } from '../../client/src/render/readable-text.ts';

/** A stand's words on screen: the lane's smallest font, times the lane's scale and its words' own. */
const counterPx = (f: ReturnType<typeof fitLanes>): number => LANE_FONT * f.s * f.k;

describe('lane fit', () => {
  it('keeps a big lane as drawn: one header row, words at their own size', () => {
    const f = fitLanes(800, 130);
    expect(f).toMatchObject({ k: 1, rows: 1, bodyY: 0 });
    expect(counterPx(f)).toBeGreaterThanOrEqual(MIN_TEXT_PX);
  });

  it('gives a phone lane readable words on two rows, and the lanes still fit their cells', () => {
    // A 390 px phone's scene: 218 px for the lanes, 330 px high (one stand, four; 15 in three columns).
    for (const [w, h] of [
      [218, 330],
      [218, 82],
      [79, 66],
    ] as const) {
      const f = fitLanes(w, h);
      expect(f.rows).toBe(2);
      expect(counterPx(f)).toBeCloseTo(MIN_TEXT_PX);
      expect(laneHeightPx(f)).toBeLessThanOrEqual(h + 1e-9);
      expect(f.s * 448).toBeLessThanOrEqual(w + 1e-9);
    }
  });

  it('draws no words on a lane too small for them (the stands table has them)', () => {
    // 40 stands on a phone: four columns of ten, 59 x 33 px each.
    expect(fitLanes(59, 33)).toMatchObject({ rows: 0, k: 1 });
  });
});
