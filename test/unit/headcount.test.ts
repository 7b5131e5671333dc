import { describe, expect, it } from 'vitest';
import { headcountOf, studentsAndBots } from '../../shared/views/headcount.ts';
import { headcount, joinedCount } from '../../client/src/ui/format.ts';

/** The student's lobby, the projector and the console count one way: students and bots apart. */
describe('headcount', () => {
  const bot = (removed = false) => ({ bot: 'hybrid', removed });
  const student = (removed = false) => ({ bot: null, removed });

  it('counts the students and the bots still in the game apart', () => {
    // The teacher added three bots, then one student joined (and one left the lobby).
    const players = [bot(), bot(), bot(), student(), student(true)];
    expect(headcountOf(players)).toEqual({ students: 1, bots: 3 });
    expect(headcountOf([])).toEqual({ students: 0, bots: 0 });
  });

  it("says it in a student's lobby and on the projector, naming bots only when there are some", () => {
    expect(joinedCount({ students: 1, bots: 3 })).toBe('1 joined · 3 bots');
    expect(joinedCount({ students: 2, bots: 1 })).toBe('2 joined · 1 bot');
    expect(joinedCount({ students: 3, bots: 0 })).toBe('3 joined');
    expect(headcount({ students: 1, bots: 3 })).toBe('1 student + 3 bots');
    expect(headcount({ students: 3, bots: 0 })).toBe('3 students');
  });

  it("splits the players into students and bots, each in the order given (the results page's reports)", () => {
    const board = [
      { name: 'Bot A', bot: 'hybrid' },
      { name: 'Ann', bot: null },
      { name: 'Bot B', bot: 'scale-out' },
      { name: 'Bob', bot: null },
    ];
    const { students, bots } = studentsAndBots(board);
    expect(students.map((p) => p.name)).toEqual(['Ann', 'Bob']);
    expect(bots.map((p) => p.name)).toEqual(['Bot A', 'Bot B']);
  });
});
