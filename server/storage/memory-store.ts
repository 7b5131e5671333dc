import { classNameOf, endedEarly } from '../../shared/sim/game-label.ts';
import type { LogEnd, LogEntry } from '../../shared/sim/game-log.ts';
import { newLog } from '../../shared/sim/game-log.ts';
import type {
  GameOutcome,
  GameStore,
  GameSummary,
  NewGame,
  RoomSnapshot,
  StoredCheckpoint,
  GameHead,
  StoredGame,
  StoredPlayer,
} from './store.ts';
import { LogSequenceError } from './store-errors.ts';

interface Row {
  game: NewGame;
  room: RoomSnapshot;
  commands: LogEntry[];
  players: Map<string, StoredPlayer>;
  end: LogEnd | null;
  endedAt: number | null;
  outcome: GameOutcome | null;
  live: boolean;
  checkpoint: StoredCheckpoint | undefined;
  /** When the game was last written (the retention sweep's age of a game). */
  lastWriteAt: number;
}

/** Keeps everything in memory (tests, and LEMONSCALE_STORE=memory): nothing survives the process. */
export class MemoryStore implements GameStore {
  private readonly games = new Map<string, Row>();
  /** Deleted games' tombstones: when each was deleted. */
  private readonly deleted = new Map<string, number>();
  private readonly now: () => number;

  /** `now`: the clock of the last-write stamps (tests pass a fake one). */
  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** The game's row for a write, stamped as written now. */
  private row(gameId: string): Row {
    const r = this.games.get(gameId);
    if (!r) throw new Error(`no game ${gameId}`);
    r.lastWriteAt = this.now();
    return r;
  }

  createGame(game: NewGame): void {
    this.games.set(game.gameId, {
      game: structuredClone(game),
      room: { ...game.room },
      commands: [],
      players: new Map(),
      end: null,
      endedAt: null,
      outcome: null,
      live: true,
      checkpoint: undefined,
      lastWriteAt: this.now(),
    });
  }

  appendCommands(gameId: string, firstSeq: number, entries: readonly LogEntry[]): void {
    const r = this.row(gameId);
    if (firstSeq !== r.commands.length) throw new LogSequenceError(gameId, r.commands.length, firstSeq);
    for (const e of entries) r.commands.push(structuredClone(e));
  }

  addPlayer(gameId: string, player: StoredPlayer): void {
    this.row(gameId).players.set(player.playerId, { ...player });
  }

  kickPlayer(gameId: string, playerId: string): void {
    const p = this.row(gameId).players.get(playerId);
    if (p) p.kicked = true;
  }

  replacePlayerToken(gameId: string, playerId: string, tokenHash: string): void {
    const p = this.row(gameId).players.get(playerId);
    if (p) p.tokenHash = tokenHash;
  }

  saveRoom(gameId: string, room: RoomSnapshot): void {
    this.row(gameId).room = { ...room };
  }

  endGame(gameId: string, end: LogEnd, endedAt: number, outcome: GameOutcome): void {
    const r = this.row(gameId);
    r.end = { ...end };
    r.endedAt = endedAt;
    r.outcome = structuredClone(outcome);
  }

  closeRoom(gameId: string): void {
    this.row(gameId).live = false;
  }

  saveCheckpoint(gameId: string, tick: number, bytes: Uint8Array): void {
    this.row(gameId).checkpoint = { tick, bytes: bytes.slice() };
  }

  latestCheckpoint(gameId: string): StoredCheckpoint | undefined {
    const c = this.games.get(gameId)?.checkpoint;
    return c && { tick: c.tick, bytes: c.bytes.slice() };
  }

  batch<T>(fn: () => T): T {
    return fn();
  }

  private summary(r: Row): GameSummary {
    return {
      gameId: r.game.gameId,
      scenarioId: r.game.header.scenario.id,
      scenarioName: r.game.header.scenario.name,
      className: classNameOf(r.game.header),
      createdAt: r.game.createdAt,
      endedAt: r.endedAt,
      live: r.live,
      ended: r.end !== null,
      endedEarly: endedEarly(r.game.header, r.end?.tick ?? null),
      players: r.players.size,
      commands: r.commands.length,
      tick: r.end ? r.end.tick : r.room.tick,
      end: r.end,
      outcome: r.outcome ? structuredClone(r.outcome) : null,
    };
  }

  listGames(limit = 100, scenarioId?: string): GameSummary[] {
    return [...this.games.values()]
      .filter((r) => scenarioId === undefined || r.game.header.scenario.id === scenarioId)
      .sort((a, b) => b.game.createdAt - a.game.createdAt)
      .slice(0, limit)
      .map((r) => this.summary(r));
  }

  gameHead(gameId: string): GameHead | undefined {
    const r = this.games.get(gameId);
    if (!r) return undefined;
    return {
      summary: this.summary(r),
      teacherTokenHash: r.game.teacherTokenHash,
      header: structuredClone(r.game.header),
    };
  }

  getGame(gameId: string): StoredGame | undefined {
    const r = this.games.get(gameId);
    if (!r) return undefined;
    const log = newLog(structuredClone(r.game.header));
    log.commands = structuredClone(r.commands);
    if (r.end) log.end = { ...r.end };
    return {
      summary: this.summary(r),
      roomCode: r.game.roomCode,
      teacherTokenHash: r.game.teacherTokenHash,
      room: { ...r.room },
      log,
      players: [...r.players.values()].map((p) => ({ ...p })),
    };
  }

  liveGameIds(): string[] {
    return [...this.games.values()].filter((r) => r.live).map((r) => r.game.gameId);
  }

  deletedAt(gameId: string): number | undefined {
    return this.deleted.get(gameId);
  }

  countStaleGames(before: number): number {
    return [...this.games.values()].filter((r) => !r.live && r.lastWriteAt < before).length;
  }

  deleteStaleGames(before: number, open: ReadonlySet<string>, limit: number): string[] {
    const ids = [...this.games.values()]
      // Only closed rooms' games (as in SqliteStore): a live one not open here comes back at a later start.
      .filter((r) => !r.live && r.lastWriteAt < before && !open.has(r.game.gameId))
      .sort((a, b) => a.lastWriteAt - b.lastWriteAt)
      .slice(0, limit)
      .map((r) => r.game.gameId);
    const at = this.now();
    for (const id of ids) {
      this.games.delete(id);
      this.deleted.set(id, at);
    }
    return ids;
  }

  /** Nothing is left behind here: a game's row held all of it. */
  purgeDeleted(): number {
    return 0;
  }

  forgetDeletedBefore(before: number): void {
    for (const [id, at] of this.deleted) if (at < before) this.deleted.delete(id);
  }

  close(): void {}
}
