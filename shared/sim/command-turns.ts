import type { GameState, Player } from './state.ts';
import type { Command } from './commands.ts';
import type { LogEntry } from './game-log.ts';
import type { BusinessTurns } from './step.ts';
import { applyCommand } from './apply-command.ts';

/**
 * Turns in which a business decides commands for itself inside a stretch (step.ts's BusinessTurns): a
 * headless bot game lets each bot decide inside its business's stretch. The accepted commands are
 * logged as tick-by-tick play logs them, by tick and then by player position (a stretch visits the
 * businesses in position order, each through its ticks in order, so appending per tick keeps that order).
 */
export abstract class CommandTurns implements BusinessTurns {
  /** Accepted commands by tick within the current stretch (from `base`). */
  private readonly pending: LogEntry[][] = [];
  private base = 0;
  /** See BusinessTurns: set by next() (none unless a subclass says). */
  cashAtLeast = Infinity;
  readonly cashEvery: number = 1;

  abstract first(p: Player, i: number, from: number): number;
  /** The commands business `p` sends at this tick (its own commands only: see BusinessTurns). */
  protected abstract decide(state: GameState, p: Player): readonly Command[];
  /** The tick of the business's turn after the one at `tick`. */
  protected abstract next(p: Player, tick: number): number;

  /** A stretch starts at `tick`. */
  begin(tick: number): void {
    this.base = tick;
  }

  turn(state: GameState, p: Player, _i: number, tick: number): number {
    for (const cmd of this.decide(state, p)) {
      // Not cloned (RecordedGame.submit clones a caller's command): decide() builds fresh ones.
      if (applyCommand(state, cmd).ok) (this.pending[tick - this.base] ??= []).push({ tick, cmd });
    }
    return this.next(p, tick);
  }

  /** Appends the stretch's accepted commands to a log in tick order and forgets them. */
  drain(into: LogEntry[]): void {
    for (const list of this.pending) {
      if (!list) continue;
      for (const e of list) into.push(e);
      list.length = 0;
    }
  }
}
