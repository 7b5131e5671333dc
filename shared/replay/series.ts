import type { GameLog } from '../sim/game-log.ts';
import type { GameState, Player } from '../sim/state.ts';
import { LogFold, replayTarget } from '../sim/log-fold.ts';
import { businessLog } from '../stream/business-log.ts';
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

/** Appends one sample of every player (see sampleDue for when). */
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

/**
 * The debrief's sampling rule, stated once: a sample at each game second and one at the end, never two
 * of the same tick. Fed by a live room's game (RecordedGame's observer) and by a replay's fold
 * (FoldHooks.atTick), which see the same moments, so the live and the replay debrief are equal.
 */
export function sampleDue(state: GameState, series: GameSeries): void {
  if (state.tick % TICKS_PER_SECOND !== 0 && state.status !== 'ended') return;
  const last = series.t[series.t.length - 1];
  if (last !== undefined && Math.round(last * TICKS_PER_SECOND) === state.tick) return;
  sampleSeries(state, series);
}

/**
 * Replays a log, sampling it as a live room does (plus its last state, if the game has not ended). With
 * `playerId`, that business alone (a what-if's): one business's work, and a one-player series and final.
 */
export function collectSeries(
  log: GameLog,
  opts: { playerId?: string } = {},
): { series: GameSeries; final: GameState } {
  const series = emptySeries();
  const entries = opts.playerId === undefined ? log.commands : businessLog(log.commands, opts.playerId);
  const final = new LogFold(log.header, entries, {
    atTick: (s) => sampleDue(s, series),
    // sampleDue looks only at whole game seconds (and the end, where the fold stops anyway).
    nextObserved: (t) => Math.ceil(t / TICKS_PER_SECOND) * TICKS_PER_SECOND,
  }).runTo(replayTarget(log));
  const last = series.t[series.t.length - 1];
  if (last === undefined || Math.round(last * TICKS_PER_SECOND) !== final.tick) sampleSeries(final, series);
  return { series, final };
}
