import type { GameLog } from '../sim/game-log.ts';
import type { GameState } from '../sim/state.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';
import { round2 } from '../sim/results.ts';
import type { GameSeries } from '../replay/series.ts';

/**
 * Most per-player samples a history carries (players x seconds): past it, every n-th second is kept, so a
 * big class's history stays a few hundred KB (a connection holding more than MAX_UNSENT_BYTES is cut).
 */
export const HISTORY_MAX_SAMPLES = 60_000;

/**
 * What the teacher console draws from the start of the game after a reload: the class's demand and
 * capacity each second, and each business's counters while it was in the game (the served/lost chart and
 * the results page's per-player charts are made from those, as from live views).
 */
export interface ClassHistory {
  /** Game seconds of each sample. */
  t: number[];
  /** Summed over the businesses in the game at that second, as the class view's totals. */
  demand: number[];
  capacity: number[];
  /** Per business: [seconds, profit, served, lost] at each sample while it was in the game. */
  players: { id: string; name: string; samples: [number, number, number, number][] }[];
}

/** The class history from a room's per-second samples (its debrief series), its log and its state. */
export function classHistory(series: GameSeries, log: GameLog, state: GameState): ClassHistory {
  const kickedAt = new Map<string, number>();
  for (const e of log.commands) if (e.cmd.type === 'kick') kickedAt.set(e.cmd.playerId, e.tick);
  const joinedAt = new Map(state.players.map((p) => [p.id, p.joinedTick]));
  const inGame = (id: string, tick: number): boolean =>
    tick >= (joinedAt.get(id) ?? Infinity) && tick < (kickedAt.get(id) ?? Infinity);

  const stride = Math.max(1, Math.ceil((series.players.length * series.t.length) / HISTORY_MAX_SAMPLES));
  const picked: number[] = [];
  for (let i = 0; i < series.t.length; i += stride) picked.push(i);
  const lastIndex = series.t.length - 1;
  if (lastIndex >= 0 && picked[picked.length - 1] !== lastIndex) picked.push(lastIndex);

  const out: ClassHistory = {
    t: [],
    demand: [],
    capacity: [],
    players: series.players.map((p) => ({ id: p.id, name: p.name, samples: [] })),
  };
  const start = state.scenario.startingCash;
  for (const i of picked) {
    const t = series.t[i]!;
    const tick = Math.round(t * TICKS_PER_SECOND);
    let present = 0;
    let capacity = 0;
    series.players.forEach((p, k) => {
      if (!inGame(p.id, tick)) return;
      present++;
      capacity += p.capacity[i]!;
      out.players[k]!.samples.push([Math.floor(t), round2(p.cash[i]! - start), p.served[i]!, p.lost[i]!]);
    });
    out.t.push(t);
    out.demand.push(series.demand[i]! * present);
    out.capacity.push(capacity);
  }
  out.players = out.players.filter((p) => p.samples.length > 0);
  return out;
}
