import type { Logger } from '../logging.ts';
import type { GameStore } from './store.ts';
import { DamagedGameError } from './store-errors.ts';

/**
 * Before rooms are recovered at start: every game that would come back is read once, and one whose rows
 * cannot be read (DamagedGameError) is closed with a message naming it, so that a single damaged row never
 * stops the start. Its log stays in the store; the other games start as usual. Returns the games closed.
 */
export function closeDamagedGames(store: GameStore, logger: Logger): string[] {
  const closed: string[] = [];
  for (const gameId of store.liveGameIds()) {
    try {
      store.getGame(gameId);
    } catch (e) {
      if (!(e instanceof DamagedGameError)) throw e;
      logger.error({ game: gameId, detail: e.detail }, e.message);
      store.closeRoom(gameId);
      closed.push(gameId);
    }
  }
  return closed;
}
