import type { Scenario } from '../scenarios/schema.ts';
import type { GameState } from './state.ts';
import { SECONDS_PER_TICK } from './constants.ts';

/** The scenario's own demand (customers per second) at a moment, before teacher surges. */
export function baseDemandAt(scenario: Scenario, seconds: number): number {
  const d = scenario.demand;
  if (d.kind === 'constant') return d.perSecond;
  const ps = d.points;
  if (seconds <= ps[0]!.atSeconds) return ps[0]!.perSecond;
  for (let i = 1; i < ps.length; i++) {
    const b = ps[i]!;
    if (seconds < b.atSeconds) {
      const a = ps[i - 1]!;
      return (
        a.perSecond + ((b.perSecond - a.perSecond) * (seconds - a.atSeconds)) / (b.atSeconds - a.atSeconds)
      );
    }
  }
  return ps[ps.length - 1]!.perSecond;
}

/** Strongest active surge; surges do not stack multiplicatively (x100 is the cap a teacher can pick). */
export function surgeMultiplier(state: GameState): number {
  let m = 1;
  for (const s of state.surges) if (s.untilTick > state.tick && s.value > m) m = s.value;
  return m;
}

/** Demand that every player faces during the current tick (constant within a tick). */
export function currentDemand(state: GameState): number {
  return baseDemandAt(state.scenario, state.tick * SECONDS_PER_TICK) * surgeMultiplier(state);
}
