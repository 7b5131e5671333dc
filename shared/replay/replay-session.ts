import type { GameState } from '../sim/state.ts';
import type { GameLog, LogEntry } from '../sim/game-log.ts';
import { LogFold } from '../sim/log-fold.ts';
import { CHECKPOINT_EVERY, decodeCheckpoint, encodeCheckpoint } from '../sim/checkpoint.ts';
import { businessLog } from '../stream/business-log.ts';

export { CHECKPOINT_EVERY } from '../sim/checkpoint.ts';

/** Memory the checkpoints of one session may hold before they are thinned out (see ReplaySession). */
export const CHECKPOINT_BUDGET_BYTES = 256 * 1024 * 1024;

export interface ReplaySessionOptions {
  /**
   * Replay this business alone (the room-wide commands and this player's own): a one-player game that
   * costs one business's work, for a student's own replay or a what-if. Businesses never interact, so it
   * equals that business in the whole class's replay (test/unit/separability).
   */
  playerId?: string;
  /** Bytes of checkpoints kept at most (default CHECKPOINT_BUDGET_BYTES). */
  checkpointBudget?: number;
}

/**
 * A log being watched: seek to any tick quickly, step forwards, read the state. Keeps a checkpoint
 * (shared/sim/checkpoint.ts: compact bytes, not a live copy) every CHECKPOINT_EVERY ticks, taken as the
 * fold goes, so a seek restores the nearest one and re-runs at most that many ticks instead of the
 * log from the start. A big class's checkpoints would not fit in a browser (a 2,000-player game's are
 * ~9 MB each): past the budget every other one is dropped and the interval doubles, so memory stays
 * bounded and seeks re-run at most the (longer) interval. Runs the same code in the browser, the
 * server and tests.
 */
export class ReplaySession {
  readonly log: GameLog;
  readonly endTick: number;
  readonly entries: readonly LogEntry[];
  private readonly fold: LogFold;
  /** tick -> the game at that tick (after its commands), with the index of its next entry. */
  private checkpoints = new Map<number, Uint8Array>();
  private held = 0;
  private readonly budget: number;
  /** Ticks between checkpoints: CHECKPOINT_EVERY, doubled each time the budget was reached. */
  every = CHECKPOINT_EVERY;
  /**
   * Ticks the fold stopped at for this session (its hook saw them: checkpoint ticks, command ticks,
   * seek targets) and checkpoints encoded, all seeks included. What a seek costs, as counts: a fold
   * that stops at every tick, or encodes more than one checkpoint per interval, shows here (a test
   * holds them to the interval).
   */
  observedTicks = 0;
  checkpointsEncoded = 0;

  constructor(log: GameLog, opts: ReplaySessionOptions = {}) {
    this.log = log;
    this.endTick = log.end ? log.end.tick : lastTick(log);
    this.budget = opts.checkpointBudget ?? CHECKPOINT_BUDGET_BYTES;
    this.entries = opts.playerId === undefined ? log.commands : businessLog(log.commands, opts.playerId);
    this.fold = new LogFold(log.header, this.entries, {
      atTick: (state) => {
        this.observedTicks++;
        if (state.tick % this.every !== 0 || this.checkpoints.has(state.tick)) return;
        this.checkpointsEncoded++;
        const bytes = encodeCheckpoint(state, this.fold.next);
        this.checkpoints.set(state.tick, bytes);
        this.held += bytes.length;
        while (this.held > this.budget && this.checkpoints.size > 1) this.thin();
      },
      // Only checkpoint ticks matter to the hook: the ticks between run as one stretch (faster).
      nextObserved: (t) => Math.ceil(t / this.every) * this.every,
    });
    // Tick 0's commands (joins, start) make the game a game: apply them before anybody looks.
    this.fold.runTo(0);
  }

  /** Ticks simulated so far, all seeks included (what checkpoints save is visible here). */
  get simulatedTicks(): number {
    return this.fold.steps;
  }

  get tick(): number {
    return this.fold.current.tick;
  }

  /** The current state. Treat it as read-only: it is the session's own. */
  get current(): GameState {
    return this.fold.current;
  }

  /** Bytes held by the checkpoints (the session's memory beyond the current state). */
  get checkpointBytes(): number {
    return this.held;
  }

  /** Keeps every other checkpoint: the interval doubles, the memory halves. */
  private thin(): void {
    this.every *= 2;
    for (const [t, b] of this.checkpoints)
      if (t % this.every !== 0) {
        this.checkpoints.delete(t);
        this.held -= b.length;
      }
  }

  /** Moves to `tick` (clamped to 0..endTick), after that tick's commands. */
  seek(tick: number): GameState {
    const target = Math.max(0, Math.min(Math.floor(tick), this.endTick));
    const now = this.fold.current.tick;
    if (target < now || target - now > this.every) {
      const best = this.latestCheckpoint(target + 1);
      if (best !== null && (best.tick > now || target < now)) {
        const { state, next } = decodeCheckpoint(best.bytes, this.log.header.scenario);
        this.fold.restore(state, next);
      }
    }
    return this.fold.runTo(target);
  }

  /** Advances by `ticks` (or to the end). */
  advance(ticks = 1): GameState {
    return this.seek(this.fold.current.tick + ticks);
  }

  /**
   * A copy of the game at the latest checkpoint before `tick` (null when the fold has not been that far
   * yet): where a what-if that changes things from `tick` on can start.
   */
  stateBefore(tick: number): GameState | null {
    const best = this.latestCheckpoint(tick);
    return best && decodeCheckpoint(best.bytes, this.log.header.scenario).state;
  }

  /** The latest checkpoint strictly before `tick`. */
  private latestCheckpoint(tick: number): { tick: number; bytes: Uint8Array } | null {
    let best = -1;
    for (const t of this.checkpoints.keys()) if (t < tick && t > best) best = t;
    return best < 0 ? null : { tick: best, bytes: this.checkpoints.get(best)! };
  }
}

function lastTick(log: GameLog): number {
  const c = log.commands;
  return c.length ? c[c.length - 1]!.tick : 0;
}
