import { performance } from 'node:perf_hooks';
import { SharedWindows } from './shared-windows.ts';

/** A timer set through a RoomClock, to cancel it with. */
export type TimerHandle = { readonly __timer: unique symbol };

/**
 * Time as a room sees it. Injected, so that the room core runs on real time in the server and on a fake,
 * hand-advanced time in unit tests (no real timers, no waiting).
 */
export interface RoomClock {
  /** Monotonic milliseconds: the tick loop's time. */
  now(): number;
  /** Wall-clock milliseconds since 1970: what is written down (a game's creation and end). */
  wallTime(): number;
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(timer: TimerHandle): void;
  /** Runs `fn` once the work in hand is done: commands arriving together meet at one tick boundary. */
  soon(fn: () => void): void;
  /**
   * Runs `fn` after a group-commit window of at most `ms` (0: as soon()): the commands arriving meanwhile
   * share one store write, one wait for the disk. The real clock closes the windows of all of the
   * process's rooms together (shared-windows.ts). A fake clock may run it with soon().
   */
  afterWindow(fn: () => void, ms: number): void;
}

/**
 * How early a timer may fire, as a share of the period it waits for: Node's timers count from the event
 * loop's cached time, which is behind the real time by whatever ran earlier in the same turn, so a timer
 * set for the next tick fires up to that much early. A tick due within this share counts as due
 * (RoomPace.dueTick; the tick messages have a smaller share of their own, RoomStream): otherwise such a
 * wake found nothing to do and slept 5 ms more (a room at speed 4 woke ~70 times a second for 40 ticks).
 */
export const EARLY_TIMER_SHARE = 0.2;

/** The process's group-commit windows: every room's close together (shared-windows.ts). */
const windows = new SharedWindows();

/** The real clock: performance.now, Date.now, setTimeout and setImmediate; windows shared by the process's rooms. */
export const systemClock: RoomClock = {
  now: () => performance.now(),
  wallTime: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, Math.max(0, ms)) as unknown as TimerHandle,
  clearTimer: (t) => clearTimeout(t as unknown as NodeJS.Timeout),
  soon: (fn) => void setImmediate(fn),
  afterWindow: (fn, ms) => void (ms > 0 ? windows.after(fn, ms) : setImmediate(fn)),
};
