import type { GameState, Player } from '../sim/state.ts';
import { cyrb53 } from '../sim/hash.ts';

/**
 * The hash of one business as it stands: the player and the room-wide state the simulation reads
 * (clock, customer and chaos streams, running effects, the schedule). The class's other businesses and
 * the event histories (which a snapshot trims to what a screen shows) are not in it, so a browser's
 * one-business game and the server's full room hash alike when the business agrees.
 */
export function businessHash(state: GameState, p: Player): string {
  return cyrb53(
    JSON.stringify([
      state.tick,
      state.status,
      state.arrivalRng,
      state.arrivalBudget,
      state.nextCustomerId,
      state.chaosRng,
      state.surges,
      state.sale,
      state.rentRise,
      state.chaos,
      state.scheduleIndex,
      p,
    ]),
  );
}
