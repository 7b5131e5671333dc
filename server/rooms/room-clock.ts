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
