import type { ErrorCode } from '../../../shared/protocol/errors.ts';

/**
 * Refusals that mean the player or room is gone for good: only these make the client forget its token.
 * Anything else (too many attempts, rate limits, a server error, no answer) is temporary, and the client
 * keeps its token and tries again.
 */
const GONE: readonly ErrorCode[] = ['unknown-room', 'bad-token', 'kicked'];

export function isGoneForGood(code: ErrorCode): boolean {
  return GONE.includes(code);
}

/**
 * Milliseconds before retry number `attempt` (0-based): doubling from 1 s up to 30 s, with up to a third
 * of random spread so that a class that lost the server at once does not come back in one wave. After
 * `owner-unavailable` (cluster mode: the room is between owners, a failover of about a second) it starts
 * at 200 ms instead: waiting a whole second would add most of a second to the student's gap.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random, code?: ErrorCode): number {
  const first = code === 'owner-unavailable' ? 200 : 1000;
  const base = Math.min(30_000, first * 2 ** Math.min(attempt, 10));
  return Math.round(base * (1 - random() / 3));
}
