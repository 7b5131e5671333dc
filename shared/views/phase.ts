import type { GameState } from '../sim/state.ts';
import { SECONDS_PER_TICK } from '../sim/constants.ts';

/** The label of the scenario phase (day of the week) the game is in. */
export function currentPhase(state: GameState): string | null {
  const t = state.tick * SECONDS_PER_TICK;
  let label: string | null = null;
  for (const p of state.scenario.phases) if (p.atSeconds <= t) label = p.label;
  return label;
}
