import { describe, expect, it } from 'vitest';
import type { GameSeries, PlayerSeries } from '../../shared/replay/series.ts';
import type { GameLog } from '../../shared/sim/game-log.ts';
import type { GameState } from '../../shared/sim/state.ts';
import { HISTORY_MAX_SAMPLES, classHistory } from '../../shared/views/class-history.ts';

/** A synthetic series: `players` businesses sampled each second for `seconds` seconds (plus an end sample). */
function bigSeries(players: number, seconds: number): { series: GameSeries; state: GameState; log: GameLog } {
  const t = [...Array.from({ length: seconds }, (_, i) => i), seconds - 0.5];
  const line = (f: (i: number) => number) => t.map((_, i) => f(i));
  const ps: PlayerSeries[] = Array.from({ length: players }, (_, k) => ({
    id: `p${k}`,
    name: `P ${k}`,
    cash: line((i) => 100 + i),
    served: line((i) => i * 2),
    lost: line((i) => i),
    capacity: line(() => 1),
    line: line(() => 0),
    stands: line(() => 1),
    maxTier: line(() => 1),
    lbs: line(() => 0),
    notebook: line(() => 0),
  }));
  const state = {
    scenario: { startingCash: 100 },
    players: ps.map((p) => ({ id: p.id, joinedTick: 0 })),
  } as unknown as GameState;
  const log = { commands: [] } as unknown as GameLog;
  return { series: { t, demand: line(() => 2), players: ps }, state, log };
}

describe('class history', () => {
  it('keeps every second for a class', () => {
    const { series, state, log } = bigSeries(30, 360);
    const h = classHistory(series, log, state);
    expect(h.t).toEqual(series.t);
    expect(h.demand[5]).toBe(60);
    expect(h.capacity[5]).toBe(30);
    expect(h.players[3]!.samples[10]).toEqual([10, 10, 20, 10]);
    // The end sample keeps its second (floored) and its exact time stays in t.
    expect(h.players[0]!.samples.at(-1)![0]).toBe(359);
  });

  it('thins a big room to at most HISTORY_MAX_SAMPLES per-player samples, keeping the first and last', () => {
    const { series, state, log } = bigSeries(300, 360);
    const h = classHistory(series, log, state);
    const samples = h.players.reduce((n, p) => n + p.samples.length, 0);
    expect(samples).toBeLessThanOrEqual(HISTORY_MAX_SAMPLES + 300);
    expect(h.t[0]).toBe(0);
    expect(h.t.at(-1)).toBe(359.5);
    expect(h.t.length).toBeGreaterThan(100);
    expect(JSON.stringify(h).length).toBeLessThan(1_000_000);
  });
});
