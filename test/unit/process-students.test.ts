import { describe, expect, it } from 'vitest';
import { ProcessStudents } from '../../server/rooms/process-students.ts';

describe("the students of a process's rooms (proofs and class views are budgeted from them)", () => {
  it("sums every room's last report; a room's new report replaces its old one", () => {
    const p = new ProcessStudents();
    const [a, c] = [{}, {}];
    expect(p.total(0)).toBe(0);
    p.report(a, 50, 0);
    p.report(c, 350, 0);
    expect(p.total(0)).toBe(400);
    p.report(c, 150, 100);
    expect(p.total(100)).toBe(200);
  });

  it('a closed room, or one that has stopped publishing for 2 s, no longer counts', () => {
    const p = new ProcessStudents();
    const [a, c] = [{}, {}];
    p.report(a, 300, 0);
    p.report(c, 200, 0);
    expect(p.total(2000)).toBe(500);
    // Only `c` still publishes 2.5 s later (`a` fell asleep).
    p.report(c, 200, 2500);
    expect(p.total(2500)).toBe(200);
    p.release(c);
    expect(p.total(2500)).toBe(0);
  });
});
