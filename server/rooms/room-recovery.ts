import type { RoomSettings } from '../../shared/protocol/payloads.ts';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { CheckpointError, decodeCheckpoint, type Checkpoint } from '../../shared/sim/checkpoint.ts';
import type { GameLog } from '../../shared/sim/game-log.ts';
import type { GameStore, StoredCheckpoint, StoredGame } from '../storage/store.ts';
import { RoomRuntime, type RoomDeps } from './room-runtime.ts';

/**
 * Rebuilds a room from the store after a restart (and, in cluster mode, on takeover): restores the
 * game's latest checkpoint and folds the log after it with the one fold every replay uses (the whole
 * log when there is no usable checkpoint), carries on to the last tick written down (never past a
 * recorded end), and resumes with the room's saved settings and roster. A log that does not fold
 * throws LogReplayError.
 */
export function recoverRoom(
  deps: RoomDeps,
  stored: StoredGame,
  /** The game's latest checkpoint; read from the store when not given (the embedded stores read at once). */
  checkpoint?: StoredCheckpoint,
): RoomRuntime {
  const log = stored.log;
  // The snapshot's tick lags the log by up to a snapshot interval: the game goes as far as the furthest
  // of the snapshot, the last command and a recorded end.
  const lastCommand = log.commands.length ? log.commands[log.commands.length - 1]!.tick : 0;
  const untilTick = Math.max(stored.room.tick, lastCommand, log.end?.tick ?? 0);
  const stores = deps.store as Partial<GameStore>;
  const from = usableCheckpoint(deps, stored, checkpoint ?? stores.latestCheckpoint?.(stored.summary.gameId));
  const room = new RoomRuntime(deps, {
    gameId: stored.summary.gameId,
    roomCode: stored.roomCode,
    settings: log.header.settings as RoomSettings,
    teacherTokenHash: stored.teacherTokenHash,
    game: (observe) => RecordedGame.fromLog(log, { untilTick, observe, ...(from ? { from } : {}) }),
    restored: {
      snapshot: stored.room,
      players: stored.players,
      written: { commands: log.commands.length, ended: log.end !== undefined },
    },
  });
  room.resume();
  return room;
}

/**
 * The checkpoint, unless it cannot be used: another checkpoint version (after an upgrade), damaged, or
 * not this log's (it counts more entries than the log holds). The whole log then folds from tick 0,
 * which always works, only slower.
 */
function usableCheckpoint(
  deps: RoomDeps,
  stored: StoredGame,
  c: StoredCheckpoint | undefined,
): Checkpoint | null {
  if (!c) return null;
  const log: GameLog = stored.log;
  try {
    const cp = decodeCheckpoint(c.bytes, log.header.scenario);
    if (cp.next > log.commands.length || cp.state.tick !== c.tick)
      throw new CheckpointError(`it counts ${cp.next} log entries, the log holds ${log.commands.length}`);
    return cp;
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    deps.logger.warn(
      { game: stored.summary.gameId, tick: c.tick, reason: e.message },
      'checkpoint not used: the room is rebuilt from its whole log',
    );
    return null;
  }
}
