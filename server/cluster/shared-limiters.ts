import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { memoryLimiters, type LimiterFactory } from '../sockets/limits.ts';

/**
 * Limits that must hold across the cluster, counted in Redis: attempts to name a room (per device and per
 * address, tries and misses), room creation and game logs read from the store (`/log`). A student whose next connection lands on another process
 * meets the same budget, so a room code cannot be guessed N times faster with N processes. The per-
 * connection and per-player limits (commands, events, snapshots) stay in the process: they are checked
 * on every event, and a Redis round trip each time would cost more than what they protect.
 */
const SHARED = new Set(['att', 'att-addr', 'miss', 'miss-addr', 'create', 'log-read']);

export function clusterLimiters(redis: Redis, namespace = 'lemonscale:limit:'): LimiterFactory {
  return (opts) => {
    if (!SHARED.has(opts.keyPrefix)) return memoryLimiters(opts);
    return new RateLimiterRedis({
      ...opts,
      keyPrefix: `${namespace}${opts.keyPrefix}`,
      storeClient: redis,
      // Redis restarting must not turn every join into a server error: meanwhile this process counts alone.
      insuranceLimiter: new RateLimiterMemory(opts),
    });
  };
}
