/** How `npm run cluster` starts a process again that died: a wait that grows while it keeps dying. */
export interface RestartPolicy {
  /** The wait before starting again a process that had run well (or died for the first time). */
  firstDelayMs: number;
  /** The longest wait: a process that cannot start is tried again this often, never given up on. */
  maxDelayMs: number;
  /** A process that ran this long had run well: its next death waits firstDelayMs again. */
  healthyAfterMs: number;
}

/**
 * The launcher's: a crash is retried after 1 s; one that dies again within a minute of that waits 2 s,
 * then 4, 8, 16, 30 s (a missing database or a bad setting is not retried in a tight loop, but is picked
 * up within half a minute of being fixed).
 */
export const RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 1000,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
};

/**
 * The wait before the next start of a process that ran `ranForMs` before dying, given the wait before its
 * last start (null: it had not been restarted). Doubling only while it keeps dying young.
 */
export function nextRestartDelay(
  lastDelayMs: number | null,
  ranForMs: number,
  policy: RestartPolicy,
): number {
  if (lastDelayMs === null || ranForMs >= policy.healthyAfterMs) return policy.firstDelayMs;
  return Math.min(lastDelayMs * 2, policy.maxDelayMs);
}
