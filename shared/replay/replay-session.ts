import type { GameState } from '../sim/state.ts';
import type { GameLog, LogEntry } from '../sim/game-log.ts';
import { createGame } from '../sim/create.ts';
import { cloneState } from '../sim/clone-state.ts';
import { applyCommand } from '../sim/apply-command.ts';
import { step } from '../sim/step.ts';
import { LogReplayError } from '../sim/recorded-game.ts';

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
  private state: GameState;
  /** Ticks simulated so far, all seeks included (what snapshots save is visible here). */
  simulatedTicks = 0;
  /** Index of the next command to apply. */
  private next = 0;
  /** tick -> the state at that tick (after its commands), and the index of the next command. */
  private snapshots = new Map<number, { state: GameState; next: number }>();

  constructor(log: GameLog) {
    this.log = log;
    this.state = createGame(log.header.scenario, log.header.seed);
    this.endTick = log.end ? log.end.tick : lastTick(log);
    // Tick 0's commands (joins, start) make the game a game: apply them before anybody looks.
    this.applyDue(log.commands);
    this.snapshot();
  }

  get tick(): number {
    return this.state.tick;
  }

  /** The current state. Treat it as read-only: it is the session's own. */
  get current(): GameState {
    return this.state;
  }

  /** Moves to `tick` (clamped to 0..endTick), after that tick's commands. */
  seek(tick: number): GameState {
    const target = Math.max(0, Math.min(Math.floor(tick), this.endTick));
    if (target < this.state.tick || target - this.state.tick > SNAPSHOT_EVERY) {
      let best = -1;
      for (const t of this.snapshots.keys()) if (t <= target && t > best) best = t;
      if (best > this.state.tick || target < this.state.tick) {
        const snap = this.snapshots.get(best)!;
        this.state = cloneState(snap.state);
        this.next = snap.next;
      }
    }
    this.runTo(target);
    return this.state;
  }

  /** Advances by `ticks` (or to the end). */
  advance(ticks = 1): GameState {
    return this.seek(this.state.tick + ticks);
  }

  private runTo(target: number): void {
    const cmds = this.log.commands;
    for (;;) {
      this.applyDue(cmds);
      // A game that ended early (the teacher's end) cannot move further.
      if (this.state.tick >= target || this.state.status !== 'running') return;
      step(this.state);
      this.simulatedTicks++;
      if (this.state.tick % SNAPSHOT_EVERY === 0 && !this.snapshots.has(this.state.tick)) {
        this.applyDue(cmds);
        this.snapshot();
      }
    }
  }

  private applyDue(cmds: LogEntry[]): void {
    while (this.next < cmds.length && cmds[this.next]!.tick <= this.state.tick) {
      const { tick, cmd } = cmds[this.next]!;
      if (tick < this.state.tick)
        throw new LogReplayError(`commands.${this.next} is for tick ${tick}, which the game has passed`);
      const r = applyCommand(this.state, cmd);
      if (!r.ok)
        throw new LogReplayError(
          `commands.${this.next} (${cmd.type} at tick ${tick}) does not apply: ${r.message}`,
        );
      this.next++;
    }
  }

  private snapshot(): void {
    this.snapshots.set(this.state.tick, { state: cloneState(this.state), next: this.next });
  }
}

function lastTick(log: GameLog): number {
  const c = log.commands;
  return c.length ? c[c.length - 1]!.tick : 0;
}
