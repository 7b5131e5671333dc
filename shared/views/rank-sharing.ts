import type { GameStatus } from '../sim/state.ts';

/**
 * How many hold a rank. The leaderboard gives equal results one rank (shared/sim/results.ts: 1, 2, 2,
 * 4; the tie rule lives there alone), so the players sharing a rank are the rows that hold it: every
 * screen counts them here, the live HUD's proofs (server) and the results' words (client) alike.
 */

/** How many rows of a leaderboard hold this rank. */
export function sharedBy(board: readonly { rank: number }[], rank: number): number {
  let n = 0;
  for (const r of board) if (r.rank === rank) n++;
  return n;
}

/** How many rows hold each rank (one pass, for a whole class's proofs). */
export function rankCounts(board: readonly { rank: number }[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of board) counts.set(r.rank, (counts.get(r.rank) ?? 0) + 1);
  return counts;
}

/** Scores are withheld from students while the teacher hides them, until the end shows every one. */
export function scoresWithheld(scoresHidden: boolean, status: GameStatus): boolean {
  return scoresHidden && status !== 'ended';
}

/**
 * A student's place as they may see it: none while the teacher hides the scores (until the end, when
 * results show everything), and how many share it only with it. The live proofs (server) and the
 * student view (snapshots, replays) both ask here.
 */
export function visiblePlace(
  scoresHidden: boolean,
  status: GameStatus,
  rankOf: () => number | null,
  sharedOf: () => number | null,
): { rank: number | null; rankShared: number | null } {
  const rank = scoresWithheld(scoresHidden, status) ? null : rankOf();
  return { rank, rankShared: rank === null ? null : sharedOf() };
}
