/**
 * How often each part of the replay screen is redrawn while it plays: the business (scene, HUD,
 * tables) at most ~15 times a second and only when the tick moved, the leaderboard once a second, the
 * charts' playheads four times a second. A forced draw (a seek, a click) redraws everything now.
 */
export class RenderCadence {
  private viewAt = 0;
  private boardAt = 0;
  private chartAt = 0;
  private lastTick = -1;

  /** Which parts to draw at `now` (ms) for this tick; `rewound` when the tick went backwards. */
  frame(
    now: number,
    tick: number,
    force: boolean,
  ): { rewound: boolean; view: boolean; board: boolean; charts: boolean } {
    const moved = tick !== this.lastTick;
    const rewound = moved && tick < this.lastTick;
    this.lastTick = tick;
    const view = force || (moved && now - this.viewAt > 66);
    if (view) this.viewAt = now;
    const board = force || (moved && now - this.boardAt > 1000);
    if (board) this.boardAt = now;
    const charts = force || now - this.chartAt > 250;
    if (charts) this.chartAt = now;
    return { rewound, view, board, charts };
  }
}
