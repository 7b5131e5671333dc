import type { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { leaderboard, median, strategyComparison } from '../../shared/sim/results.ts';
import type { GameState } from '../../shared/sim/state.ts';
import { CHECKPOINT_EVERY, encodeCheckpoint } from '../../shared/sim/checkpoint.ts';
import type { Durable, GameOutcome, RoomSnapshot, RoomStore, StoredPlayer } from '../storage/store.ts';
import type { RoomClock } from './room-clock.ts';

export type { Durable } from '../storage/store.ts';

/** What a finished game came to, kept with it for comparisons across classes. */
export function gameOutcome(state: GameState): GameOutcome {
  const board = leaderboard(state);
  return {
    players: board.length,
    medianProfit: median(board.map((r) => r.profit)),
    strategies: strategyComparison(board),
    top: board.slice(0, 5).map((r) => ({
      name: r.name,
      profit: r.profit,
      strategy: r.strategy,
      badges: r.badges,
      bot: r.bot !== null,
    })),
  };
}

/** The teacher's room settings a snapshot holds: the one list (a new setting is added here). */
const ROOM_SETTINGS = ['paused', 'speed', 'locked', 'scoresHidden', 'scheduleHidden'] as const;

/** The same room settings (the tick aside). */
export function sameSettings(a: RoomSnapshot, b: RoomSnapshot): boolean {
  return ROOM_SETTINGS.every((k) => a[k] === b[k]);
}

function sameSnapshot(a: RoomSnapshot | null, b: RoomSnapshot): boolean {
  return a !== null && a.tick === b.tick && sameSettings(a, b);
}

/**
 * What of a room is written down, and how far: the log's entries and end (the game), the roster's
 * changes that go with a command (in the same write), and the room snapshot (tick, pause, speed, lock)
 * that a restart resumes from. The only part of the room that talks to the store.
 */
export class RoomJournal {
  private persistedCommands: number;
  private endWritten: boolean;
  private snapshotSaved: RoomSnapshot | null = null;
  /** Tick of the last checkpoint written (a recovered room: the one it came from, or none). */
  private checkpointTick = -CHECKPOINT_EVERY;
  /**
   * How far the batch being written goes: counted as written only once the batch has committed, so that
   * a batch the store refused (disk full) is written again in full by the next commit.
   */
  private pending: { commands: number; ended: boolean; room: RoomSnapshot | null } | null = null;

  constructor(
    private readonly store: RoomStore,
    readonly gameId: string,
    private readonly game: RecordedGame,
    private readonly clock: RoomClock,
    private readonly room: () => RoomSnapshot,
    /** How much of the game's log the store already holds (a recovered room: all of it). */
    written: { commands: number; ended: boolean } = { commands: 0, ended: false },
  ) {
    this.persistedCommands = written.commands;
    this.endWritten = written.ended;
  }

  /** A new game: its header, its teacher's token hash and its first players (the bots), as one write. */
  createGame(roomCode: string, teacherTokenHash: string, players: readonly StoredPlayer[]): Durable {
    const write = () => {
      this.store.createGame({
        gameId: this.gameId,
        roomCode,
        createdAt: this.clock.wallTime(),
        header: this.game.log.header,
        teacherTokenHash,
        room: this.room(),
      });
      for (const p of players) this.store.addPlayer(this.gameId, p);
      this.writeLog();
    };
    if (this.store.writeTogether) {
      const upTo = this.game.log.commands.length;
      this.sentCommands = upTo;
      return this.store.writeTogether(this.gameId, write).then(() => {
        this.persistedCommands = Math.max(this.persistedCommands, upTo);
      });
    }
    this.store.batch(write);
    this.written();
  }

  /** A write that goes with a join command. */
  addPlayer(p: StoredPlayer): () => void {
    return () => this.store.addPlayer(this.gameId, p);
  }

  /** A write that goes with a kick command. */
  kickPlayer(playerId: string): () => void {
    return () => this.store.kickPlayer(this.gameId, playerId);
  }

  /** A student came back to their business by nickname: written at once (it is no game command). */
  replacePlayerToken(playerId: string, tokenHash: string): Durable {
    return this.store.replacePlayerToken(this.gameId, playerId, tokenHash);
  }

  /** The game has ended and the end is not written yet: the next commit writes it. */
  get endPending(): boolean {
    return this.game.log.end !== undefined && !this.endWritten;
  }

  /**
   * Writes, as one, what goes with the commands just applied, the log's new entries and (once) its end.
   * `answers`: commands wait on this commit for their acknowledgement (refusals by the game included), so
   * an asynchronous store takes it in turn even with nothing new to write: a refusal is then answered
   * after the room's earlier commands, and a store that cannot write any more says so (can't save).
   */
  commit(writes: readonly (() => void)[] = [], answers = false): Durable {
    if (this.store.writeTogether) return this.commitLater(writes, answers);
    this.pending = null;
    this.store.batch(() => {
      for (const w of writes) w();
      this.writeLog();
    });
    this.written();
  }

  /** Log entries handed to an asynchronous store (in flight or durable). */
  private sentCommands = 0;

  /**
   * The asynchronous store (cluster mode): what to write is decided when the write's turn comes (after
   * the game's earlier writes settled), from what is durable by then, up to the entries applied now; a
   * write the store refused before is thus written again in full, never leaving a gap in the log.
   */
  private commitLater(writes: readonly (() => void)[], answers: boolean): Durable {
    const log = this.game.log;
    const upTo = log.commands.length;
    const end = log.end !== undefined && !this.endWritten;
    // Nothing new since the last hand-over: durable as soon as the entries in flight are (those are
    // acknowledged by their own commits), and nothing here needs acknowledging.
    if (
      writes.length === 0 &&
      upTo <= Math.max(this.sentCommands, this.persistedCommands) &&
      !end &&
      !answers
    )
      return;
    this.sentCommands = Math.max(this.sentCommands, upTo);
    let room: RoomSnapshot | null = null;
    let checkpoint: number | null = null;
    return this.store.writeTogether!(this.gameId, () => {
      for (const w of writes) w();
      room = this.writeLog(upTo, end);
      checkpoint = this.checkpointWith(upTo);
    }).then(
      () => {
        this.persistedCommands = Math.max(this.persistedCommands, upTo);
        if (end) this.endWritten = true;
        if (room) this.snapshotSaved = room;
      },
      (e: unknown) => {
        this.sentCommands = this.persistedCommands;
        // Not written: the next write may take one again.
        if (checkpoint !== null && this.checkpointTick === checkpoint)
          this.checkpointTick = -CHECKPOINT_EVERY;
        throw e;
      },
    );
  }

  /**
   * A checkpoint in the same write as the log's entries up to `upTo`, when the game's state now is the
   * log up to there exactly (nothing applied since this write was asked for): it commits with the entries
   * it counts or not at all. saveCheckpoint takes one only while no entry is in flight, which a busy room
   * (a class of 2,000 acting every few seconds) never is: its takeover then folded the whole log.
   * Returns the checkpoint's tick, or null when none was due or possible.
   */
  private checkpointWith(upTo: number): number | null {
    const s = this.game.state;
    if (s.status !== 'running' || this.game.log.commands.length !== upTo) return null;
    if (s.tick - this.checkpointTick < CHECKPOINT_EVERY) return null;
    this.store.saveCheckpoint(this.gameId, s.tick, encodeCheckpoint(s, upTo));
    this.checkpointTick = s.tick;
    return s.tick;
  }

  /** Hands the log's new entries (to `upTo`) and its end (when `end`) to the store; the snapshot written with the end. */
  private writeLog(upTo = this.game.log.commands.length, end = true): RoomSnapshot | null {
    const log = this.game.log;
    const pending = { commands: this.persistedCommands, ended: this.endWritten, room: this.snapshotSaved };
    if (upTo > this.persistedCommands) {
      this.store.appendCommands(
        this.gameId,
        this.persistedCommands,
        log.commands.slice(this.persistedCommands, upTo),
      );
      pending.commands = upTo;
    }
    let room: RoomSnapshot | null = null;
    if (end && log.end && !this.endWritten) {
      this.store.endGame(this.gameId, log.end, this.clock.wallTime(), gameOutcome(this.game.state));
      const snap = this.room();
      this.store.saveRoom(this.gameId, snap);
      pending.ended = true;
      pending.room = snap;
      room = snap;
    }
    this.pending = pending;
    return room;
  }

  private written(): void {
    if (!this.pending) return;
    this.persistedCommands = this.pending.commands;
    this.endWritten = this.pending.ended;
    this.snapshotSaved = this.pending.room;
    this.pending = null;
  }

  /**
   * The room snapshot, unless the store has this one already, and a checkpoint of the running game once
   * it is CHECKPOINT_EVERY ticks past the last one (so a recovery folds at most that much log).
   */
  saveRoom(): Durable {
    const snap = this.room();
    const d = sameSnapshot(this.snapshotSaved, snap) ? undefined : this.writeRoom(snap);
    this.saveCheckpoint();
    return d;
  }

  private saveCheckpoint(): void {
    const s = this.game.state;
    const next = this.game.log.commands.length;
    // Only a state whose log entries are all durable: a checkpoint never counts an entry the store lacks.
    if (s.status !== 'running' || next > this.persistedCommands) return;
    if (s.tick - this.checkpointTick < CHECKPOINT_EVERY) return;
    const tick = s.tick;
    const d = this.store.saveCheckpoint(this.gameId, tick, encodeCheckpoint(s, next));
    this.checkpointTick = tick;
    // A checkpoint the store refused is written again at the next snapshot.
    if (d instanceof Promise)
      d.catch(() => {
        if (this.checkpointTick === tick) this.checkpointTick = -CHECKPOINT_EVERY;
      });
  }

  private writeRoom(snap: RoomSnapshot): Durable {
    const d = this.store.saveRoom(this.gameId, snap);
    this.snapshotSaved = snap;
    // A snapshot the store refused is written again at the next interval (the store logged why).
    if (d instanceof Promise)
      return d.catch((e: unknown) => {
        if (this.snapshotSaved === snap) this.snapshotSaved = null;
        throw e;
      });
  }

  /** The room is finished with (close) or the server stops (the room comes back on the next start). */
  closeRoom(close: boolean): void {
    if (close) {
      const d = this.store.closeRoom(this.gameId);
      if (d instanceof Promise) d.catch(() => undefined); // logged by the store; the room is gone either way
    } else {
      const d = this.writeRoom(this.room());
      if (d instanceof Promise) d.catch(() => undefined); // logged by the store
    }
  }
}
