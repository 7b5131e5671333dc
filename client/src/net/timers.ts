/**
 * The timers a link waits with: the page's own, or a test's that it runs by hand, so a test of how often
 * a page asks again reads the waits the page chose instead of sleeping through them (no wait to pay, and
 * no late timer on a busy machine to make it pass or fail by luck).
 */
export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const pageTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout> | undefined),
};
