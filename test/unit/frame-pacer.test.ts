import { describe, expect, it } from 'vitest';
import { FramePacer, TOUCH_SCREEN_FPS, minFrameGapMs } from '../../client/src/render/frame-pacer.ts';

/** Frames drawn in one second of animation frames at `hz`, with a little jitter on each timestamp. */
function drawnPerSecond(pacer: FramePacer, hz: number, start = 1000): number {
  let drawn = 0;
  for (let i = 0; i < hz; i++) {
    const jitter = ((i * 7919) % 5) * 0.1 - 0.2; // -0.2..+0.2 ms, as browsers' timestamps wander
    if (pacer.mayDraw(start + (i * 1000) / hz + jitter)) drawn++;
  }
  return drawn;
}

describe('FramePacer', () => {
  it('a touch screen draws at most 30 frames a second at 60 and at 120 Hz', () => {
    expect(drawnPerSecond(new FramePacer(minFrameGapMs(true)), 60)).toBe(TOUCH_SCREEN_FPS);
    expect(drawnPerSecond(new FramePacer(minFrameGapMs(true)), 120)).toBe(TOUCH_SCREEN_FPS);
  });

  it('a display slower than the cap loses no frame', () => {
    expect(drawnPerSecond(new FramePacer(minFrameGapMs(true)), 24)).toBe(24);
  });

  it('a screen with a mouse draws every frame', () => {
    expect(drawnPerSecond(new FramePacer(minFrameGapMs(false)), 60)).toBe(60);
    expect(drawnPerSecond(new FramePacer(minFrameGapMs(false)), 120)).toBe(120);
  });

  it('the first frame after a rest is drawn at once', () => {
    const p = new FramePacer(minFrameGapMs(true));
    expect(p.mayDraw(5000)).toBe(true);
    expect(p.mayDraw(5016)).toBe(false);
    // Nothing moved for a while; a new view asks for a frame: it is drawn, not held back.
    expect(p.mayDraw(9000)).toBe(true);
  });
});
