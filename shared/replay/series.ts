import type { GameLog } from '../sim/game-log.ts';
import type { GameState, Player } from '../sim/state.ts';
import { ReplaySession } from './replay-session.ts';
import { currentDemand } from '../sim/demand.ts';
import { effectiveCapacity } from '../sim/topology.ts';
import { TICKS_PER_SECOND } from '../sim/constants.ts';

/** What the charts and the debrief need, sampled once a game second from a replay. */
export interface PlayerSeries {
  id: string;
  name: string;
  cash: number[];
  served: number[];
  lost: number[];
  capacity: number[];
  /** People waiting over all stands. */
  line: number[];
  stands: number[];
  maxTier: number[];
  lbs: number[];
  notebook: number[];
}

export function emptySeries(): GameSeries {
  return { t: [], demand: [], players: [] };
}

export interface GameSeries {
  /** Game seconds of each sample. */
  t: number[];
  demand: number[];
  players: PlayerSeries[];
}

function lostTotal(p: Player): number {
  const l = p.m.lost;
  return l.balked + l.impatient + l.outage + l.failover;
}

/** Appends one sample of every player (a live room calls this once a game second, like collectSeries). */
export function sampleSeries(state: GameState, series: GameSeries): void {
  series.t.push(state.tick / TICKS_PER_SECOND);
  series.demand.push(currentDemand(state));
  for (const p of state.players) {
    let ps = series.players.find((x) => x.id === p.id);
    if (!ps) {
      const pad = (): number[] => series.t.slice(1).map(() => 0);
      ps = {
        id: p.id,
        name: p.name,
        cash: pad(),
        served: pad(),
        lost: pad(),
        capacity: pad(),
        line: pad(),
        stands: pad(),
        maxTier: pad(),
        lbs: pad(),
        notebook: pad(),
      };
      series.players.push(ps);
    }
    ps.cash.push(Math.round(p.cash * 100) / 100);
    ps.served.push(p.m.served);
    ps.lost.push(lostTotal(p));
    ps.capacity.push(effectiveCapacity(state.scenario, p, state.tick));
    let line = 0;
    let tier = 0;
    for (const s of p.stands) {
      line += s.queue.length;
      if (s.tier > tier) tier = s.tier;
    }
    ps.line.push(line);
    ps.stands.push(p.stands.length);
    ps.maxTier.push(tier);
    ps.lbs.push(p.lbs.length);
    ps.notebook.push(p.notebook ? (p.replica ? 2 : 1) : 0);
  }
}

/** Replays a log and samples every `everyTicks` ticks (default: each game second). */
export function collectSeries(
  log: GameLog,
  everyTicks = TICKS_PER_SECOND,
): { series: GameSeries; final: GameState } {
  const session = new ReplaySession(log);
  const series: GameSeries = { t: [], demand: [], players: [] };
  for (let tick = 0; ; tick += everyTicks) {
    const state = session.seek(Math.min(tick, session.endTick));
    sampleSeries(state, series);
    if (state.tick >= session.endTick || state.status === 'ended') break;
  }
  return { series, final: session.current };
}
