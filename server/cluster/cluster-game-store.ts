import type { LogEnd, LogEntry } from '../../shared/sim/game-log.ts';
import type { Logger } from '../logging.ts';
import type { AppendBatch, GameWrites } from '../storage/postgres-append-batch.ts';
import { FencedError } from '../storage/postgres-errors.ts';
import type { PostgresStore } from '../storage/postgres-store.ts';
import { LogSequenceError } from '../storage/store-errors.ts';
import type {
  GameOutcome,
  GameReads,
  GameSummary,
  NewGame,
  RoomSnapshot,
  RoomStore,
  GameHead,
  StoredGame,
  StoredPlayer,
} from '../storage/store.ts';

/** What one transaction writes for one game. */
interface WriteSet {
  create?: NewGame;
  firstSeq: number | null;
  entries: LogEntry[];
  also: GameWrites;
}

/** A game this process owns: the epoch of its lease, and the tail of its writes (one at a time). */
interface Held {
  epoch: number;
  tail: Promise<void>;
}

/**
 * The room runtime's store in cluster mode: the same write calls as the embedded store, made durable in
 * PostgreSQL asynchronously. A room's writes go one transaction at a time per game (writeTogether), each
 * through AppendBatch, so every room that ticked in the same turn of the event loop shares one
 * transaction and every write, the log's and the others (players, snapshot, checkpoint, end, close), is
 * fenced by the epoch of this process's lease. A write refused by the fence (FencedError: a newer owner
 * claimed the game) reports the game through `onFenced`, and the owner drops the room. The REST reads
 * (GameReads) go straight to PostgreSQL, so any process answers for every game.
 */
export class ClusterGameStore implements RoomStore, GameReads {
  private readonly held = new Map<string, Held>();
  /** The set being filled by writeTogether's function (it runs synchronously). */
  private open: { gameId: string; set: WriteSet } | null = null;

  constructor(
    readonly pg: PostgresStore,
    private readonly log: AppendBatch,
    private readonly logger: Logger,
    private readonly onFenced: (gameId: string, e: FencedError) => void,
  ) {}

  /** This process now owns the game under `epoch` (a lease just taken): its writes may go. */
  hold(gameId: string, epoch: number): void {
    this.held.set(gameId, { epoch, tail: Promise.resolve() });
  }

  /** Stops writing for the game; resolves once the writes already handed over have settled. */
  release(gameId: string): Promise<void> {
    const h = this.held.get(gameId);
    this.held.delete(gameId);
    return h ? h.tail : Promise.resolve();
  }

  epochOf(gameId: string): number | null {
    return this.held.get(gameId)?.epoch ?? null;
  }

  writeTogether(gameId: string, fn: () => void): Promise<void> {
    const h = this.held.get(gameId);
    // The room was dropped (lease lost or fenced) while a write of it was still being made.
    if (!h) return Promise.reject(new FencedError(gameId, -1, null));
    const epoch = h.epoch;
    const run = async (): Promise<void> => {
      const set: WriteSet = { firstSeq: null, entries: [], also: {} };
      this.open = { gameId, set };
      try {
        fn();
      } finally {
        this.open = null;
      }
      await this.send(gameId, epoch, set);
    };
    const p = h.tail.then(run, run);
    h.tail = p.catch(() => undefined);
    return p;
  }

  private async send(gameId: string, epoch: number, set: WriteSet): Promise<void> {
    try {
      if (set.create) {
        // The game's row, its first players and first entries, fenced at the creator's epoch from the start.
        await this.pg.createGame(set.create, set.also.players ?? [], { epoch, commands: set.entries });
        return;
      }
      await this.log.append({
        gameId,
        epoch,
        firstSeq: set.firstSeq ?? 0,
        entries: set.entries,
        also: set.also,
      });
    } catch (e) {
      if (e instanceof FencedError) {
        this.logger.warn({ game: gameId, epoch, stored: e.storedEpoch }, 'write refused by the fence');
        this.onFenced(gameId, e);
      }
      throw e;
    }
  }

  /** The set of the write being made for this game, or a write of its own (snapshot, checkpoint, close). */
  private into(gameId: string, add: (set: WriteSet) => void): void | Promise<void> {
    if (this.open?.gameId === gameId) {
      add(this.open.set);
      return;
    }
    const p = this.writeTogether(gameId, () => add(this.open!.set));
    p.catch((e: unknown) => {
      if (!(e instanceof FencedError)) this.logger.warn({ err: e, game: gameId }, 'store write failed');
    });
    return p;
  }

  createGame(game: NewGame): void | Promise<void> {
    return this.into(game.gameId, (s) => (s.create = game));
  }

  appendCommands(gameId: string, firstSeq: number, entries: readonly LogEntry[]): void | Promise<void> {
    return this.into(gameId, (s) => {
      if (s.firstSeq === null) s.firstSeq = firstSeq;
      else if (firstSeq !== s.firstSeq + s.entries.length)
        throw new LogSequenceError(gameId, s.firstSeq + s.entries.length, firstSeq);
      s.entries.push(...entries);
    });
  }

  addPlayer(gameId: string, player: StoredPlayer): void | Promise<void> {
    return this.into(gameId, (s) => (s.also.players ??= []).push(player));
  }

  kickPlayer(gameId: string, playerId: string): void | Promise<void> {
    return this.into(gameId, (s) => (s.also.kicked ??= []).push(playerId));
  }

  replacePlayerToken(gameId: string, playerId: string, tokenHash: string): void | Promise<void> {
    return this.into(gameId, (s) => (s.also.tokens ??= []).push({ playerId, tokenHash }));
  }

  saveRoom(gameId: string, room: RoomSnapshot): void | Promise<void> {
    return this.into(gameId, (s) => (s.also.room = room));
  }

  endGame(gameId: string, end: LogEnd, endedAt: number, outcome: GameOutcome): void | Promise<void> {
    return this.into(gameId, (s) => (s.also.end = { end, endedAt, outcome }));
  }

  closeRoom(gameId: string): void | Promise<void> {
    return this.into(gameId, (s) => (s.also.close = true));
  }

  saveCheckpoint(gameId: string, tick: number, bytes: Uint8Array): void | Promise<void> {
    return this.into(gameId, (s) => (s.also.checkpoint = { tick, bytes }));
  }

  /** Inside writeTogether the writes are one already; outside, each is its own. */
  batch<T>(fn: () => T): T {
    return fn();
  }

  listGames(limit?: number, scenarioId?: string): Promise<GameSummary[]> {
    return this.pg.summaries(limit, scenarioId);
  }

  getGame(gameId: string): Promise<StoredGame | undefined> {
    return this.pg.loadGame(gameId);
  }

  gameHead(gameId: string): Promise<GameHead | undefined> {
    return this.pg.gameHead(gameId);
  }

  deletedAt(gameId: string): Promise<number | undefined> {
    return this.pg.deletedAt(gameId);
  }
}
