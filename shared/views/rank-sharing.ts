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
function rankCounts(board: readonly { rank: number }[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of board) counts.set(r.rank, (counts.get(r.rank) ?? 0) + 1);
  return counts;
}

/** Scores are withheld from students while the teacher hides them, until the end shows every one. */
export function scoresWithheld(scoresHidden: boolean, status: GameStatus): boolean {
  return scoresHidden && status !== 'ended';
}

/**
 * A player's place in one class ranking: the rank, how many hold it (this player included; 1: nobody
 * else), and how many were ranked. All three come from the same ranking, so "#1 of 30 (all tied)" is
 * true as a whole: a count taken elsewhere (the tick stream's, after a join) disagreed with the rank's
 * for up to a proof interval.
 */
export interface Place {
  readonly rank: number;
  readonly shared: number;
  readonly of: number;
}

/**
 * Each player's place in a leaderboard (one pass, for a whole class's proofs or a replay's moment). The
 * holders of one rank share one object, filled in a loop: a class view of 1,000 rows makes no pair array
 * per row, and at a game's start (everyone tied) one object in all.
 */
export function placesIn(board: readonly { id: string; rank: number }[]): Map<string, Place> {
  const holders = rankCounts(board);
  const byRank = new Map<number, Place>();
  const places = new Map<string, Place>();
  for (const r of board) {
    let place = byRank.get(r.rank);
    if (!place)
      byRank.set(r.rank, (place = { rank: r.rank, shared: holders.get(r.rank)!, of: board.length }));
    places.set(r.id, place);
  }
  return places;
}

/** The place of one rank in a leaderboard (a final result's words), as placesIn gives every row's. */
export function placeIn(board: readonly { rank: number }[], rank: number): Place {
  return { rank, shared: sharedBy(board, rank), of: board.length };
}

/**
 * A student's place as they may see it: none while the teacher hides the scores (until the end, when
 * results show everything). The live proofs (server) and the student view (snapshots, replays) both
 * ask here.
 */
export function visiblePlace(
  scoresHidden: boolean,
  status: GameStatus,
  placeOf: () => Place | null,
): Place | null {
  return scoresWithheld(scoresHidden, status) ? null : placeOf();
}
