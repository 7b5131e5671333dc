import type { LogEnd, LogEntry } from '../../shared/sim/game-log.ts';
import type {
  GameOutcome,
  GameStore,
  NewGame,
  RoomSnapshot,
  RoomStore,
  StoredCheckpoint,
  StoredPlayer,
} from './store.ts';

/** The embedded store underneath: one transaction for several rooms' writes (SqliteStore.writeGroup). */
export interface GroupWritable extends GameStore {
  writeGroup(parts: readonly (() => void)[]): unknown[];
}

interface Waiting {
  gameId: string;
  fn: () => void;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * The rooms' store in the embedded SQLite mode: every room that writes in the same turn of the event
 * loop shares ONE transaction, so one disk sync (synchronous=FULL) serves them all, as the cluster's
 * AppendBatch does for PostgreSQL. With many rooms each committing its commands, snapshot and checkpoint
 * on its own, those syncs were the limit (docs/performance.md). The rooms see the asynchronous store
 * (RoomStore.writeTogether, the journal's Durable promise): each room's commands are acknowledged only
 * once the transaction holding them has committed. A StoreWriteError (disk full, I/O, file gone) fails
 * every room of that transaction, and each holds its commands ("can't save") as before; any other error
 * fails only the room whose writes threw (its savepoint is rolled back, the others commit).
 *
 * A game has at most one write in a transaction: the room decides what to write when its write runs, from
 * what is durable by then (RoomJournal.commitLater), so a second write of the same game waits for the
 * next transaction, after the first one's outcome reached the room.
 */
export class GroupCommitStore implements RoomStore {
  private waiting: Waiting[] = [];
  private scheduled = false;
  /** The game whose write is running now (its store calls go into the open transaction). */
  private open: string | null = null;
  /** Transactions committed, and the writes they held (the tests and benchmarks read them). */
  transactions = 0;
  writes = 0;

  constructor(
    private readonly inner: GroupWritable,
    private readonly warn: (details: object, message: string) => void = () => {},
  ) {}

  writeTogether(gameId: string, fn: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ gameId, fn, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Writes what waits now (at most one write per game) as one transaction, then settles each write. */
  flush(): void {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const games = new Set<string>();
    for (const w of this.waiting) {
      if (games.has(w.gameId)) rest.push(w);
      else {
        games.add(w.gameId);
        batch.push(w);
      }
    }
    this.waiting = rest;
    if (batch.length === 0) return;
    let errors: unknown[];
    try {
      errors = this.inner.writeGroup(
        batch.map((w) => () => {
          this.open = w.gameId;
          try {
            w.fn();
          } finally {
            this.open = null;
          }
        }),
      );
    } catch (e) {
      // Nothing of this transaction is kept: every room in it holds its commands.
      for (const w of batch) w.reject(e);
      if (this.waiting.length > 0) this.schedule();
      return;
    }
    this.transactions++;
    this.writes += batch.length;
    batch.forEach((w, i) => (errors[i] === undefined ? w.resolve() : w.reject(errors[i])));
    // The rest goes in the next turn, once the rooms have seen these outcomes (promise callbacks first).
    if (this.waiting.length > 0) this.schedule();
  }

  /** Games with writes handed over and not yet written (the retention sweep leaves them alone). */
  waitingGames(): Set<string> {
    return new Set(this.waiting.map((w) => w.gameId));
  }

  /** Resolves once every write handed over so far has been settled (the server stops: last snapshots). */
  async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      this.flush();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Inside this game's write: straight into the open transaction; outside: a write of its own. */
  private into(gameId: string, write: () => void): void | Promise<void> {
    if (this.open === gameId) {
      write();
      return;
    }
    const p = this.writeTogether(gameId, write);
    p.catch((e: unknown) => this.warn({ err: e, game: gameId }, 'store write failed'));
    return p;
  }

  createGame(game: NewGame): void | Promise<void> {
    return this.into(game.gameId, () => this.inner.createGame(game));
  }

  appendCommands(gameId: string, firstSeq: number, entries: readonly LogEntry[]): void | Promise<void> {
    return this.into(gameId, () => this.inner.appendCommands(gameId, firstSeq, entries));
  }

  addPlayer(gameId: string, player: StoredPlayer): void | Promise<void> {
    return this.into(gameId, () => this.inner.addPlayer(gameId, player));
  }

  kickPlayer(gameId: string, playerId: string): void | Promise<void> {
    return this.into(gameId, () => this.inner.kickPlayer(gameId, playerId));
  }

  replacePlayerToken(gameId: string, playerId: string, tokenHash: string): void | Promise<void> {
    return this.into(gameId, () => this.inner.replacePlayerToken(gameId, playerId, tokenHash));
  }

  saveRoom(gameId: string, room: RoomSnapshot): void | Promise<void> {
    return this.into(gameId, () => this.inner.saveRoom(gameId, room));
  }

  endGame(gameId: string, end: LogEnd, endedAt: number, outcome: GameOutcome): void | Promise<void> {
    return this.into(gameId, () => this.inner.endGame(gameId, end, endedAt, outcome));
  }

  closeRoom(gameId: string): void | Promise<void> {
    return this.into(gameId, () => this.inner.closeRoom(gameId));
  }

  saveCheckpoint(gameId: string, tick: number, bytes: Uint8Array): void | Promise<void> {
    return this.into(gameId, () => this.inner.saveCheckpoint(gameId, tick, bytes));
  }

  /** Read by recovery (the embedded store answers at once). */
  latestCheckpoint(gameId: string): StoredCheckpoint | undefined {
    return this.inner.latestCheckpoint(gameId);
  }

  /** Inside writeTogether the writes are one transaction already. */
  batch<T>(fn: () => T): T {
    return fn();
  }
}
