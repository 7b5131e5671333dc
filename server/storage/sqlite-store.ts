import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { LogEnd, LogEntry, LogHeader } from '../../shared/sim/game-log.ts';
import { newLog } from '../../shared/sim/game-log.ts';
import type {
  GameOutcome,
  GameStore,
  GameSummary,
  NewGame,
  RoomSnapshot,
  StoredGame,
  StoredPlayer,
} from './store.ts';

/**
 * The embedded default: one SQLite file in the data folder, in WAL mode. synchronous=NORMAL: a committed
 * write survives the process being killed (kill -9), which is what recovery promises; a power cut may
 * lose the last transactions (FULL would sync every commit, at a cost per command).
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
  end_tick INTEGER,
  end_hash TEXT,
  ended_at INTEGER,
  outcome TEXT
);
CREATE TABLE IF NOT EXISTS commands (
  game_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  tick INTEGER NOT NULL,
  cmd TEXT NOT NULL,
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
CREATE INDEX IF NOT EXISTS games_created ON games (created_at DESC);
`;

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
  end_tick: number | null;
  end_hash: string | null;
  ended_at: number | null;
  outcome: string | null;
  players: number;
  commands: number;
}

const SUMMARY_COLUMNS = `g.*, (SELECT COUNT(*) FROM players p WHERE p.game_id = g.game_id) AS players,
  (SELECT COUNT(*) FROM commands c WHERE c.game_id = g.game_id) AS commands`;

export class SqliteStore implements GameStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(dataDir: string, fileName = 'lemonscale.db') {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, fileName));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    // Data folders from before game outcomes were kept: add the column (older games show no outcome).
    const columns = this.db.prepare(`PRAGMA table_info(games)`).all() as { name: string }[];
    if (!columns.some((c) => c.name === 'outcome')) this.db.exec(`ALTER TABLE games ADD COLUMN outcome TEXT`);
    const db = this.db;
    this.stmts = {
      createGame: db.prepare(
        `INSERT INTO games (game_id, room_code, created_at, scenario_id, scenario_name, header, teacher_token_hash, tick, paused, speed, locked)
         VALUES (@gameId, @roomCode, @createdAt, @scenarioId, @scenarioName, @header, @teacherTokenHash, @tick, @paused, @speed, @locked)`,
      ),
      appendCommand: db.prepare(`INSERT INTO commands (game_id, seq, tick, cmd) VALUES (?, ?, ?, ?)`),
      addPlayer: db.prepare(
        `INSERT INTO players (game_id, player_id, name, token_hash, kicked) VALUES (?, ?, ?, ?, ?)`,
      ),
      kickPlayer: db.prepare(`UPDATE players SET kicked = 1 WHERE game_id = ? AND player_id = ?`),
      saveRoom: db.prepare(`UPDATE games SET tick = ?, paused = ?, speed = ?, locked = ? WHERE game_id = ?`),
      endGame: db.prepare(
        `UPDATE games SET end_tick = ?, end_hash = ?, ended_at = ?, outcome = ? WHERE game_id = ?`,
      ),
      closeRoom: db.prepare(`UPDATE games SET live = 0 WHERE game_id = ?`),
      list: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM games g ORDER BY created_at DESC LIMIT ?`),
      listScenario: db.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM games g WHERE scenario_id = ? ORDER BY created_at DESC LIMIT ?`,
      ),
      get: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM games g WHERE game_id = ?`),
      commands: db.prepare(`SELECT seq, tick, cmd FROM commands WHERE game_id = ? ORDER BY seq`),
      players: db.prepare(`SELECT * FROM players WHERE game_id = ?`),
      live: db.prepare(`SELECT game_id FROM games WHERE live = 1 ORDER BY created_at`),
    };
  }

  createGame(g: NewGame): void {
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
    });
  }

  appendCommands(gameId: string, firstSeq: number, entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    this.batch(() => {
      // The primary key (game_id, seq) refuses a gap-free sequence being written twice.
      entries.forEach((e, i) =>
        this.stmts.appendCommand.run(gameId, firstSeq + i, e.tick, JSON.stringify(e.cmd)),
      );
    });
  }

  addPlayer(gameId: string, p: StoredPlayer): void {
    this.stmts.addPlayer.run(gameId, p.playerId, p.name, p.tokenHash, p.kicked ? 1 : 0);
  }

  kickPlayer(gameId: string, playerId: string): void {
    this.stmts.kickPlayer.run(gameId, playerId);
  }

  saveRoom(gameId: string, r: RoomSnapshot): void {
    this.stmts.saveRoom.run(r.tick, r.paused ? 1 : 0, r.speed, r.locked ? 1 : 0, gameId);
  }

  endGame(gameId: string, end: LogEnd, endedAt: number, outcome: GameOutcome): void {
    this.stmts.endGame.run(end.tick, end.hash, endedAt, JSON.stringify(outcome), gameId);
  }

  closeRoom(gameId: string): void {
    this.stmts.closeRoom.run(gameId);
  }

  batch<T>(fn: () => T): T {
    // Nested batches join the outer transaction.
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn)();
  }

  private summary(r: GameRow): GameSummary {
    const end = r.end_hash !== null && r.end_tick !== null ? { tick: r.end_tick, hash: r.end_hash } : null;
    return {
      gameId: r.game_id,
      scenarioId: r.scenario_id,
      scenarioName: r.scenario_name,
      createdAt: r.created_at,
      endedAt: r.ended_at,
      live: r.live === 1,
      ended: end !== null,
      players: r.players,
      commands: r.commands,
      tick: end ? end.tick : r.tick,
      end,
      outcome: r.outcome ? (JSON.parse(r.outcome) as GameOutcome) : null,
    };
  }

  listGames(limit = 100, scenarioId?: string): GameSummary[] {
    const rows =
      scenarioId === undefined ? this.stmts.list.all(limit) : this.stmts.listScenario.all(scenarioId, limit);
    return (rows as GameRow[]).map((r) => this.summary(r));
  }

  getGame(gameId: string): StoredGame | undefined {
    const r = this.stmts.get.get(gameId) as GameRow | undefined;
    if (!r) return undefined;
    const log = newLog(JSON.parse(r.header) as LogHeader);
    const rows = this.stmts.commands.all(gameId) as { seq: number; tick: number; cmd: string }[];
    log.commands = rows.map((c) => ({ tick: c.tick, cmd: JSON.parse(c.cmd) as LogEntry['cmd'] }));
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
      room: { tick: r.tick, paused: r.paused === 1, speed: r.speed, locked: r.locked === 1 },
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

  close(): void {
    this.db.close();
  }
}
