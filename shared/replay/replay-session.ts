import type { GameState } from '../sim/state.ts';
import type { GameLog } from '../sim/game-log.ts';
import { cloneState } from '../sim/clone-state.ts';
import { LogFold } from '../sim/log-fold.ts';

/** Ticks between kept snapshots: seeking re-runs at most this many ticks from the nearest one. */
export const SNAPSHOT_EVERY = 300;

/**
 * A log being watched: seek to any tick quickly, step forwards, read the state. Keeps a snapshot every
 * SNAPSHOT_EVERY ticks (taken as it goes), so a seek costs at most that many ticks of simulation
 * instead of a re-run from the start. Runs the same code in the browser, the server and tests.
 */
export class ReplaySession {
  readonly log: GameLog;
  readonly endTick: number;
  private readonly fold: LogFold;
  /** tick -> the state at that tick (after its commands), and the index of the next command. */
  private snapshots = new Map<number, { state: GameState; next: number }>();

  constructor(log: GameLog) {
    this.log = log;
    this.endTick = log.end ? log.end.tick : lastTick(log);
    this.fold = new LogFold(log.header, log.commands, {
      // Every SNAPSHOT_EVERY-th tick reached is kept (after its commands).
      atTick: (state) => {
        if (state.tick % SNAPSHOT_EVERY === 0 && !this.snapshots.has(state.tick)) this.snapshot();
      },
    });
    // Tick 0's commands (joins, start) make the game a game: apply them before anybody looks.
    this.fold.runTo(0);
  }

  /** Ticks simulated so far, all seeks included (what snapshots save is visible here). */
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

  /** Moves to `tick` (clamped to 0..endTick), after that tick's commands. */
  seek(tick: number): GameState {
    const target = Math.max(0, Math.min(Math.floor(tick), this.endTick));
    const now = this.fold.current.tick;
    if (target < now || target - now > SNAPSHOT_EVERY) {
      let best = -1;
      for (const t of this.snapshots.keys()) if (t <= target && t > best) best = t;
      if (best > now || target < now) {
        const snap = this.snapshots.get(best)!;
        this.fold.restore(cloneState(snap.state), snap.next);
      }
    }
    return this.fold.runTo(target);
  }

  /** Advances by `ticks` (or to the end). */
  advance(ticks = 1): GameState {
    return this.seek(this.fold.current.tick + ticks);
  }

  private snapshot(): void {
    const state = this.fold.current;
    this.snapshots.set(state.tick, { state: cloneState(state), next: this.fold.next });
  }
}

function lastTick(log: GameLog): number {
  const c = log.commands;
  return c.length ? c[c.length - 1]!.tick : 0;
}
