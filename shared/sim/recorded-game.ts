import type { GameState } from './state.ts';
import type { Command, CommandResult } from './commands.ts';
import { applyCommand, parseCommand } from './apply-command.ts';
import { createGame } from './create.ts';
import { newLog, type GameLog, type LogEntry, type LogHeader } from './game-log.ts';
import { stateHash } from './hash.ts';
import { step, stepMany } from './step.ts';
import type { CommandTurns } from './command-turns.ts';
import { LogFold, LogReplayError, replayTarget } from './log-fold.ts';
import type { Checkpoint } from './checkpoint.ts';

// The fold's names, where callers have always found them.
export { LogReplayError, replayLog, type ReplayOptions } from './log-fold.ts';

/**
 * Sees the game at the moments a replay can seek: each tick just before it steps (after all of that
 * tick's commands), and the tick the game ends at. The live room's debrief samples come from here, and
 * a replay's fold (FoldHooks.atTick) reaches the very same moments, so both debriefs agree.
 */
export type TickObserver = (state: GameState) => void;

/**
 * The log's own copy of a command, so that a caller changing its object afterwards cannot change the log.
 * A command is plain JSON data (parsed at the edge, or made by the server, a bot or a test): objects,
 * arrays and primitives, no cycles. This copies exactly that, with the same keys in the same order (the
 * log's bytes and hashes are unchanged); structuredClone, which it replaces, went through V8's
 * serializer and cost about 4 us per command against 0.2 (docs/performance.md, "Tenth round").
 */
export function copyCommand<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyCommand) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copy = copyCommand((value as Record<string, unknown>)[key]);
    // An own "__proto__" key (JSON.parse makes one) is data: assigned, it would set the copy's prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out as T;
}

/**
 * A game and its log kept in step: every accepted command is appended with the tick it took effect,
 * so that fold(log) always equals the state. Used by the CLI, the server's rooms, bot games and tests.
 */
export class RecordedGame {
  readonly state: GameState;
  readonly log: GameLog;
  private readonly observe: TickObserver | undefined;

  constructor(header: LogHeader, observe?: TickObserver, from?: { state: GameState; log: GameLog }) {
    this.log = from?.log ?? newLog(header);
    this.state = from?.state ?? createGame(header.scenario, header.seed);
    this.observe = observe;
  }

  /**
   * A game rebuilt from a log (a room after a restart), carrying on from where the log leaves it: at
   * `untilTick` if it is past the last command (see replayTarget), never past a recorded end. The
   * observer sees every tick folded, as it would have live. A recorded end must be reproduced.
   * `from`: a checkpoint of this log (shared/sim/checkpoint.ts) to start at instead of tick 0; only the
   * log after it is folded (and observed).
   */
  static fromLog(
    log: GameLog,
    opts: { untilTick?: number; observe?: TickObserver; from?: Checkpoint } = {},
  ): RecordedGame {
    const fold = new LogFold(log.header, log.commands, opts.observe ? { atTick: opts.observe } : {});
    if (opts.from) fold.restore(opts.from.state, opts.from.next);
    const state = fold.runTo(replayTarget(log, opts.untilTick));
    const copy: GameLog = { ...log, commands: [...log.commands] };
    delete copy.end;
    const game = new RecordedGame(log.header, opts.observe, { state, log: copy });
    game.markEndIfOver(false);
    if (log.end && game.log.end?.hash !== log.end.hash)
      throw new LogReplayError(
        `replayed game ends with hash ${game.log.end?.hash ?? '(still running)'}, log says ${log.end.hash}`,
      );
    return game;
  }

  /**
   * Applies a command now (at the current tick boundary); accepted ones go into the log. Untrusted input
   * is parsed first, and the parsed command is what is logged (a replay must see what the game applied).
   * `id`: the client's id for the command, logged with it (see LogEntry).
   */
  submit(input: Command | unknown, validated = false, id?: string): CommandResult {
    let cmd = input as Command;
    if (!validated) {
      const parsed = parseCommand(input);
      if (!parsed.ok) return parsed;
      cmd = parsed.cmd;
    }
    const r = applyCommand(this.state, cmd);
    if (r.ok) {
      const entry: LogEntry = { tick: this.state.tick, cmd: copyCommand(cmd) };
      if (id !== undefined) entry.id = id;
      this.log.commands.push(entry);
      this.markEndIfOver(true);
    }
    return r;
  }

  /** Advances one tick; records the end of the log when the game finishes. */
  advance(): void {
    this.observe?.(this.state);
    step(this.state);
    this.markEndIfOver(true);
  }

  /**
   * Advances up to `maxTicks` ticks in one stretch (step.ts's stepMany), the businesses taking their
   * `turns` inside it; their accepted commands go into the log as submit() then advance(), tick by tick,
   * would have put them. Returns the ticks advanced. Only for a game without an observer (a live room's
   * observer sees every tick; it steps with advance()).
   */
  advanceMany(maxTicks: number, turns: CommandTurns): number {
    if (this.observe) throw new Error('a game with an observer advances one tick at a time');
    turns.begin(this.state.tick);
    const n = stepMany(this.state, maxTicks, turns);
    turns.drain(this.log.commands);
    this.markEndIfOver(true);
    return n;
  }

  private markEndIfOver(observe: boolean): void {
    if (this.state.status === 'ended' && !this.log.end) {
      this.log.end = { tick: this.state.tick, hash: stateHash(this.state) };
      if (observe) this.observe?.(this.state);
    }
  }
}
