import type { GameState, Player } from './state.ts';
import type { GameLog, LogEntry, LogHeader } from './game-log.ts';
import { applyCommand } from './apply-command.ts';
import { createGame } from './create.ts';
import { plannedStretch, stepMany, type BusinessTurns } from './step.ts';

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
   * Without `applied` and `refused` a player's own commands do not end a stretch either: each business
   * takes its own inside its stretch (step.ts's BusinessTurns), and only room-wide commands (joins,
   * kicks, the teacher's) stop the room.
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
  /** The players' own commands inside the current stretch (null: every command ends a stretch). */
  private readonly turns: EntryTurns | null;

  constructor(
    header: Pick<LogHeader, 'scenario' | 'seed'>,
    readonly entries: readonly LogEntry[],
    private readonly hooks: FoldHooks = {},
  ) {
    this.state = createGame(header.scenario, header.seed);
    // The hooks report commands in log order, which business by business would not keep.
    this.turns = hooks.applied || hooks.refused ? null : new EntryTurns(this);
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
      const to = this.stretchTo(target);
      if (this.turns === null) this.steps += stepMany(this.state, to - this.state.tick);
      else this.steps += stepMany(this.state, this.turns.take(this.state, to), this.turns);
    }
    const e = this.entries[this.nextEntry];
    if (e && e.tick <= target && !this.hooks.refused)
      throw new LogReplayError(
        `commands.${this.nextEntry}: it is for tick ${e.tick}, but the game cannot reach that tick (it is at ${this.state.tick}, ${this.state.status})`,
      );
    return this.state;
  }

  /**
   * The tick the fold may run to in one stretch: the target, the next observed tick, and the next
   * command's tick (with turns, the players' own commands are taken inside the stretch: EntryTurns).
   */
  private stretchTo(target: number): number {
    const tick = this.state.tick;
    let to = target;
    const e = this.entries[this.nextEntry];
    if (e && e.tick < to && this.turns === null) to = e.tick;
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
      this.applyEntry(e, i);
    }
  }

  /** Applies entry `i`, which takes effect now (EntryTurns: inside a stretch, for its business alone). */
  applyEntry(e: LogEntry, i: number): void {
    const r = applyCommand(this.state, e.cmd);
    if (r.ok) this.hooks.applied?.(e, i);
    else this.refuse(e, i, r.message);
  }

  /** Skips the entries EntryTurns took (they are applied inside the stretch). */
  advanceEntries(to: number): void {
    this.nextEntry = to;
  }

  private refuse(e: LogEntry, i: number, message: string): void {
    if (!this.hooks.refused)
      throw new LogReplayError(`commands.${i} (${e.cmd.type} at tick ${e.tick}) does not apply: ${message}`);
    this.hooks.refused(e, i, message);
  }
}

/**
 * A stretch's log entries that are one player's own commands (buy, sell, upgrade, policy), handed to
 * their business's turns (step.ts's BusinessTurns) so they do not stop the whole room. The stretch ends
 * at the first entry that is not (a join, a kick, a teacher's command, a command for a player who is
 * not in the game or was removed, an entry out of tick order): the fold applies that one, and any
 * after it at the same tick, at the room's boundary as before.
 */
class EntryTurns implements BusinessTurns {
  /** A log's entries come at their ticks, whatever the cash. */
  readonly cashAtLeast = Infinity;
  readonly cashEvery = 1;
  /** Per player position: the positions in `entries` of its entries in this stretch, in log order. */
  private readonly own: number[][] = [];
  /** Per player position: the next of its entries to apply. */
  private readonly cursor: number[] = [];
  /** Player id -> position (players are only ever appended). */
  private readonly positions = new Map<string, number>();
  /**
   * take()'s positions of the entries it scanned (from the fold's next), found once and read again when
   * it hands them out: a lookup by id costs a few cache misses per entry (the entry, its command, its
   * id string, the map), ~6% of a 2,000-player fold when it was done twice.
   */
  private readonly found: number[] = [];

  constructor(private readonly fold: LogFold) {}

  /**
   * Hands the player commands before the stretch's end to their businesses and returns how many ticks
   * the stretch may run: up to `to`, the stretch stepMany plans, and the first entry that must be
   * applied at the room's boundary.
   */
  take(state: GameState, to: number): number {
    const tick = state.tick;
    let end = tick + plannedStretch(state, to - tick);
    const entries = this.fold.entries;
    const first = this.fold.next;
    let j = first;
    let last = tick;
    const found = this.found;
    for (; j < entries.length; j++) {
      const e = entries[j]!;
      if (e.tick >= end) break;
      const i = e.tick < last ? -1 : this.position(state, e);
      found[j - first] = i;
      if (i < 0) {
        // Out of order: it is refused when the room reaches the tick before it, tick by tick.
        end = Math.max(e.tick < last ? last : e.tick, tick + 1);
        break;
      }
      last = e.tick;
    }
    while (this.own.length < state.players.length) {
      this.own.push([]);
      this.cursor.push(0);
    }
    for (const list of this.own) list.length = 0;
    let k = first;
    for (; k < j && entries[k]!.tick < end; k++) {
      const i = found[k - first]!;
      this.own[i]!.push(k);
      this.cursor[i] = 0;
    }
    this.fold.advanceEntries(k);
    return end - tick;
  }

  first(_p: Player, i: number): number {
    const list = this.own[i]!;
    return list.length > 0 ? this.fold.entries[list[0]!]!.tick : Infinity;
  }

  turn(_state: GameState, _p: Player, i: number, tick: number): number {
    const list = this.own[i]!;
    const entries = this.fold.entries;
    let c = this.cursor[i]!;
    for (; c < list.length && entries[list[c]!]!.tick === tick; c++)
      this.fold.applyEntry(entries[list[c]!]!, list[c]!);
    this.cursor[i] = c;
    return c < list.length ? entries[list[c]!]!.tick : Infinity;
  }

  /** The position of the player whose own command this entry is, or -1 for a room-wide entry. */
  private position(state: GameState, e: LogEntry): number {
    const cmd = e.cmd;
    if (!('playerId' in cmd) || cmd.type === 'join' || cmd.type === 'kick') return -1;
    const players = state.players;
    let i = this.positions.get(cmd.playerId);
    if (i === undefined || players[i]?.id !== cmd.playerId) {
      this.positions.clear();
      for (let k = 0; k < players.length; k++) this.positions.set(players[k]!.id, k);
      i = this.positions.get(cmd.playerId);
    }
    return i === undefined || players[i]!.removed ? -1 : i;
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
