import { expect } from 'vitest';
import type { Timers } from '../client/src/net/timers.ts';

/**
 * A page's timers, run by the test (client/src/net/timers.ts): what the page is waiting for and how long
 * it chose to wait (`waits`), and `fire()` to let the one pending wait pass. A test of how often a page
 * asks again reads the waits it chose instead of sleeping through them.
 */
export function handTimers() {
  const pending = new Map<number, { run: () => void; ms: number }>();
  let last = 0;
  const timers: Timers = {
    set: (run, ms) => {
      pending.set(++last, { run, ms });
      return last;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  return {
    timers,
    /** The waits pending, in milliseconds. */
    waits: (): number[] => [...pending.values()].map((t) => t.ms),
    /** The one pending wait is over: its timer runs. */
    fire: (): void => {
      expect(pending.size).toBe(1);
      const [[id, t]] = [...pending];
      pending.delete(id!);
      t!.run();
    },
  };
}
