import type { LogHeader } from './game-log.ts';
import { TICKS_PER_SECOND } from './constants.ts';
import { withoutDirectionControls } from './direction-controls.ts';

/**
 * What a game's header says about it beyond the simulation, read the same way by the store's game lists,
 * the replay screen and the results: the class it was played by, and whether it ran its full time.
 */

/**
 * The class name the teacher typed on the host form ('' for games from before it was asked). Names
 * stored before direction controls were refused lose them here, where every screen and list reads it.
 */
export function classNameOf(header: LogHeader): string {
  const name = header.settings['className'];
  return typeof name === 'string' ? withoutDirectionControls(name) : '';
}

/**
 * A game the teacher ended before the scenario's time was up: a short game's numbers say little about
 * its strategies, so it is listed as such and left out of comparisons across classes.
 */
export function endedEarly(header: LogHeader, endTick: number | null): boolean {
  return endTick !== null && endTick < header.scenario.durationSeconds * TICKS_PER_SECOND;
}
