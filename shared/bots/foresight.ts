import type { GameState, TimedEffect } from '../sim/state.ts';
import type { RoomPlan } from './room-plan.ts';
import { baseDemandAt } from '../sim/demand.ts';
import { SECONDS_PER_TICK, TICKS_PER_SECOND } from '../sim/constants.ts';

/**
 * What a player can foresee about demand: the scenario's curve (its phases are on the timeline), the
 * surges announced in its schedule, and the surges already running (their end is shown). Live teacher
 * surges that have not happened yet are not foreseeable, and bots do not see them coming.
 */

/** Capacity a bot plans for, relative to the demand it foresees (a queue needs slack: rho <= 0.8). */
export const MARGIN = 1.25;

/** Foreseeable demand (customers per second) at a moment `seconds` since the start. */
export function foreseenDemandAt(state: GameState, seconds: number): number {
  let surge = 1;
  const tick = seconds * TICKS_PER_SECOND;
  for (const s of state.surges) if (s.untilTick > tick && s.value > surge) surge = s.value;
  const schedule = state.scenario.schedule;
  for (let i = state.scheduleIndex; i < schedule.length; i++) {
    const e = schedule[i]!;
    if (e.event.kind !== 'surge' || e.atSeconds > seconds) continue;
    if (seconds < e.atSeconds + e.event.durationSeconds && e.event.multiplier > surge)
      surge = e.event.multiplier;
  }
  return baseDemandAt(state.scenario, seconds) * surge;
}

/** The highest foreseeable demand between two moments (the curve's corners and surge starts included). */
export function peakDemand(state: GameState, from: number, to: number): number {
  // Every bot asks the same few questions (now to now + a lead time) at the same moment: asked once.
  const memo = from === nowSeconds(state) ? outlook(state).peaks : null;
  const known = memo?.get(to);
  if (known !== undefined) return known;
  let peak = Math.max(foreseenDemandAt(state, from), foreseenDemandAt(state, to));
  const d = state.scenario.demand;
  if (d.kind === 'curve') {
    for (const p of d.points)
      if (p.atSeconds > from && p.atSeconds < to) peak = Math.max(peak, foreseenDemandAt(state, p.atSeconds));
  }
  const schedule = state.scenario.schedule;
  for (let i = state.scheduleIndex; i < schedule.length; i++) {
    const at = schedule[i]!.atSeconds;
    if (at > from && at < to) peak = Math.max(peak, foreseenDemandAt(state, at));
  }
  memo?.set(to, peak);
  return peak;
}

export function nowSeconds(state: GameState): number {
  return state.tick * SECONDS_PER_TICK;
}

export function secondsLeft(state: GameState): number {
  return Math.max(0, state.scenario.durationSeconds - nowSeconds(state));
}

/** The foreseeable demand, sampled every SAMPLE_SECONDS to the end of the game (shared by every bot). */
const SAMPLE_SECONDS = 2;

/**
 * What the room shows a bot at one moment, worked out once for all the bots deciding then. It depends
 * on the tick, the running surges, the schedule's progress and the sale only; a moment is recognised by
 * all four (a teacher's surge or sale at the same tick is another moment). Kept per tick, not just the latest:
 * bots deciding inside their businesses' stretches (step.ts's BusinessTurns) visit the same few
 * moments once per business.
 */
export interface Outlook {
  surges: TimedEffect[];
  scheduleIndex: number;
  sale: TimedEffect | null;
  /** The room's part of the bots' plans (bot.ts's botView fills it in). */
  plan: RoomPlan | null;
  /** peakDemand from now to a moment (seconds) -> its value. */
  peaks: Map<number, number>;
  samples: number[] | null;
}
const outlooks = new WeakMap<GameState, Map<number, Outlook>>();
/** Moments remembered per game (a stretch holds at most 50 decision ticks: step.ts's MAX_STRETCH). */
const MAX_OUTLOOKS = 256;

export function outlook(state: GameState): Outlook {
  let byTick = outlooks.get(state);
  if (!byTick) {
    byTick = new Map();
    outlooks.set(state, byTick);
  }
  let o = byTick.get(state.tick);
  if (!o || o.surges !== state.surges || o.scheduleIndex !== state.scheduleIndex || o.sale !== state.sale) {
    if (byTick.size >= MAX_OUTLOOKS) byTick.clear();
    o = {
      surges: state.surges,
      scheduleIndex: state.scheduleIndex,
      sale: state.sale,
      plan: null,
      peaks: new Map(),
      samples: null,
    };
    byTick.set(state.tick, o);
  }
  return o;
}

function forecast(state: GameState, o: Outlook): number[] {
  if (o.samples === null) {
    const samples: number[] = [];
    const end = state.scenario.durationSeconds;
    for (let t = nowSeconds(state); t < end; t += SAMPLE_SECONDS) samples.push(foreseenDemandAt(state, t));
    o.samples = samples;
  }
  return o.samples;
}

/**
 * The budget rule: capacity is worth buying only if it pays for itself before the game ends. Added
 * capacity `rate` (cups/s) on top of `capacity` earns, at each moment, the cups of foreseeable demand
 * (with the margin) that the business could not serve without it; it costs what is not refunded on
 * selling plus the rent to the end. `o`: the moment's outlook, where the caller has it already.
 */
export function paysBack(
  state: GameState,
  capacity: number,
  rate: number,
  netCost: number,
  o: Outlook = outlook(state),
): boolean {
  const cup = state.scenario.prices.cup;
  let earned = 0;
  for (const d of forecast(state, o)) {
    const short = d * MARGIN - capacity;
    if (short > 0) earned += Math.min(rate, short) * cup * SAMPLE_SECONDS;
    if (earned >= netCost) return true;
  }
  return false;
}
