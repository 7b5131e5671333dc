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
  let students = 0;
  let bots = 0;
  for (const p of players) {
    if (p.removed) continue;
    if (p.bot === null) students++;
    else bots++;
  }
  return { students, bots };
}

/** Two headcounts say the same. */
export function sameHeadcount(a: Headcount | null, b: Headcount | null): boolean {
  return a !== null && b !== null && a.students === b.students && a.bots === b.bots;
}
