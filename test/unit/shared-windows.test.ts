import { describe, expect, it } from 'vitest';
import { SharedWindows } from '../../server/rooms/shared-windows.ts';

/** A hand-run timer: what was set, fired when the test says. */
function fakeTimers() {
  const set: { fn: () => void; ms: number }[] = [];
  return { set, setTimer: (fn: () => void, ms: number) => void set.push({ fn, ms }) };
}

describe('SharedWindows: the rooms of a process close their group-commit windows together', () => {
  it('runs every window opened before the first one closes in one timer callback', () => {
    const t = fakeTimers();
    const w = new SharedWindows(t.setTimer);
    const ran: string[] = [];
    w.after(() => ran.push('room A'), 40);
    w.after(() => ran.push('room B'), 40);
    w.after(() => ran.push('room C'), 40);
    // One timer for all three, of the window's length.
    expect(t.set.map((x) => x.ms)).toEqual([40]);
    expect(ran).toEqual([]);
    t.set[0]!.fn();
    expect(ran).toEqual(['room A', 'room B', 'room C']);
  });

  it('opens a new window after one has closed, and keeps windows of other lengths apart', () => {
    const t = fakeTimers();
    const w = new SharedWindows(t.setTimer);
    const ran: string[] = [];
    w.after(() => ran.push('first'), 40);
    t.set[0]!.fn();
    w.after(() => ran.push('second'), 40);
    w.after(() => ran.push('other length'), 10);
    expect(t.set.map((x) => x.ms)).toEqual([40, 40, 10]);
    t.set[2]!.fn();
    expect(ran).toEqual(['first', 'other length']);
    t.set[1]!.fn();
    expect(ran).toEqual(['first', 'other length', 'second']);
  });

  it("runs the other rooms' callbacks when one throws, and reports the error", () => {
    const t = fakeTimers();
    const errors: unknown[] = [];
    const w = new SharedWindows(t.setTimer, (e) => errors.push(e));
    const ran: string[] = [];
    w.after(() => ran.push('room A'), 40);
    w.after(() => {
      throw new Error('room B broke');
    }, 40);
    w.after(() => ran.push('room C'), 40);
    t.set[0]!.fn();
    expect(ran).toEqual(['room A', 'room C']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['room B broke']);
  });
});
