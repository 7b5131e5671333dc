import { describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import { BOT_KINDS } from '../../shared/sim/commands.ts';
import type { GameState } from '../../shared/sim/state.ts';
import {
  SORT_KEYS,
  leaderboard,
  median,
  playerResults,
  strategyComparison,
  waitPercentile,
  type PlayerResults,
  type SortKey,
} from '../../shared/sim/results.ts';
import { WAIT_BUCKET_SECONDS } from '../../shared/sim/constants.ts';
import { cyrb53 } from '../../shared/sim/hash.ts';

/**
 * The leaderboard as first written (sort of wrapped rows, spread copies), with equal keys sharing a
 * rank (standard competition ranking): what the faster one must equal.
 */
function plainLeaderboard(state: GameState, sortBy: SortKey): (PlayerResults & { rank: number })[] {
  const rows = state.players.filter((p) => !p.removed).map((p) => playerResults(state, p));
  const lower = sortBy === 'p95Wait' || sortBy === 'costPerCup';
  const value = (r: PlayerResults): number => {
    const v = r[sortBy];
    return v === null ? (lower ? Infinity : -Infinity) : v;
  };
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const d = lower ? value(a.r) - value(b.r) : value(b.r) - value(a.r);
      return d !== 0 && !Number.isNaN(d) ? d : a.i - b.i;
    })
    .map(({ r }) => r)
    .map((r, i, all) => ({ ...r, rank: 1 + all.findIndex((x) => value(x) === value(r)) }));
}

/** 40 businesses (bots of every kind and students who buy), two of them kicked. */
function playedGame(ticks: number): RecordedGame {
  const g = new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 3, settings: {} });
  for (let i = 0; i < 40; i++) {
    const bot = i % 2 === 0 ? BOT_KINDS[(i / 2) % BOT_KINDS.length]! : null;
    g.submit({ type: 'join', playerId: `p${i}`, name: `Player ${i}`, bot });
  }
  g.submit({ type: 'start' });
  g.submit({ type: 'kick', playerId: 'p3' });
  g.submit({ type: 'kick', playerId: 'p8' });
  for (let t = 0; t < ticks; t++) {
    if (t % 50 === 7) g.submit({ type: 'buy', playerId: `p${(t % 19) * 2 + 1}`, item: 'stand' });
    g.advance();
  }
  return g;
}

describe('leaderboard', () => {
  it('ranks as the plain sort does, by every key, at the start (all tied) and in play', () => {
    for (const ticks of [0, 600]) {
      const g = playedGame(ticks);
      for (const key of SORT_KEYS) {
        const board = leaderboard(g.state, key);
        expect(board).toEqual(plainLeaderboard(g.state, key));
        expect(board).toHaveLength(38);
      }
    }
    // In play the profits differ, so the order is not just the join order.
    const board = leaderboard(playedGame(600).state);
    expect(board.map((r) => r.id)).not.toEqual(board.map((r) => r.id).sort());
  });

  // The rows are what the teacher's screen receives: their bytes (key order, every figure, the order of
  // the rows) are pinned to what the leaderboard sent before its rewrite (main at 21c97eb printed the
  // same hashes for this game), with each rank put back to the row's position as it was then: sharing
  // ranks among equals changed the rank field and nothing else.
  it('sends the same bytes as before its rewrite, for every sort key, but for shared ranks', () => {
    const state = playedGame(600).state;
    const positional = (k: SortKey): unknown => leaderboard(state, k).map((r, i) => ({ ...r, rank: i + 1 }));
    expect(SORT_KEYS.map((k) => cyrb53(JSON.stringify(positional(k))))).toEqual([
      '086e5625a7191c',
      '1b0d3ad65d0d90',
      '1b0d3ad65d0d90',
      '1b0d3ad65d0d90',
      '086e5625a7191c',
    ]);
  });

  it('gives equal results one rank (1, 2, 2, 4), keeps join order among them, and ties everyone at the start', () => {
    const start = playedGame(0).state;
    for (const key of SORT_KEYS) {
      const board = leaderboard(start, key);
      expect(new Set(board.map((r) => r.rank))).toEqual(new Set([1]));
      expect(board.map((r) => r.id)).toEqual(start.players.filter((p) => !p.removed).map((p) => p.id));
    }
    // Four businesses, two of them with the same profit: 1st, 2nd, 2nd (join order), 4th.
    const g = playedGame(0);
    const four = { ...g.state, players: g.state.players.filter((p) => !p.removed).slice(0, 4) };
    const cash = [1200, 1100, 1300, 1100];
    four.players.forEach((p, i) => (p.cash = cash[i]!));
    const board = leaderboard(four);
    expect(board.map((r) => [r.id, r.rank])).toEqual([
      ['p2', 1],
      ['p0', 2],
      ['p1', 3],
      ['p4', 3],
    ]);
    // Ranked by the sort key alone: two equal profits tie even when another figure differs.
    four.players[3]!.m.served = 7;
    expect(leaderboard(four).map((r) => r.rank)).toEqual([1, 2, 3, 3]);
    // Two missing costs per cup (no cup served) are equal, and last.
    const byCost = leaderboard(four, 'costPerCup');
    expect(byCost.every((r) => r.costPerCup === null || r.rank === 1)).toBe(true);
  });

  it('gives the p95 wait as the upper edge of the bucket the 95th percent falls in', () => {
    const g = playedGame(0);
    const p = g.state.players[0]!;
    p.m.waitHist = { 3: 18, 40: 1, 7: 1 };
    expect(waitPercentile(p, 0.95)).toBeCloseTo(8 * WAIT_BUCKET_SECONDS);
    expect(waitPercentile(p, 0.5)).toBeCloseTo(4 * WAIT_BUCKET_SECONDS);
    expect(playerResults(g.state, p).p95Wait).toBeCloseTo(8 * WAIT_BUCKET_SECONDS);
    p.m.waitHist = {};
    expect(playerResults(g.state, p).p95Wait).toBe(0);
    expect(playerResults(g.state, p).meanWait).toBe(0);
  });

  it('sums up strategies by their medians, without reordering the caller’s list', () => {
    const g = playedGame(600);
    const rows = leaderboard(g.state);
    const ids = rows.map((r) => r.id);
    const summary = strategyComparison(rows);
    expect(rows.map((r) => r.id)).toEqual(ids);
    for (const s of summary) {
      const group = rows.filter((r) => r.strategy === s.strategy);
      expect(s.players).toBe(group.length);
      expect(s.medianAvailability).toBe(median(group.map((r) => r.availability)));
    }
    expect(summary.reduce((n, s) => n + s.players, 0)).toBe(rows.length);
    const xs = [3, 1, 2];
    expect(median(xs)).toBe(2);
    expect(xs).toEqual([3, 1, 2]);
  });
});
