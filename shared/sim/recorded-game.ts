import type { GameState } from './state.ts';
import type { Command, CommandResult } from './commands.ts';
import { applyCommand, tryCommand } from './apply-command.ts';
import { createGame } from './create.ts';
import { newLog, type GameLog, type LogHeader } from './game-log.ts';
import { stateHash } from './hash.ts';
import { step } from './step.ts';

export class LogReplayError extends Error {}

/**
 * A game and its log kept in step: every accepted command is appended with the tick it took effect,
 * so that fold(log) always equals the state. Used by the CLI, the server's room runtime and the tests.
 */
export class RecordedGame {
  readonly state: GameState;
  readonly log: GameLog;

  constructor(header: LogHeader) {
    this.log = newLog(header);
    this.state = createGame(header.scenario, header.seed);
  }

  /** Applies a command now (at the current tick boundary); accepted ones go into the log. */
  submit(input: Command | unknown, validated = false): CommandResult {
    const r = validated ? applyCommand(this.state, input as Command) : tryCommand(this.state, input);
    if (r.ok) {
      this.log.commands.push({ tick: this.state.tick, cmd: structuredClone(input as Command) });
      this.markEndIfOver();
    }
    return r;
  }

  /** Advances one tick; records the end of the log when the game finishes. */
  advance(): void {
    step(this.state);
    this.markEndIfOver();
  }

  private markEndIfOver(): void {
    if (this.state.status === 'ended' && !this.log.end) {
      this.log.end = { tick: this.state.tick, hash: stateHash(this.state) };
    }
  }
}

export interface ReplayOptions {
  /**
   * Stop at this tick, after the commands that took effect at it. A log without an end (a game still
   * running) is advanced to this tick even past its last command; a finished one never past its end.
   */
  untilTick?: number;
}

/**
 * state = fold(log): rebuilds the game from its header and commands. A command that does not apply at
 * its tick means the log is damaged, and is reported as such rather than skipped.
 */
export function replayLog(log: GameLog, opts: ReplayOptions = {}): GameState {
  const state = createGame(log.header.scenario, log.header.seed);
  const until = opts.untilTick ?? Infinity;
  for (let i = 0; i < log.commands.length; i++) {
    const { tick, cmd } = log.commands[i]!;
    if (tick > until) return advanceTo(state, until);
    advanceTo(state, tick);
    if (state.tick !== tick) {
      throw new LogReplayError(
        `commands.${i}: it is for tick ${tick}, but the game cannot reach that tick (it is at ${state.tick}, ${state.status})`,
      );
    }
    const r = applyCommand(state, cmd);
    if (!r.ok)
      throw new LogReplayError(`commands.${i} (${cmd.type} at tick ${tick}) does not apply: ${r.message}`);
  }
  // A finished game stops at its recorded end; a running game's log goes as far as asked (or, when not
  // asked, to its last command).
  const endTick = log.end ? log.end.tick : opts.untilTick !== undefined ? until : state.tick;
  return advanceTo(state, Math.min(until, endTick));
}

function advanceTo(state: GameState, tick: number): GameState {
  while (state.status === 'running' && state.tick < tick) step(state);
  return state;
}
