import type { GameLog, LogEntry } from '../sim/game-log.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import type { GameState } from '../sim/state.ts';
import { LogFold, replayLog, replayTarget } from '../sim/log-fold.ts';
import { cloneState } from '../sim/clone-state.ts';
import { stateHash } from '../sim/hash.ts';
import { businessLog } from '../stream/business-log.ts';
import { businessState } from '../stream/business-snapshot.ts';

/** A player's decision in a what-if: what to do, and when. */
export interface ForkDecision {
  tick: number;
  cmd: PlayerCommand;
}

export interface ForkOptions {
  /**
   * The original game at some tick before the fork (the whole class or that business alone), e.g. a
   * replay's checkpoint (ReplaySession.stateBefore): the forked business is re-simulated from there
   * instead of from tick 0. Only read.
   */
  from?: GameState | null;
  /**
   * The original game at its end (the tick the log stops at): the class the forked business is put back
   * into for the forked log's end hash. Replayed from the log when absent.
   */
  originalEnd?: GameState;
}

export interface ForkResult {
  log: GameLog;
  /** Decisions (new or original) that the forked game refused, with why: e.g. not enough cash any more. */
  refused: { tick: number; cmd: PlayerCommand; message: string }[];
  /** The forked business at the end: a one-player game (the rest of the class is the original's). */
  business: GameState;
}

/**
 * What-if: the same game up to `atTick`, then one player's own decisions from there on are replaced by
 * `decisions` (the teacher's events and everybody else's commands stay as they were). Because every
 * player faces the same customers and players do not interact, everything before the fork and every
 * other player's game stay identical; only that player's story changes. So only that business is
 * re-simulated (from `opts.from` when given), and the forked game's end is the original class with that
 * business swapped in: the forked log, folded whole, reproduces it (test/unit/replay.test.ts).
 */
export function forkLog(
  log: GameLog,
  atTick: number,
  playerId: string,
  decisions: ForkDecision[],
  opts: ForkOptions = {},
): ForkResult {
  const ownAfter = (e: LogEntry): boolean =>
    e.tick >= atTick &&
    'playerId' in e.cmd &&
    e.cmd.playerId === playerId &&
    e.cmd.type !== 'join' &&
    e.cmd.type !== 'kick';
  const planned: LogEntry[] = [
    ...log.commands.filter((e) => !ownAfter(e)),
    ...decisions.filter((d) => d.tick >= atTick).map((d) => ({ tick: d.tick, cmd: { ...d.cmd, playerId } })),
  ];
  // Stable by tick: within a tick the original order, the player's new decisions last.
  const ordered = planned
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.tick - b.e.tick || a.i - b.i)
    .map((x) => x.e);

  const from = opts.from ?? null;
  if (from && from.tick >= atTick)
    throw new RangeError(`a fork at tick ${atTick} cannot start from tick ${from.tick} (it must be earlier)`);
  const refusedEntries = new Set<LogEntry>();
  const refused: ForkResult['refused'] = [];
  const own = businessLog(ordered, playerId).filter((e) => !from || e.tick > from.tick);
  const fold = new LogFold(log.header, own, {
    refused: (e, _i, message) => {
      refusedEntries.add(e);
      refused.push({ tick: e.tick, cmd: e.cmd as PlayerCommand, message });
    },
  });
  if (from) fold.restore(cloneState(businessCut(from, playerId)), 0);
  const business = fold.runTo(replayTarget(log));

  const originalEnd = opts.originalEnd ?? replayLog(log);
  const forkedPlayer = business.players[0];
  const end: GameState = {
    ...originalEnd,
    players: originalEnd.players.map((p) => (p.id === playerId && forkedPlayer ? forkedPlayer : p)),
  };
  const forked: GameLog = {
    format: log.format,
    version: log.version,
    header: {
      ...log.header,
      settings: {
        ...log.header.settings,
        forkOf: log.end?.hash ?? null,
        forkTick: atTick,
        forkPlayer: playerId,
      },
    },
    commands: ordered.filter((e) => !refusedEntries.has(e)),
    end: { tick: business.tick, hash: stateHash(end) },
  };
  return { log: forked, refused, business };
}

/** The business alone out of a class's game (no player yet when they join later). */
function businessCut(state: GameState, playerId: string): GameState {
  const p = state.players.find((x) => x.id === playerId);
  return p ? businessState(state, p) : { ...state, players: [] };
}
