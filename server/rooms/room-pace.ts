import type { Speed } from '../../shared/protocol/payloads.ts';
import { EARLY_TIMER_SHARE } from './room-clock.ts';

/**
 * When ticks are due: the teacher's pause and speed, and the anchor of the fixed time step (tick
 * `anchorTick` was due at clock time `anchorTime`). Pure arithmetic over times handed in; the room's
 * clock supplies them.
 */
export class RoomPace {
  paused = false;
  private anchorTime = 0;
  private anchorTick = 0;

  constructor(
    private readonly tickIntervalMs: number,
    public speed: Speed,
  ) {}

  tickMs(): number {
    return this.tickIntervalMs / this.speed;
  }

  /** From now on, ticks are due from `tick` at `now` (after a start, resume, speed change, or a lag). */
  rebase(now: number, tick: number): void {
    this.anchorTime = now;
    this.anchorTick = tick;
  }

  /**
   * The tick the game should have reached by `now`, counting a tick due within EARLY_TIMER_SHARE of a
   * tick as due (timers fire early: room-clock.ts). A tick a few milliseconds early changes nothing in the
   * game (its time is the tick count), and the next wake is set for the next boundary.
   */
  dueTick(now: number): number {
    return this.anchorTick + Math.floor((now - this.anchorTime) / this.tickMs() + EARLY_TIMER_SHARE);
  }

  /** When the tick after `tick` is due. */
  nextTickAt(tick: number): number {
    return this.anchorTime + (tick + 1 - this.anchorTick) * this.tickMs();
  }
}
