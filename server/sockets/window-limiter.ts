import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Limiter } from './limits.ts';

interface Options {
  points: number;
  duration: number;
  blockDuration?: number;
}

/** A key's count in its window (the window starts at the key's first consume, as in RateLimiterMemory). */
interface Count {
  points: number;
  endsAt: number;
}

/**
 * RateLimiterMemory's counting for the limits that block nobody beyond their window (events, commands,
 * attempts, resyncs), at a fraction of its cost on the busiest path: every event a connection sends and
 * every purchase go through two of them. RateLimiterMemory makes a record, a result and a timer (to forget
 * the key) for each key's window; here a key's count is one small object updated in place, and expired
 * keys are forgotten by a sweep at most once per window length, not by a timer each. Same rule: a key's
 * window starts at its first consume after the last one ended and lasts `duration` seconds; a consume
 * past `points` is rejected with a RateLimiterRes (its consumedPoints count the rejected ones too).
 * Limiters with a blockDuration (the failed-join limits) stay RateLimiterMemory.
 */
export class WindowLimiter implements Limiter {
  private readonly counts = new Map<string, Count>();
  private nextSweep = 0;

  private readonly points: number;
  private readonly windowMs: number;

  constructor(opts: Options) {
    if ((opts.blockDuration ?? 0) > 0) throw new Error('WindowLimiter does not block; use RateLimiterMemory');
    this.points = opts.points;
    this.windowMs = opts.duration * 1000;
  }

  consume(key: string | number, pointsToConsume = 1): Promise<RateLimiterRes> {
    const now = Date.now();
    const windowMs = this.windowMs;
    if (now >= this.nextSweep) this.sweep(now, windowMs);
    const k = String(key);
    let c = this.counts.get(k);
    if (!c || now >= c.endsAt) this.counts.set(k, (c = { points: 0, endsAt: now + windowMs }));
    c.points += pointsToConsume;
    const res = new RateLimiterRes(
      Math.max(this.points - c.points, 0),
      c.endsAt - now,
      c.points,
      c.points === pointsToConsume,
    );
    return c.points > this.points ? Promise.reject(res) : Promise.resolve(res);
  }

  /** Gives points back to a key's current window (as RateLimiterMemory's reward). */
  reward(key: string | number, points = 1): Promise<RateLimiterRes> {
    const now = Date.now();
    const c = this.counts.get(String(key));
    if (c && now < c.endsAt) c.points -= points;
    const consumed = c && now < c.endsAt ? c.points : 0;
    return Promise.resolve(
      new RateLimiterRes(Math.max(this.points - consumed, 0), c ? Math.max(c.endsAt - now, 0) : 0, consumed),
    );
  }

  private sweep(now: number, windowMs: number): void {
    for (const [k, c] of this.counts) if (now >= c.endsAt) this.counts.delete(k);
    this.nextSweep = now + windowMs;
  }
}
