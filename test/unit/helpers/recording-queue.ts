import { CommandQueue } from '../../../server/rooms/command-queue.ts';
import type { RoomClock } from '../../../server/rooms/room-clock.ts';
import type { RoomJournal } from '../../../server/rooms/room-journal.ts';
import type { StoreWriteError } from '../../../server/storage/store-errors.ts';
import { builtInScenario } from '../../../shared/scenarios/index.ts';
import { RecordedGame } from '../../../shared/sim/recorded-game.ts';

/** A fresh Lemonade Week (seed 1, default settings): the game a command-path test feeds. */
export function lemonadeWeekGame(): RecordedGame {
  return new RecordedGame({ scenario: builtInScenario('lemonade-week')!, seed: 1, settings: {} });
}

/**
 * A room's command queue whose hooks only record what the queue tells the room: `held` gets the
 * store's passing refusals (cantSave), `failed` the failures that would stop the room (writeFailed).
 * `throwOnFailure` rethrows those instead, for tests where such a failure must never happen.
 */
export function recordingQueue(
  game: RecordedGame,
  journal: RoomJournal,
  clock: RoomClock,
  opts: { throwOnFailure?: boolean } = {},
): { queue: CommandQueue; held: StoreWriteError[]; failed: unknown[] } {
  const held: StoreWriteError[] = [];
  const failed: unknown[] = [];
  const queue = new CommandQueue(
    game,
    journal,
    clock,
    {
      changed: () => {},
      cantSave: (e) => held.push(e),
      writeFailed: (e) => {
        if (opts.throwOnFailure) throw e;
        failed.push(e);
      },
      ended: () => {},
    },
    () => {},
  );
  return { queue, held, failed };
}
