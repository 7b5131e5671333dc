import type { GameLog, LogEnd, LogEntry, LogHeader } from '../../shared/sim/game-log.ts';
import type { StrategySummary } from '../../shared/sim/results.ts';

/**
 * Where games are kept: the log (header + commands + end) that rebuilds a game, the hashes of its tokens,
 * and the few room facts the log does not hold (tick reached, paused, speed, locked, scores hidden). Writes are
 * synchronous and durable when they return in the embedded stores. The rooms reach them through RoomStore:
 * in SQLite mode GroupCommitStore (one transaction per turn of the event loop for every room), in cluster
 * mode the PostgreSQL store; both return Durable promises, and a command is acknowledged only once its
 * promise has resolved.
 */

/** Room facts written down periodically so that a restart brings the room back where it was. */
export interface RoomSnapshot {
  tick: number;
  paused: boolean;
  speed: number;
  locked: boolean;
  /** The teacher hides the scores now (starts as the room's `hideScores` setting). */
  scoresHidden: boolean;
  /**
   * The schedule is kept a surprise now (starts as the room's `hideSchedule` setting); absent from rooms
   * written before the teacher could change it mid-game: the setting holds.
   */
  scheduleHidden?: boolean;
}

export interface NewGame {
  gameId: string;
  roomCode: string;
  createdAt: number;
  header: LogHeader;
  teacherTokenHash: string;
  room: RoomSnapshot;
}

export interface StoredPlayer {
  playerId: string;
  name: string;
  tokenHash: string;
  kicked: boolean;
}

/** What a finished game came to, kept with it so that games of a scenario can be compared across classes. */
export interface GameOutcome {
  players: number;
  medianProfit: number;
  strategies: StrategySummary[];
  /** The first five of the leaderboard. */
  top: { name: string; profit: number; strategy: string; badges: string[]; bot: boolean }[];
}

export interface GameSummary {
  gameId: string;
  scenarioId: string;
  scenarioName: string;
  /** The class name typed on the host form ('' when none). */
  className: string;
  createdAt: number;
  endedAt: number | null;
  /** The room is open in this server (it comes back after a restart). */
  live: boolean;
  ended: boolean;
  /** Ended by the teacher before the scenario's time was up (not counted as a finished game). */
  endedEarly: boolean;
  players: number;
  commands: number;
  tick: number;
  end: LogEnd | null;
  outcome: GameOutcome | null;
}

/**
 * A game without its log: enough to decide who may read it and to describe it (the REST layer), at the
 * same cost however long the game's log is (its row, its log's last position for the command count, and
 * its players: a class at most).
 */
export interface GameHead {
  summary: GameSummary;
  teacherTokenHash: string;
  header: LogHeader;
}

export interface StoredGame {
  summary: GameSummary;
  roomCode: string;
  teacherTokenHash: string;
  room: RoomSnapshot;
  log: GameLog;
  players: StoredPlayer[];
}

/** The latest checkpoint of a game (shared/sim/checkpoint.ts): recovery folds only the log after it. */
export interface StoredCheckpoint {
  tick: number;
  bytes: Uint8Array;
}

/**
 * Done once what was handed over is durable. The embedded stores write synchronously (void); the cluster's
 * PostgreSQL store commits asynchronously (one fenced transaction per tick for every room a process owns)
 * and returns a promise, which whoever acknowledges waits for: nothing is acknowledged before it is
 * durable either way.
 */
export type Durable = void | Promise<void>;

/**
 * What a room writes: the part of the store the room runtime uses. The embedded stores (SQLite, memory)
 * and the cluster's store (server/cluster/cluster-game-store.ts) both provide it.
 */
export interface RoomStore {
  createGame(game: NewGame): Durable;
  /** Appends the log entries numbered from `firstSeq` (0-based position in the log). */
  appendCommands(gameId: string, firstSeq: number, entries: readonly LogEntry[]): Durable;
  addPlayer(gameId: string, player: StoredPlayer): Durable;
  kickPlayer(gameId: string, playerId: string): Durable;
  /** A student came back to a business they had left (by nickname): a new token, the old one stops working. */
  replacePlayerToken(gameId: string, playerId: string, tokenHash: string): Durable;
  saveRoom(gameId: string, room: RoomSnapshot): Durable;
  endGame(gameId: string, end: LogEnd, endedAt: number, outcome: GameOutcome): Durable;
  /** The room closed: the game stays downloadable but does not come back after a restart. */
  closeRoom(gameId: string): Durable;
  /**
   * Keeps a checkpoint of the game at `tick`, replacing the one before (only the latest is ever read).
   * Written only once the log entries it counts are durable.
   */
  saveCheckpoint(gameId: string, tick: number, bytes: Uint8Array): Durable;
  /** Runs several writes as one (one disk sync in SQLite). */
  batch<T>(fn: () => T): T;
  /**
   * Asynchronous stores only: runs `fn` once every earlier write of this game has settled, and the writes
   * it makes (all of this game) go to the store as one transaction; resolves once that has committed.
   * Running `fn` late lets the writer compute what to write from what is durable by then (a refused
   * write before it is simply written again), so a game's log never gets a gap.
   */
  writeTogether?(gameId: string, fn: () => void): Promise<void>;
}

/**
 * How stale a game's last-write time may be: writes that do not update the game's row anyway (commands,
 * players, checkpoints) stamp it at most once per this step, so a busy room's log does not rewrite its
 * game's row on every append. Retention is counted in days: a minute is nothing to it.
 */
export const WRITE_STAMP_STEP_MS = 60_000;

/**
 * What the retention sweep (server/storage/game-retention.ts) asks of a store; the embedded stores answer
 * at once, the cluster's PostgreSQL store later. A deleted game leaves a tombstone (its id and when), so a
 * link to it answers "deleted", not "no such game", for as long as the games themselves are kept.
 */
export interface GameDeletion {
  /**
   * Deletes up to `limit` games whose last write is older than `before` (ms since 1970), oldest first,
   * never one of `open` (rooms open here, writes on their way) nor, in a cluster, one whose room is open
   * on any process. Their rows go with a tombstone left, in one transaction; a log too long to delete at
   * once may leave rows for purgeDeleted. Deleting a game already deleted does nothing. Returns the ids.
   */
  deleteStaleGames(before: number, open: ReadonlySet<string>, limit: number): string[] | Promise<string[]>;
  /** How many games a sweep at `before` would delete (not counting rooms open here): the start log's count. */
  countStaleGames(before: number): number | Promise<number>;
  /** Removes up to `rows` rows left of deleted games' logs; fewer than `rows`: none are left. */
  purgeDeleted(rows: number): number | Promise<number>;
  /** Forgets the tombstones of games deleted before `before` (their links answer "no such game"). */
  forgetDeletedBefore(before: number): void | Promise<void>;
  /** Readies the store before a sweep (PostgreSQL: the sweep's index); absent where there is nothing to do. */
  prepareSweep?(): Promise<void>;
  /**
   * Stamps up to `rows` games that have no last-write stamp yet (from before the stamps; until stamped a
   * game is not swept); returns how many. Absent where every game has one (the embedded stores).
   */
  fillWriteStamps?(rows: number): Promise<number>;
}

export interface GameStore extends RoomStore, GameDeletion {
  createGame(game: NewGame): void;
  appendCommands(gameId: string, firstSeq: number, entries: readonly LogEntry[]): void;
  addPlayer(gameId: string, player: StoredPlayer): void;
  kickPlayer(gameId: string, playerId: string): void;
  replacePlayerToken(gameId: string, playerId: string, tokenHash: string): void;
  saveRoom(gameId: string, room: RoomSnapshot): void;
  endGame(gameId: string, end: LogEnd, endedAt: number, outcome: GameOutcome): void;
  closeRoom(gameId: string): void;
  saveCheckpoint(gameId: string, tick: number, bytes: Uint8Array): void;
  latestCheckpoint(gameId: string): StoredCheckpoint | undefined;

  /** Newest first; only games of one scenario when scenarioId is given. */
  listGames(limit?: number, scenarioId?: string): GameSummary[];
  getGame(gameId: string): StoredGame | undefined;
  gameHead(gameId: string): GameHead | undefined;
  /** Games whose rooms were open when the server stopped. */
  liveGameIds(): string[];
  deletedAt(gameId: string): number | undefined;
  deleteStaleGames(before: number, open: ReadonlySet<string>, limit: number): string[];
  purgeDeleted(rows: number): number;
  countStaleGames(before: number): number;
  forgetDeletedBefore(before: number): void;
  close(): void;
}

/**
 * What the REST layer reads: the embedded store answers at once, the cluster's PostgreSQL store later
 * (the handlers await either).
 */
export interface GameReads {
  listGames(limit?: number, scenarioId?: string): GameSummary[] | Promise<GameSummary[]>;
  getGame(gameId: string): StoredGame | undefined | Promise<StoredGame | undefined>;
  gameHead(gameId: string): GameHead | undefined | Promise<GameHead | undefined>;
  /** When the game was deleted by the retention sweep (ms since 1970), or undefined. */
  deletedAt(gameId: string): number | undefined | Promise<number | undefined>;
}
