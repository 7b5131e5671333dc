import type { RoomSettings } from '../../shared/protocol/payloads.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import type { StoredGame } from '../storage/store.ts';
import { RoomRuntime, type RoomDeps } from './room-runtime.ts';

/**
 * Rebuilds a room from the store after a restart (and, in cluster mode, on takeover): folds its log with
 * the one fold every replay uses, carries on to the last tick written down (never past a recorded end),
 * and resumes with the room's saved settings and roster. A log that does not fold throws LogReplayError.
 */
export function recoverRoom(deps: RoomDeps, stored: StoredGame): RoomRuntime {
  const log = stored.log;
  // The snapshot's tick lags the log by up to a snapshot interval: the game goes as far as the furthest
  // of the snapshot, the last command and a recorded end.
  const lastCommand = log.commands.length ? log.commands[log.commands.length - 1]!.tick : 0;
  const untilTick = Math.max(stored.room.tick, lastCommand, log.end?.tick ?? 0);
  const room = new RoomRuntime(deps, {
    gameId: stored.summary.gameId,
    roomCode: stored.roomCode,
    settings: log.header.settings as RoomSettings,
    teacherTokenHash: stored.teacherTokenHash,
    game: (observe) => RecordedGame.fromLog(log, { untilTick, observe }),
    restored: {
      snapshot: stored.room,
      players: stored.players,
      written: { commands: log.commands.length, ended: log.end !== undefined },
    },
  });
  room.resume();
  return room;
}
