import { classNameOf, endedEarly } from '../../shared/sim/game-label.ts';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { LogEnd, LogEntry, LogHeader } from '../../shared/sim/game-log.ts';
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
import { WRITE_STAMP_STEP_MS } from './store.ts';
import { DamagedGameError, LogSequenceError, StoreWriteError } from './store-errors.ts';
import { openSqliteFile, type StoreWarn, type Synchronous } from './sqlite-open.ts';

/**
 * The embedded default: one SQLite file in the data folder, in WAL mode, synchronous=FULL unless configured
 * otherwise (see sqlite-open.ts and "Durability" in docs/server.md).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS games (
  game_id TEXT PRIMARY KEY,
  room_code TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  scenario_id TEXT NOT NULL,
  scenario_name TEXT NOT NULL,
  header TEXT NOT NULL,
  teacher_token_hash TEXT NOT NULL,
  live INTEGER NOT NULL DEFAULT 1,
  tick INTEGER NOT NULL DEFAULT 0,
  paused INTEGER NOT NULL DEFAULT 0,
  speed REAL NOT NULL DEFAULT 1,
  locked INTEGER NOT NULL DEFAULT 0,
  scores_hidden INTEGER,
  schedule_hidden INTEGER,
  end_tick INTEGER,
  end_hash TEXT,
  ended_at INTEGER,
  outcome TEXT,
  last_write_at INTEGER
);
CREATE TABLE IF NOT EXISTS commands (
  game_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  tick INTEGER NOT NULL,
  cmd TEXT NOT NULL,
  command_id TEXT,
  PRIMARY KEY (game_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS players (
  game_id TEXT NOT NULL,
  player_id TEXT NOT NULL,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  kicked INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (game_id, player_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
  game_id TEXT PRIMARY KEY,
  tick INTEGER NOT NULL,
  bytes BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS games_created ON games (created_at DESC);
CREATE TABLE IF NOT EXISTS deleted_games (
  game_id TEXT PRIMARY KEY,
  deleted_at INTEGER NOT NULL,
  purged INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS deleted_games_unpurged ON deleted_games (game_id) WHERE purged = 0;
CREATE INDEX IF NOT EXISTS deleted_games_deleted_at ON deleted_games (deleted_at);
`;

/** Rows per INSERT of commands: a window's purchases in one statement (SQLite allows 32,766 variables). */
const ROWS_PER_INSERT = 32;

interface GameRow {
  game_id: string;
  room_code: string;
  created_at: number;
  scenario_id: string;
  scenario_name: string;
  header: string;
  teacher_token_hash: string;
  live: number;
  tick: number;
  paused: number;
  speed: number;
  locked: number;
  scores_hidden: number | null;
  schedule_hidden: number | null;
  end_tick: number | null;
  end_hash: string | null;
  ended_at: number | null;
  outcome: string | null;
  players: number;
  commands: number;
}

/**
 * A game's row with its counts. The log has no gaps (appendCommands continues it where it ends), so its
 * length is its last seq + 1: one step down the primary key however long the game, where COUNT(*)
 * walked every command (5.7-10 ms for a 100,000-command game, on every REST read of its head). Players
 * are counted: a class at most.
 */
const SUMMARY_COLUMNS = `g.*, (SELECT COUNT(*) FROM players p WHERE p.game_id = g.game_id) AS players,
  COALESCE((SELECT c.seq + 1 FROM commands c WHERE c.game_id = g.game_id ORDER BY c.seq DESC LIMIT 1), 0)
    AS commands`;

/** A stored JSON column read back; a row that is not valid JSON damages its game only. */
function parseJson<T>(gameId: string, what: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new DamagedGameError(gameId, `${what} is not valid JSON`);
  }
}

export class SqliteStore implements GameStore {
  private readonly db: Database.Database;
  private readonly stmts;
  /** appendStatement's statements, by row count. */
  private readonly appendStatements: Database.Statement[] = [];
  private readonly file: string;
  /** The file's inode when opened: a different one (or none) means it was deleted or replaced. */
  private readonly inode: number;
  private gone: string | null = null;
  /**
   * Runs a function in a transaction (a savepoint when one is open): made ONCE. better-sqlite3's
   * `db.transaction(fn)` builds four wrappers and defines five properties on each per call; made per
   * write, that was about 13% of a group commit's CPU at 40 rooms of 50 (2,765 -> 2,408 µs; docs/performance.md,
   * "Ninth round").
   */
  private readonly transaction: <T>(fn: () => T) => T;
  /** The clock of the games' last-write stamps (the retention sweep's age of a game). */
  private readonly now: () => number;

  /**
   * Throws StoreOpenError (one readable line) when the file cannot be used; see sqlite-open.ts.
   * `maxPages` caps the file (SQLite's max_page_count): past it every write fails with SQLITE_FULL exactly
   * as on a full disk, which is how the tests make a disk full without mounting one.
   */
  constructor(
    dataDir: string,
    opts: {
      fileName?: string;
      warn?: StoreWarn;
      maxPages?: number;
      synchronous?: Synchronous;
      now?: () => number;
    } = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.file = path.join(dataDir, opts.fileName ?? 'lemonscale.db');
    const how = { warn: opts.warn ?? (() => {}), synchronous: opts.synchronous ?? 'FULL' };
    this.db = openSqliteFile(dataDir, path.basename(this.file), how, (db) => {
      db.exec(SCHEMA);
      // Data folders from before game outcomes were kept: add the column (older games show no outcome).
      const columns = db.prepare(`PRAGMA table_info(games)`).all() as { name: string }[];
      if (!columns.some((c) => c.name === 'outcome')) db.exec(`ALTER TABLE games ADD COLUMN outcome TEXT`);
      // ...and before commands carried the client's id (their commands have none; they replay the same).
      const commandColumns = db.prepare(`PRAGMA table_info(commands)`).all() as { name: string }[];
      if (!commandColumns.some((c) => c.name === 'command_id'))
        db.exec(`ALTER TABLE commands ADD COLUMN command_id TEXT`);
      // ... and before the teacher could hide scores mid-game (NULL: the game's hideScores setting holds).
      if (!columns.some((c) => c.name === 'scores_hidden'))
        db.exec(`ALTER TABLE games ADD COLUMN scores_hidden INTEGER`);
      // ... and before the schedule could be kept a surprise mid-game (NULL: the hideSchedule setting holds).
      if (!columns.some((c) => c.name === 'schedule_hidden'))
        db.exec(`ALTER TABLE games ADD COLUMN schedule_hidden INTEGER`);
      // ... and before games were deleted after GAME_RETENTION_DAYS: a game's last write was its end, or
      // (never ended) its creation, as near as such a file can tell. At every open, in one transaction
      // with the column's addition: games with no stamp (a crash between the two on an earlier open, or
      // an older binary creating games in this file since) would otherwise never be swept.
      db.transaction(() => {
        if (!columns.some((c) => c.name === 'last_write_at'))
          db.exec(`ALTER TABLE games ADD COLUMN last_write_at INTEGER`);
        db.exec(`CREATE INDEX IF NOT EXISTS games_last_write ON games (last_write_at)`);
        db.exec(
          `UPDATE games SET last_write_at = COALESCE(ended_at, created_at) WHERE last_write_at IS NULL`,
        );
      })();
    });
    this.inode = fs.statSync(this.file).ino;
    const run = this.db.transaction((fn: () => unknown) => fn());
    this.transaction = <T>(fn: () => T): T => run(fn) as T;
    if (opts.maxPages !== undefined) this.db.pragma(`max_page_count = ${Math.floor(opts.maxPages)}`);
    const db = this.db;
    this.stmts = {
      createGame: db.prepare(
        `INSERT INTO games (game_id, room_code, created_at, scenario_id, scenario_name, header, teacher_token_hash, tick, paused, speed, locked, scores_hidden, schedule_hidden, last_write_at)
         VALUES (@gameId, @roomCode, @createdAt, @scenarioId, @scenarioName, @header, @teacherTokenHash, @tick, @paused, @speed, @locked, @scoresHidden, @scheduleHidden, @lastWriteAt)`,
      ),
      logLength: db.prepare(`SELECT COALESCE(MAX(seq) + 1, 0) AS n FROM commands WHERE game_id = ?`),
      addPlayer: db.prepare(
        `INSERT INTO players (game_id, player_id, name, token_hash, kicked) VALUES (?, ?, ?, ?, ?)`,
      ),
      kickPlayer: db.prepare(`UPDATE players SET kicked = 1 WHERE game_id = ? AND player_id = ?`),
      replacePlayerToken: db.prepare(`UPDATE players SET token_hash = ? WHERE game_id = ? AND player_id = ?`),
      saveRoom: db.prepare(
        `UPDATE games SET tick = ?, paused = ?, speed = ?, locked = ?, scores_hidden = ?, schedule_hidden = ?, last_write_at = ? WHERE game_id = ?`,
      ),
      endGame: db.prepare(
        `UPDATE games SET end_tick = ?, end_hash = ?, ended_at = ?, outcome = ?, last_write_at = ? WHERE game_id = ?`,
      ),
      closeRoom: db.prepare(`UPDATE games SET live = 0, last_write_at = ? WHERE game_id = ?`),
      // A write that does not update the game's row: its stamp only when it is a step old (no row write).
      stamp: db.prepare(`UPDATE games SET last_write_at = ? WHERE game_id = ? AND last_write_at < ?`),
      // Only closed rooms' games: a live one whose room did not come back here (its code was taken) is
      // still a class's game, recovered at a later start.
      stale: db.prepare(
        `SELECT game_id FROM games WHERE last_write_at < ? AND live = 0 ORDER BY last_write_at LIMIT ?`,
      ),
      countStale: db.prepare(`SELECT COUNT(*) AS n FROM games WHERE last_write_at < ? AND live = 0`),
      tombstone: db.prepare(
        `INSERT INTO deleted_games (game_id, deleted_at) VALUES (?, ?) ON CONFLICT (game_id) DO NOTHING`,
      ),
      deleteGame: [
        db.prepare(`DELETE FROM players WHERE game_id = ?`),
        db.prepare(`DELETE FROM checkpoints WHERE game_id = ?`),
        db.prepare(`DELETE FROM games WHERE game_id = ?`),
      ],
      unpurged: db.prepare(`SELECT game_id FROM deleted_games WHERE purged = 0`),
      purgeCommands: db.prepare(
        `DELETE FROM commands WHERE game_id = ? AND seq IN
           (SELECT seq FROM commands WHERE game_id = ? ORDER BY seq LIMIT ?)`,
      ),
      purged: db.prepare(`UPDATE deleted_games SET purged = 1 WHERE game_id = ?`),
      forgetDeleted: db.prepare(`DELETE FROM deleted_games WHERE purged = 1 AND deleted_at < ?`),
      deletedAt: db.prepare(`SELECT deleted_at FROM deleted_games WHERE game_id = ?`),
      saveCheckpoint: db.prepare(
        `INSERT INTO checkpoints (game_id, tick, bytes) VALUES (?, ?, ?)
         ON CONFLICT (game_id) DO UPDATE SET tick = excluded.tick, bytes = excluded.bytes`,
      ),
      latestCheckpoint: db.prepare(`SELECT tick, bytes FROM checkpoints WHERE game_id = ?`),
      list: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM games g ORDER BY created_at DESC LIMIT ?`),
      listScenario: db.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM games g WHERE scenario_id = ? ORDER BY created_at DESC LIMIT ?`,
      ),
      get: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM games g WHERE game_id = ?`),
      commands: db.prepare(`SELECT seq, tick, cmd, command_id FROM commands WHERE game_id = ? ORDER BY seq`),
      players: db.prepare(`SELECT * FROM players WHERE game_id = ?`),
      live: db.prepare(`SELECT game_id FROM games WHERE live = 1 ORDER BY created_at`),
    };
  }

  /**
   * Every write goes through here. A file or folder deleted under a running server would otherwise go on
   * taking writes into an unlinked inode (lost at the next restart), so the file is checked first and the
   * store refuses writes from then on. SQLite's own failures become typed StoreWriteErrors; a refused write
   * kept nothing (one transaction), so its caller must not acknowledge it.
   */
  private write<T>(fn: () => T): T {
    if (!this.db.inTransaction) this.checkFile();
    try {
      return fn();
    } catch (e) {
      throw this.writeError(e);
    }
  }

  private checkFile(): void {
    if (this.gone === null) {
      const now = fs.statSync(this.file, { throwIfNoEntry: false });
      if (!now) this.gone = `the game store ${this.file} was deleted (or its folder was)`;
      else if (now.ino !== this.inode) this.gone = `the game store ${this.file} was replaced by another file`;
    }
    if (this.gone !== null)
      throw new StoreWriteError('gone', `${this.gone}: nothing more can be saved; restart the server`);
  }

  private writeError(e: unknown): unknown {
    if (e instanceof StoreWriteError || e instanceof LogSequenceError) return e;
    const code = String((e as { code?: unknown }).code ?? '');
    if (code === 'SQLITE_FULL')
      return new StoreWriteError('full', `the disk of ${this.file} is full: nothing could be saved`);
    if (code.startsWith('SQLITE_READONLY_DBMOVED')) {
      this.gone = `the game store ${this.file} was moved or deleted`;
      return new StoreWriteError('gone', `${this.gone}: nothing more can be saved; restart the server`);
    }
    if (
      code.startsWith('SQLITE_IOERR') ||
      code.startsWith('SQLITE_READONLY') ||
      code.startsWith('SQLITE_CANTOPEN')
    )
      return new StoreWriteError('io', `writing ${this.file} failed (${code})`);
    return e;
  }

  createGame(g: NewGame): void {
    this.write(() => this.createGameRow(g));
  }

  private createGameRow(g: NewGame): void {
    this.stmts.createGame.run({
      gameId: g.gameId,
      roomCode: g.roomCode,
      createdAt: g.createdAt,
      scenarioId: g.header.scenario.id,
      scenarioName: g.header.scenario.name,
      header: JSON.stringify(g.header),
      teacherTokenHash: g.teacherTokenHash,
      tick: g.room.tick,
      paused: g.room.paused ? 1 : 0,
      speed: g.room.speed,
      locked: g.room.locked ? 1 : 0,
      scoresHidden: g.room.scoresHidden ? 1 : 0,
      scheduleHidden: g.room.scheduleHidden === undefined ? null : g.room.scheduleHidden ? 1 : 0,
      lastWriteAt: this.now(),
    });
  }

  /** Stamps the game as written now, unless its stamp is less than WRITE_STAMP_STEP_MS old. */
  private stamp(gameId: string): void {
    const now = this.now();
    this.stmts.stamp.run(now, gameId, now - WRITE_STAMP_STEP_MS);
  }

  appendCommands(gameId: string, firstSeq: number, entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    this.batch(() => {
      // The log continues where it ends, as in the memory store: no gap, nothing written twice.
      const length = (this.stmts.logLength.get(gameId) as { n: number }).n;
      if (firstSeq !== length) throw new LogSequenceError(gameId, length, firstSeq);
      // Several rows per statement (a group commit writes a room's purchases of a window together).
      for (let at = 0; at < entries.length; at += ROWS_PER_INSERT) {
        const rows = entries.slice(at, at + ROWS_PER_INSERT);
        const args: unknown[] = [];
        rows.forEach((e, i) =>
          args.push(gameId, firstSeq + at + i, e.tick, JSON.stringify(e.cmd), e.id ?? null),
        );
        this.appendStatement(rows.length).run(args);
      }
      this.stamp(gameId);
    });
  }

  /** The INSERT of `rows` commands, prepared once per row count (at most ROWS_PER_INSERT of them). */
  private appendStatement(rows: number): Database.Statement {
    let stmt = this.appendStatements[rows];
    if (!stmt) {
      const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ');
      stmt = this.appendStatements[rows] = this.db.prepare(
        `INSERT INTO commands (game_id, seq, tick, cmd, command_id) VALUES ${values}`,
      );
    }
    return stmt;
  }

  addPlayer(gameId: string, p: StoredPlayer): void {
    this.batch(() => {
      this.stmts.addPlayer.run(gameId, p.playerId, p.name, p.tokenHash, p.kicked ? 1 : 0);
      this.stamp(gameId);
    });
  }

  kickPlayer(gameId: string, playerId: string): void {
    this.batch(() => {
      this.stmts.kickPlayer.run(gameId, playerId);
      this.stamp(gameId);
    });
  }

  replacePlayerToken(gameId: string, playerId: string, tokenHash: string): void {
    this.batch(() => {
      this.stmts.replacePlayerToken.run(tokenHash, gameId, playerId);
      this.stamp(gameId);
    });
  }

  saveRoom(gameId: string, r: RoomSnapshot): void {
    this.write(() =>
      this.stmts.saveRoom.run(
        r.tick,
        r.paused ? 1 : 0,
        r.speed,
        r.locked ? 1 : 0,
        r.scoresHidden ? 1 : 0,
        r.scheduleHidden === undefined ? null : r.scheduleHidden ? 1 : 0,
        this.now(),
        gameId,
      ),
    );
  }

  endGame(gameId: string, end: LogEnd, endedAt: number, outcome: GameOutcome): void {
    this.write(() =>
      this.stmts.endGame.run(end.tick, end.hash, endedAt, JSON.stringify(outcome), this.now(), gameId),
    );
  }

  closeRoom(gameId: string): void {
    this.write(() => this.stmts.closeRoom.run(this.now(), gameId));
  }

  saveCheckpoint(gameId: string, tick: number, bytes: Uint8Array): void {
    const blob = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.batch(() => {
      this.stmts.saveCheckpoint.run(gameId, tick, blob);
      this.stamp(gameId);
    });
  }

  latestCheckpoint(gameId: string): StoredCheckpoint | undefined {
    const row = this.stmts.latestCheckpoint.get(gameId) as { tick: number; bytes: Buffer } | undefined;
    return row && { tick: row.tick, bytes: row.bytes };
  }

  batch<T>(fn: () => T): T {
    // Nested batches join the outer transaction.
    if (this.db.inTransaction) return fn();
    return this.write(() => this.transaction(fn));
  }

  /**
   * Runs each part (one room's writes) in its own savepoint of ONE transaction: one disk sync for them all
   * (server/storage/group-commit-store.ts). A part that throws something other than a StoreWriteError (a
   * log sequence clash, a constraint) is rolled back alone and its error returned in its place; a
   * StoreWriteError (disk full, I/O, file gone) may have rolled the whole transaction back already in
   * SQLite, so it is thrown and nothing of any part is kept. Also thrown: a failed COMMIT.
   */
  writeGroup(parts: readonly (() => void)[]): unknown[] {
    const errors: unknown[] = parts.map(() => undefined);
    this.write(() =>
      this.transaction(() => {
        parts.forEach((part, i) => {
          try {
            // Nested: better-sqlite3 makes it a savepoint.
            this.transaction(part);
          } catch (e) {
            const err = this.writeError(e);
            if (err instanceof StoreWriteError || !this.db.inTransaction) throw err;
            errors[i] = err;
          }
        });
      }),
    );
    return errors;
  }

  private summary(r: GameRow): GameSummary {
    const end = r.end_hash !== null && r.end_tick !== null ? { tick: r.end_tick, hash: r.end_hash } : null;
    const header = this.header(r);
    return {
      gameId: r.game_id,
      scenarioId: r.scenario_id,
      scenarioName: r.scenario_name,
      className: header ? classNameOf(header) : '',
      createdAt: r.created_at,
      endedAt: r.ended_at,
      live: r.live === 1,
      ended: end !== null,
      endedEarly: header !== null && endedEarly(header, end?.tick ?? null),
      players: r.players,
      commands: r.commands,
      tick: end ? end.tick : r.tick,
      end,
      outcome: r.outcome ? this.outcome(r) : null,
    };
  }

  /** The same for a damaged header: that game shows no class name and does not say it ended early. */
  private header(r: GameRow): LogHeader | null {
    try {
      return parseJson<LogHeader>(r.game_id, 'its header', r.header);
    } catch {
      return null;
    }
  }

  /** A list of games must not fail because one game's outcome is damaged: that game shows none. */
  private outcome(r: GameRow): GameOutcome | null {
    try {
      return parseJson<GameOutcome>(r.game_id, 'its outcome', r.outcome!);
    } catch {
      return null;
    }
  }

  listGames(limit = 100, scenarioId?: string): GameSummary[] {
    const rows =
      scenarioId === undefined ? this.stmts.list.all(limit) : this.stmts.listScenario.all(scenarioId, limit);
    return (rows as GameRow[]).map((r) => this.summary(r));
  }

  gameHead(gameId: string): GameHead | undefined {
    const r = this.stmts.get.get(gameId) as GameRow | undefined;
    if (!r) return undefined;
    return {
      summary: this.summary(r),
      teacherTokenHash: r.teacher_token_hash,
      header: parseJson<LogHeader>(gameId, 'its header', r.header),
    };
  }

  getGame(gameId: string): StoredGame | undefined {
    const r = this.stmts.get.get(gameId) as GameRow | undefined;
    if (!r) return undefined;
    const log = newLog(parseJson<LogHeader>(gameId, 'its header', r.header));
    const rows = this.stmts.commands.all(gameId) as {
      seq: number;
      tick: number;
      cmd: string;
      command_id: string | null;
    }[];
    log.commands = rows.map((c) => ({
      tick: c.tick,
      cmd: parseJson<LogEntry['cmd']>(gameId, `command ${c.seq}`, c.cmd),
      ...(c.command_id === null ? {} : { id: c.command_id }),
    }));
    const summary = this.summary(r);
    if (summary.end) log.end = summary.end;
    const players = this.stmts.players.all(gameId) as {
      player_id: string;
      name: string;
      token_hash: string;
      kicked: number;
    }[];
    return {
      summary,
      roomCode: r.room_code,
      teacherTokenHash: r.teacher_token_hash,
      room: {
        tick: r.tick,
        paused: r.paused === 1,
        speed: r.speed,
        locked: r.locked === 1,
        scoresHidden:
          r.scores_hidden === null ? log.header.settings.hideScores === true : r.scores_hidden === 1,
        ...(r.schedule_hidden === null ? {} : { scheduleHidden: r.schedule_hidden === 1 }),
      },
      log,
      players: players.map((p) => ({
        playerId: p.player_id,
        name: p.name,
        tokenHash: p.token_hash,
        kicked: p.kicked === 1,
      })),
    };
  }

  liveGameIds(): string[] {
    return (this.stmts.live.all() as { game_id: string }[]).map((r) => r.game_id);
  }

  deletedAt(gameId: string): number | undefined {
    return (this.stmts.deletedAt.get(gameId) as { deleted_at: number } | undefined)?.deleted_at;
  }

  /**
   * The games' rows, players and checkpoints go at once (a class and one checkpoint each); their logs,
   * up to MAX_LOG_COMMANDS rows each, are left to purgeDeleted, a few thousand rows at a time, so that a
   * sweep never holds the event loop long. The game row goes first: from then on the game reads as
   * deleted, never as a log cut short.
   */
  deleteStaleGames(before: number, open: ReadonlySet<string>, limit: number): string[] {
    const rows = this.stmts.stale.all(before, limit + open.size) as { game_id: string }[];
    const ids = rows
      .map((r) => r.game_id)
      .filter((id) => !open.has(id))
      .slice(0, limit);
    if (ids.length === 0) return ids;
    const at = this.now();
    this.batch(() => {
      for (const id of ids) {
        this.stmts.tombstone.run(id, at);
        for (const stmt of this.stmts.deleteGame) stmt.run(id);
      }
    });
    return ids;
  }

  countStaleGames(before: number): number {
    return (this.stmts.countStale.get(before) as { n: number }).n;
  }

  purgeDeleted(rows: number): number {
    return this.batch(() => {
      let left = rows;
      for (const { game_id: id } of this.stmts.unpurged.all() as { game_id: string }[]) {
        const removed = this.stmts.purgeCommands.run(id, id, left).changes;
        if (removed < left) this.stmts.purged.run(id);
        left -= removed;
        if (left === 0) break;
      }
      return rows - left;
    });
  }

  forgetDeletedBefore(before: number): void {
    this.write(() => this.stmts.forgetDeleted.run(before));
  }

  close(): void {
    this.db.close();
  }
}
