import type { GameState, Player } from '../sim/state.ts';

/** Events kept in a snapshot's histories: what a screen's banners show (views/banners.ts). */
const HISTORY_KEPT = 5;

/**
 * One business cut out of the room's game: a one-player game state with the room-wide state as it is,
 * which the shared fold can advance alone. Compact: the other businesses are left out and the event
 * histories trimmed to the banners' length. Shares objects with `state`: encode it before the game moves.
 */
export function businessState(state: GameState, p: Player): GameState {
  return {
    ...state,
    eventHistory: state.eventHistory.slice(-HISTORY_KEPT),
    chaosHistory: state.chaosHistory.slice(-HISTORY_KEPT),
    players: [p],
  };
}
