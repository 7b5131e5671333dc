import type { GameState } from '../sim/state.ts';
import { SECONDS_PER_TICK } from '../sim/constants.ts';
import { describeEvent } from '../sim/teacher-events.ts';

/**
 * Game seconds left of what is going on now, for the screens' countdowns: the strongest surge (the one
 * demand follows), a sale, a rent rise; null when none is on.
 */
export interface EffectsLeft {
  surge: number | null;
  sale: number | null;
  rentRise: number | null;
}

/** Game seconds from tick `t` to `untilTick` (a module function: see server/sockets/edge.ts on names). */
const secondsLeft = (untilTick: number, t: number): number => (untilTick - t) * SECONDS_PER_TICK;

export function effectsLeft(state: GameState): EffectsLeft {
  const t = state.tick;
  let surge: { value: number; untilTick: number } | null = null;
  for (const s of state.surges)
    if (
      s.untilTick > t &&
      (!surge || s.value > surge.value || (s.value === surge.value && s.untilTick > surge.untilTick))
    )
      surge = s;
  return {
    surge: surge ? secondsLeft(surge.untilTick, t) : null,
    sale: state.sale && state.sale.untilTick > t ? secondsLeft(state.sale.untilTick, t) : null,
    rentRise:
      state.rentRise && state.rentRise.untilTick > t ? secondsLeft(state.rentRise.untilTick, t) : null,
  };
}

/** The teacher's next planned (scheduled) event still to come, or null. */
export function nextScheduled(state: GameState): { atSeconds: number; text: string } | null {
  const seconds = state.tick * SECONDS_PER_TICK;
  const next = state.scenario.schedule.slice(state.scheduleIndex).find((e) => e.atSeconds > seconds);
  return next ? { atSeconds: next.atSeconds, text: describeEvent(next.event) } : null;
}
