/**
 * How often the business scene may draw while people walk. Each frame redraws the whole canvas; on a
 * phone that is GPU and battery spent thirty phones at a time, and at speed x4 someone is always
 * moving. Thirty frames a second is smooth for people walking to a lemonade stand, so a touch screen
 * (a phone or tablet) draws at most that often, whatever its display's refresh rate (60 or 120 Hz).
 * A laptop with a mouse keeps every frame.
 */
export const TOUCH_SCREEN_FPS = 30;

/** The least gap between two drawn frames, in ms: 0 for no cap. */
export function minFrameGapMs(touchScreen: boolean): number {
  return touchScreen ? 1000 / TOUCH_SCREEN_FPS : 0;
}

/**
 * Decides, for each animation frame, whether it is drawn. The animation itself still advances every
 * frame (positions follow the time passed), so a skipped frame only means the picture is shown at the
 * next drawn frame (at most 1/30 s later), never that anyone moves slower.
 */
export class FramePacer {
  private last = -Infinity;

  constructor(private readonly gapMs: number) {}

  /**
   * May a frame be drawn at `now` (a requestAnimationFrame timestamp, ms)? Records it when it may.
   * Frame timestamps jitter by a fraction of a millisecond, so a frame just under the gap counts: at
   * 60 Hz every second frame is drawn, not every third.
   */
  mayDraw(now: number): boolean {
    if (now - this.last < this.gapMs - 1) return false;
    this.last = now;
    return true;
  }
}
