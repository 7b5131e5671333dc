import type { GameLog, LogEntry } from '../sim/game-log.ts';
import type { PlayerCommand } from '../sim/commands.ts';
import { LogFold } from '../sim/log-fold.ts';
import { stateHash } from '../sim/hash.ts';

/** A player's decision in a what-if: what to do, and when. */
export interface ForkDecision {
  tick: number;
  cmd: PlayerCommand;
}

export interface ForkResult {
  log: GameLog;
  /** Decisions (new or original) that the forked game refused, with why: e.g. not enough cash any more. */
  refused: { tick: number; cmd: PlayerCommand; message: string }[];
}

/**
 * What-if: the same game up to `atTick`, then one player's own decisions from there on are replaced by
 * `decisions` (the teacher's events and everybody else's commands stay as they were). Because every
 * player faces the same customers and players do not interact, everything before the fork and every
 * other player's game stay identical; only that player's story changes.
 */
export function forkLog(
  log: GameLog,
  atTick: number,
  playerId: string,
  decisions: ForkDecision[],
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

  const endTick = log.end?.tick ?? Math.max(0, ...log.commands.map((c) => c.tick));
  const kept: LogEntry[] = [];
  const refused: ForkResult['refused'] = [];
  const state = new LogFold(log.header, ordered, {
    applied: (e) => kept.push(e),
    refused: (e, _i, message) => refused.push({ tick: e.tick, cmd: e.cmd as PlayerCommand, message }),
  }).runTo(endTick);
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
    commands: kept,
    end: { tick: state.tick, hash: stateHash(state) },
  };
  return { log: forked, refused };
}
