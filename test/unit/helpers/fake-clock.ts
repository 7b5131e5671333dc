import type { RoomClock, TimerHandle } from '../../../server/rooms/room-clock.ts';

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that moves only when the test moves it: timers fire in order of their due time as advance()
 * passes them, and soon() callbacks run on flush() (and before each timer), like setImmediate would.
 */
export class FakeClock implements RoomClock {
  private t = 0;
  private seq = 0;
  private timers = new Map<number, FakeTimer>();
  private soonQueue: (() => void)[] = [];
  wall = Date.UTC(2026, 0, 5, 9, 0, 0);
  /** Timers that have fired: what an idle room must not spend. */
  fired = 0;

  /**
   * `earlyMs`: timers fire this much before they are due, as Node's do when the event loop's cached time
   * (which they count from) is behind the real time by the work done earlier in the same turn; negative:
   * this much after (a busy machine).
   */
  constructor(private readonly earlyMs = 0) {}

  now(): number {
    return this.t;
  }

  wallTime(): number {
    return this.wall + this.t;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const seq = ++this.seq;
    // Never sooner than a millisecond on (a real timer is at least that late), however early it fires.
    const wait = Math.max(0, ms);
    this.timers.set(seq, { at: this.t + Math.max(Math.min(wait, 1), wait - this.earlyMs), seq, fn });
    return seq as unknown as TimerHandle;
  }

  clearTimer(timer: TimerHandle): void {
    this.timers.delete(timer as unknown as number);
  }

  soon(fn: () => void): void {
    this.soonQueue.push(fn);
  }

  /** The group-commit window passes at the next flush, like soon(): tests settle commands with flush(). */
  afterWindow(fn: () => void, _ms?: number): void {
    this.soonQueue.push(fn);
  }

  /** Runs what soon() queued (and what that queues). */
  flush(): void {
    while (this.soonQueue.length) this.soonQueue.shift()!();
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.flush();
      let next: FakeTimer | undefined;
      for (const x of this.timers.values())
        if (x.at <= end && (!next || x.at < next.at || (x.at === next.at && x.seq < next.seq))) next = x;
      if (!next) break;
      this.timers.delete(next.seq);
      this.fired++;
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
    this.flush();
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}
