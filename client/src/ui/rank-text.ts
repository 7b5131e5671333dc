import type { Place } from '../../../shared/views/rank-sharing.ts';

/**
 * A rank in words, read right when results are equal. The leaderboard gives equal results one rank
 * (shared/sim/results.ts: 1, 2, 2, 4), so a medal goes with the rank, not the row's position, and "#2"
 * says whether others share it: at a game's start everyone is tied, and "#1 of 4" alone read as a lead.
 */

export { sharedBy } from '../../../shared/views/rank-sharing.ts';

const MEDALS = ['🥇', '🥈', '🥉'] as const;

/** The medal of a rank ('' past third): two rows sharing 3rd both get 🥉. */
export function medal(rank: number): string {
  return MEDALS[rank - 1] ?? '';
}

/** The rank cell of a leaderboard: the medal, then the rank. */
export function rankCell(rank: number): string {
  const m = medal(rank);
  return m ? `${m} ${rank}` : String(rank);
}

/**
 * "#2 of 4", "#2 of 4 (tied with 1 other)", "#1 of 4 (all tied)"; `short` (the live HUD's top bar, a
 * phone's width): "#2 of 30 (tied)", "#1 of 30 (all tied)". Every number is the one place's, so they
 * come from one ranking.
 */
export function placeText({ rank, shared, of: players }: Place, short = false): string {
  const tie =
    shared <= 1
      ? ''
      : shared >= players
        ? ' (all tied)'
        : short
          ? ' (tied)'
          : ` (tied with ${shared - 1} other${shared === 2 ? '' : 's'})`;
  return `#${rank} of ${players}${tie}`;
}

/** 1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
