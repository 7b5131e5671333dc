import type { Speed } from '../../shared/protocol/payloads.ts';

/** How early (a share of a tick) a tick may run: see dueTick. */
const EARLY_TICK_SHARE = 0.2;

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
   * The tick the game should have reached by `now`, counting a tick due within a fifth of a tick as due.
   * Node's timers count from the event loop's cached time, which is behind the real time by whatever ran
   * earlier in the same turn (the room's own wake, other rooms' wakes): a timer set for the next tick
   * fires up to that much early. Without the slack such a wake found nothing due and slept 5 ms more, so
   * a room at speed 4 woke ~70 times a second for 40 ticks. A tick a few milliseconds early changes
   * nothing in the game (its time is the tick count), and the next wake is set for the next boundary.
   */
  dueTick(now: number): number {
    return this.anchorTick + Math.floor((now - this.anchorTime) / this.tickMs() + EARLY_TICK_SHARE);
  }

  /** When the tick after `tick` is due. */
  nextTickAt(tick: number): number {
    return this.anchorTime + (tick + 1 - this.anchorTick) * this.tickMs();
  }
}
