import { describe, expect, it } from 'vitest';
import { ProofBudget } from '../../server/rooms/proof-budget.ts';

describe("the process's proof budget (200 proofs a second over all of its rooms)", () => {
  it("spreads every room's students over it, between 1 s and 10 s each", () => {
    const b = new ProofBudget();
    const [a, c] = [{}, {}];
    expect(b.intervalMs(0)).toBe(1000);
    b.report(a, 50, 0);
    expect(b.intervalMs(0)).toBe(1000);
    b.report(c, 350, 0);
    // 400 students: each every 2 s.
    expect(b.intervalMs(0)).toBe(2000);
    // A room reports again with fewer students: its count is replaced, not added.
    b.report(c, 150, 100);
    expect(b.intervalMs(100)).toBe(1000);
    b.report(c, 4950, 100);
    expect(b.intervalMs(100)).toBe(10_000);
    b.report(c, 99_000, 100);
    expect(b.intervalMs(100)).toBe(10_000);
  });

  it('a closed room, or one that has stopped publishing, no longer counts', () => {
    const b = new ProofBudget();
    const [a, c] = [{}, {}];
    b.report(a, 300, 0);
    b.report(c, 300, 0);
    expect(b.intervalMs(0)).toBe(3000);
    // Only `c` still publishes 2.5 s later (`a` fell asleep): 300 students count.
    b.report(c, 300, 2500);
    expect(b.intervalMs(2500)).toBe(1500);
    b.release(c);
    expect(b.intervalMs(2500)).toBe(1000);
  });
});
