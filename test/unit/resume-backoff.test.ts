import { describe, expect, it } from 'vitest';
import { isGoneForGood, retryDelayMs } from '../../client/src/net/resume-backoff.ts';

describe('resuming after a refusal', () => {
  it('forgets the token only when the player or room is gone for good', () => {
    for (const code of ['unknown-room', 'bad-token', 'kicked'] as const)
      expect(isGoneForGood(code)).toBe(true);
    for (const code of ['too-many-attempts', 'rate-limited', 'server-error', 'invalid-payload'] as const)
      expect(isGoneForGood(code)).toBe(false);
  });

  it('backs off from 1 s doubling to 30 s, spread by up to a third', () => {
    const top = (n: number) => retryDelayMs(n, () => 0);
    const bottom = (n: number) => retryDelayMs(n, () => 0.999999);
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(top)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(bottom(0)).toBe(667);
    expect(bottom(20)).toBe(20000);
  });

  it('after owner-unavailable (a room between owners in a cluster) starts at 200 ms', () => {
    const top = (n: number) => retryDelayMs(n, () => 0, 'owner-unavailable');
    expect([0, 1, 2, 3, 10].map(top)).toEqual([200, 400, 800, 1600, 30000]);
  });
});
