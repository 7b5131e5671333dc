import { describe, expect, it } from 'vitest';
import { winnerText } from '../../client/src/screens/history.ts';

/** Compare classes names a game's winner; equal profits share first place there as on the leaderboard. */
describe('history winner', () => {
  const row = (name: string, profit: number, bot = false) => ({
    name,
    profit,
    strategy: 'scale-out',
    badges: [],
    bot,
  });
  const game = (players: number, ...top: ReturnType<typeof row>[]) => ({
    outcome: { players, medianProfit: 0, strategies: [], top },
  });

  it('names the one winner, or every student tied for first', () => {
    expect(winnerText(game(0))).toBe('—');
    expect(winnerText(game(2, row('Ann', 120), row('Bob', 80)))).toBe('Ann (↔️ Scale out, $120)');
    expect(winnerText(game(3, row('Ann', 120), row('Bob', 120, true), row('Cy', 80)))).toBe(
      'Ann, Bob 🤖 bot (tied, $120)',
    );
  });

  it('says there may be more when the whole stored top five is tied', () => {
    const five = ['A', 'B', 'C', 'D', 'E'].map((n) => row(n, 0));
    expect(winnerText(game(9, ...five))).toBe('A, B, C, D, E and others (tied, $0)');
    expect(winnerText(game(5, ...five))).toBe('A, B, C, D, E (tied, $0)');
  });
});
