import { describe, expect, it } from 'vitest';
import { ClassFlow } from '../../client/src/charts/class-flow.ts';

const row = (id: string, served: number, lost: number) => ({ id, served, lost: { total: lost } });

describe("the teacher's served-vs-lost rates", () => {
  it('are the class growth per second', () => {
    const f = new ClassFlow();
    expect(f.sample(10, [row('a', 100, 10), row('b', 50, 5)])).toBeNull();
    expect(f.sample(12, [row('a', 110, 14), row('b', 56, 5)])).toEqual([8, 2]);
  });

  it('never go negative when a student with a long history is removed', () => {
    const f = new ClassFlow();
    f.sample(10, [row('a', 100, 10), row('kicked', 1200, 900)]);
    const r = f.sample(11, [row('a', 103, 11)])!;
    expect(r).toEqual([3, 1]);
  });

  it('count a late joiner from their second sample on, not their whole past', () => {
    const f = new ClassFlow();
    f.sample(10, [row('a', 100, 10)]);
    expect(f.sample(11, [row('a', 102, 10), row('late', 40, 4)])).toEqual([2, 0]);
    expect(f.sample(12, [row('a', 104, 10), row('late', 41, 6)])).toEqual([3, 2]);
  });

  it('skip a sample whose clock did not move', () => {
    const f = new ClassFlow();
    f.sample(10, [row('a', 100, 10)]);
    expect(f.sample(10, [row('a', 101, 10)])).toBeNull();
  });
});
