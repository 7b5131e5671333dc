import type { GameState } from './state.ts';
import type { GameLog, LogEntry, LogHeader } from './game-log.ts';
import { applyCommand } from './apply-command.ts';
import { createGame } from './create.ts';
import { stepMany } from './step.ts';

/** A log that does not fold: a command that does not apply at its tick, or a tick the game cannot reach. */
export class LogReplayError extends Error {}

export interface FoldHooks {
  /**
   * Each tick the fold reaches, once, after that tick's commands and before the game steps on: the state
   * a replay seeking that tick shows (a live room observes the same moment just before it steps).
   */
  atTick?: (state: GameState) => void;
  /**
   * With atTick: the first tick at or after `tick` that atTick needs to see (a replay keeping a
   * checkpoint every 50 ticks needs only those). Without it atTick sees every tick; with it, or without
   * atTick, the fold may run the ticks between two it must stop at (commands, observed ticks, the
   * target) as one stretch, business by business (step.ts's stepMany: same result, faster in big rooms).
   */
  nextObserved?: (tick: number) => number;
  /**
   * A command that does not apply. Without this hook the log is damaged and the fold throws; a what-if
   * fork, whose planned commands may no longer be affordable, passes one and carries on.
   */
  refused?: (entry: LogEntry, index: number, message: string) => void;
  /** A command that applied, with the tick it took effect at. */
  applied?: (entry: LogEntry, index: number) => void;
}

/**
 * state = fold(log), one command and one tick at a time. The only place in the code base that folds a
 * game log: the headless replay (replayLog), the replay screen's session, what-if forks and the server's
 * recovery of a room all go through it, so they cannot disagree on what a log means.
 */
export class LogFold {
  private state: GameState;
  /** Index of the next entry to apply. */
  private nextEntry = 0;
  private observed = -1;
  /** Ticks simulated so far (what a replay's snapshots save shows here). */
  steps = 0;

  constructor(
    header: Pick<LogHeader, 'scenario' | 'seed'>,
    readonly entries: readonly LogEntry[],
    private readonly hooks: FoldHooks = {},
  ) {
    this.state = createGame(header.scenario, header.seed);
  }

  get current(): GameState {
    return this.state;
  }

  get next(): number {
    return this.nextEntry;
  }

  /** Goes back (or forward) to a state saved earlier with the index of its next entry (a replay's snapshot). */
  restore(state: GameState, next: number): void {
    this.state = state;
    this.nextEntry = next;
    this.observed = state.tick;
  }

  /**
   * Applies the commands due at the current tick and steps until `target` (stopping early when the game
   * is not running: not started, or ended). The state sits after `target`'s commands.
   */
  runTo(target: number): GameState {
    for (;;) {
      this.applyDue();
      if (this.observed !== this.state.tick) {
        this.observed = this.state.tick;
        this.hooks.atTick?.(this.state);
      }
      if (this.state.tick >= target || this.state.status !== 'running') break;
      this.steps += stepMany(this.state, this.stretchTo(target) - this.state.tick);
    }
    const e = this.entries[this.nextEntry];
    if (e && e.tick <= target && !this.hooks.refused)
      throw new LogReplayError(
        `commands.${this.nextEntry}: it is for tick ${e.tick}, but the game cannot reach that tick (it is at ${this.state.tick}, ${this.state.status})`,
      );
    return this.state;
  }

  /** The tick the fold may run to in one stretch: the target, the next command's tick, the next observed tick. */
  private stretchTo(target: number): number {
    const tick = this.state.tick;
    let to = target;
    const e = this.entries[this.nextEntry];
    if (e && e.tick < to) to = e.tick;
    if (this.hooks.atTick) {
      const seen = this.hooks.nextObserved ? this.hooks.nextObserved(tick + 1) : tick + 1;
      if (seen < to) to = seen;
    }
    return Math.max(to, tick + 1);
  }

  private applyDue(): void {
    const s = this.state;
    for (let e = this.entries[this.nextEntry]; e && e.tick <= s.tick; e = this.entries[this.nextEntry]) {
      const i = this.nextEntry++;
      if (e.tick < s.tick) {
        this.refuse(e, i, `it is for tick ${e.tick}, which the game has passed (it is at ${s.tick})`);
        continue;
      }
      const r = applyCommand(s, e.cmd);
      if (r.ok) this.hooks.applied?.(e, i);
      else this.refuse(e, i, r.message);
    }
  }

  private refuse(e: LogEntry, i: number, message: string): void {
    if (!this.hooks.refused)
      throw new LogReplayError(`commands.${i} (${e.cmd.type} at tick ${e.tick}) does not apply: ${message}`);
    this.hooks.refused(e, i, message);
  }
}

export interface ReplayOptions {
  /**
   * Stop at this tick, after the commands that took effect at it. A log without an end (a game still
   * running) is advanced to this tick even past its last command; a finished one never past its end.
   */
  untilTick?: number;
  /** See FoldHooks.atTick. */
  atTick?: (state: GameState) => void;
}

/** The tick a whole replay of this log stops at. */
export function replayTarget(log: GameLog, untilTick?: number): number {
  const last = log.commands.length ? log.commands[log.commands.length - 1]!.tick : 0;
  // A finished game stops at its recorded end; a running game's log goes as far as asked (or, when not
  // asked, to its last command).
  const end = log.end ? log.end.tick : (untilTick ?? last);
  return Math.min(untilTick ?? Infinity, end);
}

/**
 * state = fold(log): rebuilds the game from its header and commands. A command that does not apply at
 * its tick means the log is damaged, and is reported as such rather than skipped.
 */
export function replayLog(log: GameLog, opts: ReplayOptions = {}): GameState {
  const fold = new LogFold(log.header, log.commands, opts.atTick ? { atTick: opts.atTick } : {});
  return fold.runTo(replayTarget(log, opts.untilTick));
}
