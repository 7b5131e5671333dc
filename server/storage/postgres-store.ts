import pg from 'pg';
import type { GameLog, LogEnd, LogEntry, LogHeader } from '../../shared/sim/game-log.ts';
import { LOG_FORMAT, LOG_VERSION } from '../../shared/sim/game-log.ts';
import { classNameOf, endedEarly } from '../../shared/sim/game-label.ts';
import type {
  GameOutcome,
  GameSummary,
  NewGame,
  RoomSnapshot,
  StoredCheckpoint,
  GameHead,
  StoredGame,
  StoredPlayer,
} from './store.ts';
import { RoomCodeTakenError } from './postgres-errors.ts';
import { inSnapshot, inTransaction, onOwnClient } from './postgres-transaction.ts';

/**
 * A room's failures are forgotten a day after the last one: a room that failed once a week for months is
 * not closed for it, one failing in a loop is.
 */
const FAILURES_FORGOTTEN_AFTER = '1 day';

/**
 * Log rows a sweep step deletes at most, with its games, in one transaction (one game's whole log at
 * least: up to MAX_LOG_COMMANDS): a step of many long games would hold a transaction, and a stopping
 * process's sweep, for seconds.
 */
const LOG_ROWS_PER_DELETE = 20_000;

/** The sweep's index (migration 4 leaves it to prepareSweep, which builds it CONCURRENTLY). */
const SWEEP_INDEX = 'games_closed_last_write';
/** Any fixed number: names "building the sweep's index" among PostgreSQL's advisory locks. */
const SWEEP_INDEX_LOCK = 0x1e3051;

/** PostgreSQL's code for a unique violation. */
const UNIQUE_VIOLATION = '23505';

/** A game as the cluster lists it (any process, from the database). */
export interface ClusterGameSummary {
  gameId: string;
  roomCode: string;
  scenarioId: string;
  createdAt: number;
  endedAt: number | null;
  live: boolean;
  commands: number;
  epoch: number;
}

/**
 * The cluster's game store in PostgreSQL: games, players and the command log, read by any process.
 * Asynchronous, unlike the embedded GameStore: appends of the command log go through AppendBatch (one
 * transaction per tick for all the rooms a process owns, fenced by epoch); this class holds the rest.
 */
export class PostgresStore {
  /** `now`: the clock of the games' last-write stamps and tombstones (tests pass a fake one). */
  constructor(
    readonly pool: pg.Pool,
    private readonly now: () => number = Date.now,
    /** Log rows one sweep step deletes at most (one game's whole log at least; tests pass a small one). */
    private readonly logRowsPerDelete = LOG_ROWS_PER_DELETE,
  ) {}

  /** The sweep's index was found built (prepareSweep looks no more). */
  private sweepIndexReady = false;

  /**
   * A new game with its first players (and first log entries: the bots' joins), fenced from the start at
   * `epoch` (the lease its creator took before writing); refused with RoomCodeTakenError if an open room
   * has its code.
   */
  async createGame(
    game: NewGame,
    players: readonly StoredPlayer[] = [],
    opts: { epoch?: number; commands?: readonly LogEntry[] } = {},
  ): Promise<void> {
    try {
      await inTransaction(this.pool, async (client) => {
        await client.query(
          `INSERT INTO games (game_id, room_code, created_at, header, teacher_token_hash, room, epoch, last_write_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            game.gameId,
            game.roomCode,
            game.createdAt,
            JSON.stringify(game.header),
            game.teacherTokenHash,
            JSON.stringify(game.room),
            opts.epoch ?? 0,
            this.now(),
          ],
        );
        for (const p of players) await insertPlayer(client, game.gameId, p);
        const commands = opts.commands ?? [];
        if (commands.length > 0)
          await client.query(
            `INSERT INTO game_commands (game_id, seq, entry, epoch)
             SELECT $1, s - 1, e, $3 FROM unnest($2::json[]) WITH ORDINALITY AS t(e, s)`,
            [game.gameId, commands.map((c) => JSON.stringify(c)), opts.epoch ?? 0],
          );
      });
    } catch (e) {
      if (
        e instanceof pg.DatabaseError &&
        e.code === UNIQUE_VIOLATION &&
        e.constraint === 'games_live_room_code'
      )
        throw new RoomCodeTakenError(game.roomCode);
      throw e;
    }
  }

  /**
   * Raises the game's fence to `epoch` (a lease just taken): from this commit on, appends under any lower
   * epoch are refused. False when the game is already at this epoch or past it (another owner is newer),
   * closed (a room that ended gives its lease back too: nobody may take it over), or unknown. The new owner
   * claims before it reads the log, so no older owner's append can follow its read.
   */
  async claim(gameId: string, epoch: number): Promise<boolean> {
    const r = await this.pool.query(
      'UPDATE games SET epoch = $2 WHERE game_id = $1 AND epoch < $2 AND live',
      [gameId, epoch],
    );
    return r.rowCount === 1;
  }

  /**
   * Counts one more time the game's room stopped with an unexpected error (ClusterRooms); a count whose
   * last failure is older than FAILURES_FORGOTTEN_AFTER starts again at 1. Returns the count.
   */
  async recordFailure(gameId: string): Promise<number> {
    const r = await this.pool.query<{ failures: number }>(
      `UPDATE games SET
         failures = CASE WHEN last_failure_at > now() - $2::interval THEN failures + 1 ELSE 1 END,
         last_failure_at = now()
       WHERE game_id = $1 RETURNING failures`,
      [gameId, FAILURES_FORGOTTEN_AFTER],
    );
    return r.rows[0]?.failures ?? 0;
  }

  /** How many times the game's room failed (recordFailure), not counting failures forgotten since. */
  async failures(gameId: string): Promise<number> {
    const r = await this.pool.query<{ failures: number }>(
      `SELECT CASE WHEN last_failure_at > now() - $2::interval THEN failures ELSE 0 END AS failures
       FROM games WHERE game_id = $1`,
      [gameId, FAILURES_FORGOTTEN_AFTER],
    );
    return r.rows[0]?.failures ?? 0;
  }

  /** The game's fence (the highest epoch claimed), or null for an unknown game. */
  async epochOf(gameId: string): Promise<number | null> {
    const r = await this.pool.query<{ epoch: string }>('SELECT epoch FROM games WHERE game_id = $1', [
      gameId,
    ]);
    return r.rows.length === 0 ? null : Number(r.rows[0]!.epoch);
  }

  async addPlayer(gameId: string, p: StoredPlayer): Promise<void> {
    await insertPlayer(this.pool, gameId, p);
  }

  async saveRoom(gameId: string, room: RoomSnapshot): Promise<void> {
    await this.pool.query('UPDATE games SET room = $2, last_write_at = $3 WHERE game_id = $1', [
      gameId,
      JSON.stringify(room),
      this.now(),
    ]);
  }

  async endGame(gameId: string, end: LogEnd, endedAt: number, outcome: GameOutcome): Promise<void> {
    await this.pool.query(
      'UPDATE games SET log_end = $2, ended_at = $3, outcome = $4, last_write_at = $5 WHERE game_id = $1',
      [gameId, JSON.stringify(end), endedAt, JSON.stringify(outcome), this.now()],
    );
  }

  /** The room closed: its log stays, its code is free again, and no process takes it over. */
  async closeRoom(gameId: string): Promise<void> {
    await this.pool.query('UPDATE games SET live = false, last_write_at = $2 WHERE game_id = $1', [
      gameId,
      this.now(),
    ]);
  }

  /**
   * Every process of a cluster sweeps: each batch is one transaction that locks the games it deletes
   * and skips those another process's sweep holds (SKIP LOCKED), and deleting a game already gone does
   * nothing, so sweeps running together delete each game once. A game whose room is open anywhere in
   * the cluster (`live`) is never taken: a room is taken over only while live, so none comes back.
   * PostgreSQL deletes the rows, logs included, off this process's event loop.
   */
  async deleteStaleGames(before: number, open: ReadonlySet<string>, limit: number): Promise<string[]> {
    return inTransaction(this.pool, async (client) => {
      const r = await client.query<{ game_id: string; commands: number }>(
        `SELECT g.game_id, ${COMMANDS_COLUMN} FROM games g
          WHERE NOT g.live AND g.last_write_at < $1 AND NOT (g.game_id = ANY($2))
          ORDER BY g.last_write_at LIMIT $3 FOR UPDATE OF g SKIP LOCKED`,
        [before, [...open], limit],
      );
      // As many as fit in logRowsPerDelete rows of logs (the first whatever its length); the others'
      // locks go at COMMIT, for the next step.
      const ids: string[] = [];
      let rows = 0;
      for (const g of r.rows) {
        if (ids.length > 0 && rows + g.commands > this.logRowsPerDelete) break;
        ids.push(g.game_id);
        rows += g.commands;
      }
      if (ids.length === 0) return ids;
      await client.query(
        `INSERT INTO deleted_games (game_id, deleted_at) SELECT unnest($1::text[]), $2
         ON CONFLICT (game_id) DO NOTHING`,
        [ids, this.now()],
      );
      for (const table of ['game_commands', 'game_players', 'game_checkpoints', 'games'])
        await client.query(`DELETE FROM ${table} WHERE game_id = ANY($1)`, [ids]);
      return ids;
    });
  }

  /**
   * Builds the sweep's index if it is missing (or left invalid by a build that stopped), CONCURRENTLY: the
   * old processes of a side-by-side upgrade keep appending meanwhile, where a plain CREATE INDEX in the
   * migration held them for seconds on a big table. One process builds it (a try-lock: the others sweep
   * without it meanwhile, only slower); a build that fails is tried again at the next sweep.
   */
  async prepareSweep(): Promise<void> {
    if (this.sweepIndexReady) return;
    const valid = async (q: Pick<pg.Pool, 'query'>) =>
      (
        await q.query<{ indisvalid: boolean }>(
          'SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)',
          [SWEEP_INDEX],
        )
      ).rows[0]?.indisvalid;
    if ((await valid(this.pool)) === true) {
      this.sweepIndexReady = true;
      return;
    }
    await onOwnClient(this.pool, async (client) => {
      const got = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [
        SWEEP_INDEX_LOCK,
      ]);
      if (!got.rows[0]!.got) return;
      try {
        const now = await valid(client);
        if (now === true) return;
        if (now === false) await client.query(`DROP INDEX CONCURRENTLY ${SWEEP_INDEX}`);
        // Only closed rooms' games are ever deleted.
        await client.query(
          `CREATE INDEX CONCURRENTLY ${SWEEP_INDEX} ON games (last_write_at) WHERE NOT live`,
        );
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SWEEP_INDEX_LOCK]);
      }
    });
  }

  /**
   * Stamps up to `rows` games from before migration 4 (no last-write stamp) from their end or, never
   * ended, their creation; returns how many. A short transaction each, skipping rows locked by writes.
   */
  async fillWriteStamps(rows: number): Promise<number> {
    const r = await this.pool.query(
      `UPDATE games SET last_write_at = COALESCE(ended_at, created_at)
        WHERE game_id IN (SELECT game_id FROM games WHERE last_write_at IS NULL LIMIT $1 FOR UPDATE SKIP LOCKED)`,
      [rows],
    );
    return r.rowCount ?? 0;
  }

  /** Games from before the stamps counted as the sweep will stamp them (fillWriteStamps). */
  async countStaleGames(before: number): Promise<number> {
    const r = await this.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM games WHERE NOT live AND COALESCE(last_write_at, ended_at, created_at) < $1',
      [before],
    );
    return r.rows[0]!.n;
  }

  /** Nothing is left behind: a batch deletes its games' logs too. */
  purgeDeleted(): Promise<number> {
    return Promise.resolve(0);
  }

  async forgetDeletedBefore(before: number): Promise<void> {
    await this.pool.query('DELETE FROM deleted_games WHERE deleted_at < $1', [before]);
  }

  async deletedAt(gameId: string): Promise<number | undefined> {
    const r = await this.pool.query<{ deleted_at: string }>(
      'SELECT deleted_at FROM deleted_games WHERE game_id = $1',
      [gameId],
    );
    return r.rows.length === 0 ? undefined : Number(r.rows[0]!.deleted_at);
  }

  /**
   * The game's whole log (header, commands in order, end): what a download or a takeover reads. The row
   * and the commands are read in one snapshot: a game ending meanwhile reads as it was, and one the
   * retention sweep of another process deletes meanwhile reads whole, never as a log with no commands.
   */
  readLog(gameId: string): Promise<GameLog | undefined> {
    return inSnapshot(this.pool, (client) => readLogWith(client, gameId));
  }

  players(gameId: string): Promise<StoredPlayer[]> {
    return playersWith(this.pool, gameId);
  }

  /** Newest first, across every process's rooms. */
  async listGames(limit = 50): Promise<ClusterGameSummary[]> {
    const r = await this.pool.query<{
      game_id: string;
      room_code: string;
      scenario_id: string;
      created_at: string;
      ended_at: string | null;
      live: boolean;
      commands: number;
      epoch: string;
    }>(
      `SELECT g.game_id, g.room_code, g.header->'scenario'->>'id' AS scenario_id, g.created_at, g.ended_at,
              g.live, g.epoch, ${COMMANDS_COLUMN}
         FROM games g ORDER BY g.created_at DESC, g.game_id LIMIT $1`,
      [limit],
    );
    return r.rows.map((g) => ({
      gameId: g.game_id,
      roomCode: g.room_code,
      scenarioId: g.scenario_id,
      createdAt: Number(g.created_at),
      endedAt: g.ended_at === null ? null : Number(g.ended_at),
      live: g.live,
      commands: g.commands,
      epoch: Number(g.epoch),
    }));
  }

  /**
   * The game as a room is rebuilt from it (a takeover) or a download reads it, or undefined for an unknown
   * game. Row, log and players in one snapshot (in turn, on one connection): the log holds what the row
   * says (an ended game's end), and a game another process's sweep deletes meanwhile reads whole.
   */
  async loadGame(gameId: string): Promise<StoredGame | undefined> {
    return inSnapshot(this.pool, async (client) => {
      const r = await client.query<
        SummaryRow & { room_code: string; teacher_token_hash: string; room: RoomSnapshot }
      >(
        `SELECT ${SUMMARY_COLUMNS}, g.room_code, g.teacher_token_hash, g.room FROM games g WHERE g.game_id = $1`,
        [gameId],
      );
      const row = r.rows[0];
      if (!row) return undefined;
      const log = await readLogWith(client, gameId);
      if (!log) return undefined;
      return {
        summary: summaryOf(row),
        roomCode: row.room_code,
        teacherTokenHash: row.teacher_token_hash,
        room: row.room,
        log,
        players: await playersWith(client, gameId),
      };
    });
  }

  /** A game's row without its log (the REST layer's access check and details). */
  async gameHead(gameId: string): Promise<GameHead | undefined> {
    const r = await this.pool.query<SummaryRow & { teacher_token_hash: string }>(
      `SELECT ${SUMMARY_COLUMNS}, g.teacher_token_hash FROM games g WHERE g.game_id = $1`,
      [gameId],
    );
    const row = r.rows[0];
    return row && { summary: summaryOf(row), teacherTokenHash: row.teacher_token_hash, header: row.header };
  }

  async latestCheckpoint(gameId: string): Promise<StoredCheckpoint | undefined> {
    const r = await this.pool.query<{ tick: number; bytes: Buffer }>(
      'SELECT tick, bytes FROM game_checkpoints WHERE game_id = $1',
      [gameId],
    );
    const c = r.rows[0];
    return c && { tick: c.tick, bytes: new Uint8Array(c.bytes) };
  }

  /** The games as the REST layer lists them (the same summaries the embedded stores give), newest first. */
  async summaries(limit = 100, scenarioId?: string): Promise<GameSummary[]> {
    const r = await this.pool.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM games g
        WHERE $2::text IS NULL OR g.header->'scenario'->>'id' = $2
        ORDER BY g.created_at DESC, g.game_id LIMIT $1`,
      [limit, scenarioId ?? null],
    );
    return r.rows.map(summaryOf);
  }

  /** Open rooms: those a process takes over when their owner's lease lapses. */
  async liveGameIds(): Promise<string[]> {
    const r = await this.pool.query<{ game_id: string }>(
      'SELECT game_id FROM games WHERE live ORDER BY game_id',
    );
    return r.rows.map((g) => g.game_id);
  }
}

/**
 * A game's log length: its last seq + 1 (an owner writes its log without gaps, from where it ends), one
 * step down the primary key however long the game, where count(*) walked every command.
 */
const COMMANDS_COLUMN = `COALESCE((SELECT c.seq + 1 FROM game_commands c WHERE c.game_id = g.game_id
  ORDER BY c.seq DESC LIMIT 1), 0) AS commands`;

/** A game's summary: its row, its log length and its players (a class at most). */
const SUMMARY_COLUMNS = `g.game_id, g.header, g.created_at, g.ended_at, g.live, g.log_end, g.outcome,
  g.room->>'tick' AS tick,
  (SELECT count(*)::int FROM game_players p WHERE p.game_id = g.game_id) AS players,
  ${COMMANDS_COLUMN}`;

interface SummaryRow {
  game_id: string;
  header: LogHeader;
  created_at: string;
  ended_at: string | null;
  live: boolean;
  log_end: LogEnd | null;
  outcome: GameOutcome | null;
  tick: string | null;
  players: number;
  commands: number;
}

function summaryOf(r: SummaryRow): GameSummary {
  const end = r.log_end;
  return {
    gameId: r.game_id,
    scenarioId: r.header.scenario.id,
    scenarioName: r.header.scenario.name,
    className: classNameOf(r.header),
    createdAt: Number(r.created_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
    live: r.live,
    ended: end !== null,
    endedEarly: endedEarly(r.header, end?.tick ?? null),
    players: r.players,
    commands: r.commands,
    tick: end ? end.tick : Number(r.tick ?? 0),
    end,
    outcome: r.outcome,
  };
}

function insertPlayer(q: pg.Pool | pg.PoolClient, gameId: string, p: StoredPlayer): Promise<pg.QueryResult> {
  return q.query(
    `INSERT INTO game_players (game_id, player_id, name, token_hash, kicked) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (game_id, player_id) DO UPDATE SET name = $3, token_hash = $4, kicked = $5`,
    [gameId, p.playerId, p.name, p.tokenHash, p.kicked],
  );
}

/** A pool or a client in a transaction: what the reads below run on. */
type Queryable = Pick<pg.Pool, 'query'>;

/** The game's log as `q` sees it (one snapshot: see PostgresStore.readLog). */
async function readLogWith(q: Queryable, gameId: string): Promise<GameLog | undefined> {
  const g = await q.query<{ header: LogHeader; log_end: LogEnd | null }>(
    'SELECT header, log_end FROM games WHERE game_id = $1',
    [gameId],
  );
  if (g.rows.length === 0) return undefined;
  const c = await q.query<{ entry: LogEntry }>(
    'SELECT entry FROM game_commands WHERE game_id = $1 ORDER BY seq',
    [gameId],
  );
  const row = g.rows[0]!;
  const log: GameLog = {
    format: LOG_FORMAT,
    version: LOG_VERSION,
    header: row.header,
    commands: c.rows.map((r) => r.entry),
  };
  if (row.log_end) log.end = row.log_end;
  return log;
}

async function playersWith(q: Queryable, gameId: string): Promise<StoredPlayer[]> {
  const r = await q.query<{ player_id: string; name: string; token_hash: string; kicked: boolean }>(
    'SELECT player_id, name, token_hash, kicked FROM game_players WHERE game_id = $1 ORDER BY player_id',
    [gameId],
  );
  return r.rows.map((p) => ({
    playerId: p.player_id,
    name: p.name,
    tokenHash: p.token_hash,
    kicked: p.kicked,
  }));
}
