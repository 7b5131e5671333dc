import { describe, expect, it } from 'vitest';
import { nextRestartDelay, RESTART_POLICY } from '../../server/cluster/restart-backoff.ts';

describe("npm run cluster's restarts of a process that died (restart-backoff.ts)", () => {
  const p = RESTART_POLICY;

  it('waits 1 s after a first death, then doubles while it keeps dying young, up to 30 s', () => {
    const waits: number[] = [];
    let last: number | null = null;
    for (let i = 0; i < 8; i++) {
      last = nextRestartDelay(last, 500, p);
      waits.push(last);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over at 1 s once a process had run a minute', () => {
    expect(nextRestartDelay(30_000, p.healthyAfterMs, p)).toBe(1000);
    expect(nextRestartDelay(30_000, p.healthyAfterMs - 1, p)).toBe(30_000);
  });
});
