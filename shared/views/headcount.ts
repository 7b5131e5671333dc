/**
 * Who plays in a room, students and bots apart. A student's lobby, the projector and the teacher's
 * console all count here: a teacher who added three bots before the first student joined had that
 * student's lobby say "4 joined", as if they were classmates. A count, never a name.
 */
export interface Headcount {
  students: number;
  bots: number;
}

/** The players still in the game (a removed one no longer counts), students and bots apart. */
export function headcountOf(players: readonly { bot: string | null; removed: boolean }[]): Headcount {
  const { students, bots } = studentsAndBots(players.filter((p) => !p.removed));
  return { students: students.length, bots: bots.length };
}

/**
 * The same players split into students and the teacher's bots, each in the order given: the results
 * page's "Each student" listed the bots among the students, where every other screen says them apart.
 */
export function studentsAndBots<P extends { bot: string | null }>(
  players: readonly P[],
): { students: P[]; bots: P[] } {
  return {
    students: players.filter((p) => p.bot === null),
    bots: players.filter((p) => p.bot !== null),
  };
}

/** Two headcounts say the same. */
export function sameHeadcount(a: Headcount | null, b: Headcount | null): boolean {
  return a !== null && b !== null && a.students === b.students && a.bots === b.bots;
}
