import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { WindowLimiter } from '../../server/sockets/window-limiter.ts';
import { memoryLimiters } from '../../server/sockets/limits.ts';

/** A consume's outcome as Limits reads it: passed or refused, and the points counted so far. */
async function outcome(p: Promise<RateLimiterRes>): Promise<[boolean, number]> {
  try {
    const r = await p;
    return [true, r.consumedPoints];
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    return [false, e.consumedPoints];
  }
}

describe('WindowLimiter', () => {
  afterEach(() => vi.useRealTimers());

  it('passes and refuses exactly as RateLimiterMemory over a random run of keys and times', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const opts = { keyPrefix: 'x', points: 5, duration: 1 };
    const ours = new WindowLimiter(opts);
    const theirs = new RateLimiterMemory(opts);
    // A seeded sequence (no Math.random): bursts, pauses shorter and longer than the window.
    let seed = 7;
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      vi.advanceTimersByTime([0, 0, 0, 3, 40, 300, 999, 1000, 1700][next(9)]!);
      const key = `k${next(4)}`;
      const a = await outcome(ours.consume(key));
      const b = await outcome(theirs.consume(key));
      expect(a, `consume ${i} of ${key}`).toEqual(b);
      if (!a[0]) refused++;
    }
    // The run did exercise both answers.
    expect(refused).toBeGreaterThan(100);
    expect(refused).toBeLessThan(2900);
  });

  it('reward hands points back within the window; expired keys are forgotten', async () => {
    vi.useFakeTimers({ now: 5_000 });
    const l = new WindowLimiter({ points: 2, duration: 60 });
    expect(await outcome(l.consume('a'))).toEqual([true, 1]);
    expect(await outcome(l.consume('a'))).toEqual([true, 2]);
    expect(await outcome(l.consume('a'))).toEqual([false, 3]);
    await l.reward('a', 2);
    expect(await outcome(l.consume('a'))).toEqual([true, 2]);
    vi.advanceTimersByTime(60_000);
    expect(await outcome(l.consume('b'))).toEqual([true, 1]);
    expect((l as unknown as { counts: Map<string, unknown> }).counts.has('a')).toBe(false);
    expect(await outcome(l.consume('a'))).toEqual([true, 1]);
  });

  it('is what the in-process limits use unless they block; a blocking limit stays RateLimiterMemory', () => {
    expect(memoryLimiters({ keyPrefix: 'ev', points: 5, duration: 1 })).toBeInstanceOf(WindowLimiter);
    expect(memoryLimiters({ keyPrefix: 'miss', points: 5, duration: 60, blockDuration: 60 })).toBeInstanceOf(
      RateLimiterMemory,
    );
    expect(() => new WindowLimiter({ points: 1, duration: 1, blockDuration: 5 })).toThrow(/does not block/);
  });
});
