import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import type { LogEntry } from '../../shared/sim/game-log.ts';
import { createLogger } from '../../server/logging.ts';
import { DAY_MS, GameRetention, SWEEP_EVERY_MS } from '../../server/storage/game-retention.ts';
import { MemoryStore } from '../../server/storage/memory-store.ts';
import { SqliteStore } from '../../server/storage/sqlite-store.ts';
import { MIGRATIONS, migrate } from '../../server/storage/postgres-migrations.ts';
import { PostgresStore } from '../../server/storage/postgres-store.ts';
import { AppendBatch } from '../../server/storage/postgres-append-batch.ts';
import type { GameDeletion, GameOutcome, GameStore, NewGame } from '../../server/storage/store.ts';
import { TEST_DATABASE_URL, testServices, type TestServices } from './cluster-services.ts';

// GAME_RETENTION_DAYS in every store, on a fake clock: a game not open in any room and not written for
// that long goes with everything kept of it (a tombstone stays); a recent one, one whose room is open
// and one written lately stay.

const DAYS = 400;
const START = Date.UTC(2026, 0, 5);
const header = { scenario: builtInScenario('fail-whale')!, seed: 3, settings: {} };
const outcome: GameOutcome = { players: 1, medianProfit: 0, strategies: [], top: [] };
const entries = (n: number, from = 0): LogEntry[] =>
  Array.from({ length: n }, (_, i) => ({ tick: from + i, cmd: { type: 'start' } }) as LogEntry);

/** A hand-advanced wall clock. */
function fakeClock() {
  const c = { t: START, now: () => c.t, day: (d: number) => (c.t = START + d * DAY_MS) };
  return c;
}

function newGame(gameId: string, createdAt: number): NewGame {
  return {
    gameId,
    roomCode: gameId.slice(-5).toUpperCase(),
    createdAt,
    header,
    teacherTokenHash: 'teacher-hash',
    room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
  };
}

function sweeper(store: GameDeletion, clock: { now: () => number }, open: string[] = []) {
  const logger = createLogger('silent');
  const info = vi.spyOn(logger, 'info');
  const deleted: string[] = [];
  const retention = new GameRetention(DAYS, {
    store,
    open: () => new Set(open),
    now: clock.now,
    logger,
    onDeleted: (ids) => deleted.push(...ids),
  });
  return { retention, info, deleted };
}

const OLD = 'a0a0a0a0a0a0a0a0';
const RECENT = 'b1b1b1b1b1b1b1b1';
const OPEN = 'c2c2c2c2c2c2c2c2';
const WRITTEN = 'd3d3d3d3d3d3d3d3';
const LONG = 'e4e4e4e4e4e4e4e4';

/**
 * Day 0: OLD is played, ended and closed; LONG (5,000 commands) too; OPEN's room opens; WRITTEN is played
 * and its room stays open. Day 300: RECENT is played and ended. Day 399: WRITTEN gets a command. Day 401:
 * the sweep.
 */
function playEmbedded(store: GameStore, clock: ReturnType<typeof fakeClock>): void {
  for (const id of [OLD, LONG, OPEN, WRITTEN]) store.createGame(newGame(id, clock.t));
  for (const id of [OLD, LONG]) {
    store.addPlayer(id, { playerId: 'p1', name: 'Ada', tokenHash: 'h', kicked: false });
    store.saveCheckpoint(id, 50, new Uint8Array([1, 2, 3]));
  }
  store.appendCommands(OLD, 0, entries(3));
  store.appendCommands(LONG, 0, entries(5000));
  for (const id of [OLD, LONG]) {
    store.endGame(id, { tick: 9, hash: '00' }, clock.t, outcome);
    store.closeRoom(id);
  }
  store.appendCommands(WRITTEN, 0, entries(1));
  clock.day(300);
  store.createGame(newGame(RECENT, clock.t));
  store.endGame(RECENT, { tick: 9, hash: '00' }, clock.t, outcome);
  store.closeRoom(RECENT);
  clock.day(399);
  store.appendCommands(WRITTEN, 1, entries(1, 1));
  clock.day(401);
}

function expectSwept(store: GameStore, clock: ReturnType<typeof fakeClock>): void {
  for (const id of [OLD, LONG]) {
    expect(store.getGame(id)).toBeUndefined();
    expect(store.gameHead(id)).toBeUndefined();
    expect(store.latestCheckpoint(id)).toBeUndefined();
    expect(store.deletedAt(id)).toBe(clock.t);
  }
  expect(new Set(store.listGames(10).map((g) => g.gameId))).toEqual(new Set([RECENT, OPEN, WRITTEN]));
  for (const id of [RECENT, OPEN, WRITTEN]) {
    expect(store.getGame(id)).toBeDefined();
    expect(store.deletedAt(id)).toBeUndefined();
  }
  expect(store.getGame(WRITTEN)!.log.commands).toHaveLength(2);
}

describe('the retention sweep, embedded stores', () => {
  it('memory: an old ended game goes; a recent one, an open room and one written lately stay', async () => {
    const clock = fakeClock();
    const store = new MemoryStore({ now: clock.now });
    playEmbedded(store, clock);
    const { retention, info, deleted } = sweeper(store, clock, [OPEN]);
    expect(await retention.sweep()).toBe(2);
    expect(deleted.sort()).toEqual([OLD, LONG]);
    expectSwept(store, clock);
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0]![1]).toBe('deleted 2 games not played for 400 days');
    // A sweep that finds nothing says nothing.
    expect(await retention.sweep()).toBe(0);
    expect(info).toHaveBeenCalledTimes(1);
    // The tombstones are kept as long as the games were, then forgotten.
    clock.day(802);
    await retention.sweep();
    expect(store.deletedAt(OLD)).toBeUndefined();
  });

  it('sqlite: the same, every row of the games gone, the long log in steps', async () => {
    const clock = fakeClock();
    const dir = mkdtempSync(join(tmpdir(), 'lemonscale-retention-'));
    const store = new SqliteStore(dir, { now: clock.now, synchronous: 'NORMAL' });
    try {
      playEmbedded(store, clock);
      const { retention, info } = sweeper(store, clock, [OPEN]);
      const purge = vi.spyOn(store, 'purgeDeleted');
      expect(await retention.sweep()).toBe(2);
      expectSwept(store, clock);
      // 5,003 rows of logs: three steps of 2,000 at most.
      expect(purge.mock.calls.length).toBeGreaterThanOrEqual(3);
      const raw = new Database(join(dir, 'lemonscale.db'), { readonly: true });
      for (const table of ['games', 'commands', 'players', 'checkpoints']) {
        const n = raw
          .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE game_id IN (?, ?)`)
          .get(OLD, LONG) as {
          n: number;
        };
        expect(n.n, table).toBe(0);
      }
      raw.close();
      expect(info).toHaveBeenCalledTimes(1);
    } finally {
      store.close();
    }
  });

  it('sqlite: a sweep stopped half way (rows of a deleted log left) is finished by the next one', async () => {
    const clock = fakeClock();
    const dir = mkdtempSync(join(tmpdir(), 'lemonscale-retention-'));
    const store = new SqliteStore(dir, { now: clock.now, synchronous: 'NORMAL' });
    try {
      store.createGame(newGame(LONG, clock.t));
      store.appendCommands(LONG, 0, entries(2500));
      store.closeRoom(LONG);
      clock.day(401);
      // The game's row went, its log did not (the process stopped there).
      expect(store.deleteStaleGames(clock.t - DAYS * DAY_MS, new Set(), 20)).toEqual([LONG]);
      expect(store.getGame(LONG)).toBeUndefined();
      const { retention } = sweeper(store, clock);
      expect(await retention.sweep()).toBe(0);
      const raw = new Database(join(dir, 'lemonscale.db'), { readonly: true });
      expect(raw.prepare('SELECT COUNT(*) AS n FROM commands').get()).toEqual({ n: 0 });
      raw.close();
    } finally {
      store.close();
    }
  });
});

describe('the first sweep after a start', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs an hour after it, not at once; the start says how many games it will delete, when, and how to keep them', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const clock = fakeClock();
    const store = new MemoryStore({ now: clock.now });
    store.createGame(newGame(OLD, clock.t));
    store.closeRoom(OLD);
    clock.day(401);
    const logger = createLogger('silent');
    const warn = vi.spyOn(logger, 'warn');
    let deleted!: (ids: readonly string[]) => void;
    const swept = new Promise<readonly string[]>((resolve) => (deleted = resolve));
    const retention = new GameRetention(DAYS, {
      store,
      open: () => new Set(),
      now: clock.now,
      logger,
      onDeleted: (ids) => deleted(ids),
    });
    await retention.start();
    expect(warn).toHaveBeenCalledWith(
      { retentionDays: DAYS, gamesDue: 1, firstSweepAt: '2027-02-10T01:00:00.000Z' },
      '1 game not played for 400 days will be deleted from 2027-02-10 01:00 UTC (GAME_RETENTION_DAYS); ' +
        'set GAME_RETENTION_DAYS=keep and restart before then to keep them',
    );
    vi.advanceTimersByTime(SWEEP_EVERY_MS - 1);
    await Promise.resolve();
    expect(store.getGame(OLD)).toBeDefined();
    vi.advanceTimersByTime(1);
    expect(await swept).toEqual([OLD]);
    expect(store.getGame(OLD)).toBeUndefined();
    await retention.stop();
  });
});

describe('the retention sweep leaves a live game whose room is not open here', () => {
  // A room whose code was taken when the server came back is not recovered (room-registry.ts): its game is
  // still live, open in no room, and may be as old as it likes.
  for (const [name, open] of [
    ['memory', (clock: ReturnType<typeof fakeClock>) => new MemoryStore({ now: clock.now })],
    [
      'sqlite',
      (clock: ReturnType<typeof fakeClock>) =>
        new SqliteStore(mkdtempSync(join(tmpdir(), 'lemonscale-retention-')), {
          now: clock.now,
          synchronous: 'NORMAL',
        }),
    ],
  ] as const)
    it(name, async () => {
      const clock = fakeClock();
      const store = open(clock);
      try {
        store.createGame(newGame(OPEN, clock.t));
        store.createGame(newGame(OLD, clock.t));
        store.closeRoom(OLD);
        clock.day(401);
        const { retention } = sweeper(store, clock, []);
        expect(await retention.sweep()).toBe(1);
        expect(store.getGame(OPEN)).toBeDefined();
        expect(store.liveGameIds()).toEqual([OPEN]);
      } finally {
        store.close();
      }
    });
});

describe('the retention sweep, a SQLite file from before it', () => {
  it('counts an old game from its end, or its creation when it never ended', async () => {
    const clock = fakeClock();
    const dir = mkdtempSync(join(tmpdir(), 'lemonscale-retention-'));
    const old = new Database(join(dir, 'lemonscale.db'));
    old.exec(`CREATE TABLE games (game_id TEXT PRIMARY KEY, room_code TEXT NOT NULL, created_at INTEGER NOT NULL,
      scenario_id TEXT NOT NULL, scenario_name TEXT NOT NULL, header TEXT NOT NULL, teacher_token_hash TEXT NOT NULL,
      live INTEGER NOT NULL DEFAULT 1, tick INTEGER NOT NULL DEFAULT 0, paused INTEGER NOT NULL DEFAULT 0,
      speed REAL NOT NULL DEFAULT 1, locked INTEGER NOT NULL DEFAULT 0, end_tick INTEGER, end_hash TEXT,
      ended_at INTEGER, outcome TEXT)`);
    const row = old.prepare(
      `INSERT INTO games (game_id, room_code, created_at, scenario_id, scenario_name, header, teacher_token_hash, live, ended_at)
       VALUES (?, 'ABCDE', ?, 'fail-whale', 'Fail Whale', ?, 'h', 0, ?)`,
    );
    const day = (d: number) => START + d * DAY_MS;
    // Created on day 0: one ended that day, one ended on day 100, one that never ended.
    row.run(OLD, day(0), JSON.stringify(header), day(0));
    row.run(RECENT, day(0), JSON.stringify(header), day(100));
    row.run(WRITTEN, day(0), JSON.stringify(header), null);
    old.close();
    clock.day(401);
    const store = new SqliteStore(dir, { now: clock.now, synchronous: 'NORMAL' });
    try {
      const { retention } = sweeper(store, clock);
      expect(await retention.sweep()).toBe(2);
      expect(store.listGames(10).map((g) => g.gameId)).toEqual([RECENT]);
    } finally {
      store.close();
    }
  });

  it('stamps, at every open, games an older binary created in the file since (no stamp: never swept)', async () => {
    const clock = fakeClock();
    const dir = mkdtempSync(join(tmpdir(), 'lemonscale-retention-'));
    new SqliteStore(dir, { now: clock.now, synchronous: 'NORMAL' }).close();
    // An older version, run again on this file, creates a game the way it knows: no last_write_at.
    const older = new Database(join(dir, 'lemonscale.db'));
    older
      .prepare(
        `INSERT INTO games (game_id, room_code, created_at, scenario_id, scenario_name, header, teacher_token_hash, live, ended_at)
         VALUES (?, 'ABCDE', ?, 'fail-whale', 'Fail Whale', ?, 'h', 0, ?)`,
      )
      .run(OLD, clock.t, JSON.stringify(header), clock.t);
    older.close();
    clock.day(401);
    const store = new SqliteStore(dir, { now: clock.now, synchronous: 'NORMAL' });
    try {
      const { retention } = sweeper(store, clock);
      expect(await retention.sweep()).toBe(1);
      expect(store.getGame(OLD)).toBeUndefined();
    } finally {
      store.close();
    }
  });
});

/** PostgreSQL as the cluster tests reach it; these tests skip (saying why) when it is not there. */
async function postgresReachable(): Promise<string | null> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await c.end().catch(() => undefined);
  }
}
const noPostgres = await postgresReachable();
if (noPostgres) console.warn(`game-retention.test.ts: PostgreSQL tests skipped (${noPostgres})`);

describe.skipIf(noPostgres !== null)('the retention sweep, PostgreSQL (cluster mode)', () => {
  let s: TestServices;
  beforeEach(async () => {
    s = await testServices();
    await migrate(s.pool);
  });
  afterEach(async () => {
    await s.close();
  });

  it('an old closed game goes; a recent one, one open in the cluster and one written lately stay; sweeps of several processes at once delete each game once', async () => {
    const clock = fakeClock();
    const store = new PostgresStore(s.pool, clock.now);
    const log = new AppendBatch(s.pool, clock.now);
    const write = (gameId: string, firstSeq: number, n: number, also = {}) =>
      log.append({ gameId, epoch: 1, firstSeq, entries: entries(n, firstSeq), also });
    const finished = { end: { end: { tick: 9, hash: '00' }, endedAt: START, outcome }, close: true };
    const old = Array.from({ length: 30 }, (_, i) => `f${String(i).padStart(15, '0')}`);
    for (const id of [...old, OPEN, WRITTEN])
      await store.createGame(
        newGame(id, clock.t),
        [{ playerId: 'p1', name: 'Ada', tokenHash: 'h', kicked: false }],
        {
          epoch: 1,
        },
      );
    for (const id of old)
      await write(id, 0, 3, { ...finished, checkpoint: { tick: 2, bytes: new Uint8Array([1]) } });
    await write(WRITTEN, 0, 1);
    clock.day(300);
    await store.createGame(newGame(RECENT, clock.t), [], { epoch: 1 });
    await write(RECENT, 0, 1, finished);
    clock.day(399);
    await write(WRITTEN, 1, 1, { close: true });
    clock.day(401);

    // Three processes sweep at once, each with a pool of its own.
    const sweeps = [s.pool, s.newPool(), s.newPool()].map((pool) =>
      sweeper(new PostgresStore(pool, clock.now), clock),
    );
    const counts = await Promise.all(sweeps.map((w) => w.retention.sweep()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(old.length);
    expect(sweeps.flatMap((w) => w.deleted).sort()).toEqual(old);

    for (const table of ['games', 'game_commands', 'game_players', 'game_checkpoints']) {
      const r = await s.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE game_id = ANY($1)`,
        [old],
      );
      expect(r.rows[0]!.n, table).toBe(0);
    }
    expect(await store.deletedAt(old[0]!)).toBe(clock.t);
    expect(await store.loadGame(old[0]!)).toBeUndefined();
    const left = (await store.summaries(100)).map((g) => g.gameId).sort();
    expect(left).toEqual([OPEN, RECENT, WRITTEN].sort());
    expect((await store.loadGame(WRITTEN))!.log.commands).toHaveLength(2);
    for (const id of [OPEN, RECENT, WRITTEN]) expect(await store.deletedAt(id)).toBeUndefined();
  });

  it("a log read while another process's sweep deletes its game reads whole, never without its commands", async () => {
    const clock = fakeClock();
    const store = new PostgresStore(s.pool, clock.now);
    const log = new AppendBatch(s.pool, clock.now);
    const finished = { end: { end: { tick: 9, hash: '00' }, endedAt: START, outcome }, close: true };
    for (const id of [OLD, LONG]) {
      await store.createGame(newGame(id, clock.t), [], { epoch: 1 });
      await log.append({ gameId: id, epoch: 1, firstSeq: 0, entries: entries(3), also: finished });
    }
    clock.day(401);
    const other = new PostgresStore(s.newPool(), clock.now);
    const sweepElsewhere = () => other.deleteStaleGames(clock.t - DAYS * DAY_MS, new Set(), 1);
    // Right after the reader has read the game's row, the other process deletes it.
    const reader = new PostgresStore(
      afterQuery(s.pool, 'SELECT header, log_end FROM games', sweepElsewhere),
      clock.now,
    );
    expect((await reader.readLog(OLD))!.commands).toHaveLength(3);
    expect(await store.readLog(OLD)).toBeUndefined();
    const loader = new PostgresStore(
      afterQuery(s.pool, 'SELECT header, log_end FROM games', sweepElsewhere),
      clock.now,
    );
    expect((await loader.loadGame(LONG))!.log.commands).toHaveLength(3);
    expect(await store.loadGame(LONG)).toBeUndefined();
  });

  it('migration 4 touches no existing row (no long lock for old processes); the sweep stamps old games and builds its index CONCURRENTLY', async () => {
    const t = await testServices();
    try {
      await migrate(
        t.pool,
        MIGRATIONS.filter((m) => m.version < 4),
      );
      const day = (d: number) => START + d * DAY_MS;
      const row = `INSERT INTO games (game_id, room_code, created_at, header, teacher_token_hash, room, live, ended_at)
                   VALUES ($1, 'ABCDE', $2, $3, 'h', '{}', false, $4)`;
      // Created on day 0: one ended that day, one ended on day 100, one that never ended.
      await t.pool.query(row, [OLD, day(0), JSON.stringify(header), day(0)]);
      await t.pool.query(row, [RECENT, day(0), JSON.stringify(header), day(100)]);
      await t.pool.query(row, [WRITTEN, day(0), JSON.stringify(header), null]);
      await migrate(t.pool);
      const unstamped = async () =>
        (
          await t.pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM games WHERE last_write_at IS NULL',
          )
        ).rows[0]!.n;
      expect(await unstamped()).toBe(3);
      const index = async () =>
        (
          await t.pool.query<{ valid: boolean | null }>(
            "SELECT (SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('games_closed_last_write')) AS valid",
          )
        ).rows[0]!.valid;
      expect(await index()).toBeNull();
      // A process of the older version creates a game meanwhile: the column's default stamps it.
      await t.pool.query(
        `INSERT INTO games (game_id, room_code, created_at, header, teacher_token_hash, room) VALUES ($1, 'FGHIJ', $2, $3, 'h', '{}')`,
        [OPEN, day(0), JSON.stringify(header)],
      );
      expect(await unstamped()).toBe(3);

      const clock = fakeClock();
      clock.day(401);
      const { retention } = sweeper(new PostgresStore(t.pool, clock.now), clock);
      expect(await retention.sweep()).toBe(2);
      expect(await unstamped()).toBe(0);
      expect(await index()).toBe(true);
      const left = await t.pool.query<{ game_id: string }>('SELECT game_id FROM games ORDER BY game_id');
      expect(left.rows.map((r) => r.game_id)).toEqual([RECENT, OPEN]);
    } finally {
      await t.close();
    }
  });

  it('a step deletes games up to a number of log rows (the first one whatever its length), not a fixed number of games', async () => {
    const clock = fakeClock();
    const log = new AppendBatch(s.pool, clock.now);
    const finished = { end: { end: { tick: 9, hash: '00' }, endedAt: START, outcome }, close: true };
    const store = new PostgresStore(s.pool, clock.now, 5);
    const ids = [OLD, LONG, RECENT];
    for (const [i, id] of ids.entries()) {
      await store.createGame(newGame(id, clock.t + i), [], { epoch: 1 });
      await log.append({
        gameId: id,
        epoch: 1,
        firstSeq: 0,
        entries: entries(i === 0 ? 9 : 2),
        also: finished,
      });
    }
    clock.day(401);
    const before = clock.t - DAYS * DAY_MS;
    // 9 rows (over 5, but the first), then 2 + 2.
    expect(await store.deleteStaleGames(before, new Set(), 20)).toEqual([OLD]);
    expect(await store.deleteStaleGames(before, new Set(), 20)).toEqual([LONG, RECENT]);
    expect(await store.deleteStaleGames(before, new Set(), 20)).toEqual([]);
  });

  it("a batch stamps a game's last write only when its stamp is a minute old or missing, with no extra statement otherwise", async () => {
    const clock = fakeClock();
    const store = new PostgresStore(s.pool, clock.now);
    await store.createGame(newGame(WRITTEN, clock.t), [], { epoch: 1 });
    const statements: string[] = [];
    const log = new AppendBatch(
      afterQuery(
        s.pool,
        '',
        async () => {},
        (sql) => statements.push(sql),
      ),
      clock.now,
    );
    const stamp = async () =>
      Number(
        (
          await s.pool.query<{ t: string }>('SELECT last_write_at AS t FROM games WHERE game_id = $1', [
            WRITTEN,
          ])
        ).rows[0]!.t,
      );
    const stamps = () => statements.filter((q) => q.startsWith('UPDATE games SET last_write_at')).length;
    clock.t += 30_000;
    await log.append({ gameId: WRITTEN, epoch: 1, firstSeq: 0, entries: entries(1) });
    expect(stamps()).toBe(0);
    expect(await stamp()).toBe(START);
    clock.t += 31_000;
    await log.append({ gameId: WRITTEN, epoch: 1, firstSeq: 1, entries: entries(1, 1) });
    expect(stamps()).toBe(1);
    expect(await stamp()).toBe(START + 61_000);
    // A game from before the stamps (none yet) is stamped by its next write.
    await s.pool.query('UPDATE games SET last_write_at = NULL WHERE game_id = $1', [WRITTEN]);
    await log.append({ gameId: WRITTEN, epoch: 1, firstSeq: 2, entries: entries(1, 2) });
    expect(await stamp()).toBe(START + 61_000);
  });
});

/**
 * `pool`, with `hook` run (once) right after the first query that starts with `sql` has answered, and
 * every query's text handed to `seen`.
 */
function afterQuery(
  pool: pg.Pool,
  sql: string,
  hook: () => Promise<unknown>,
  seen: (sql: string) => void = () => {},
): pg.Pool {
  let armed = true;
  const query =
    (on: { query: (...args: unknown[]) => Promise<unknown> }) =>
    async (...args: unknown[]) => {
      if (typeof args[0] === 'string') seen(args[0].trim());
      const result = await on.query(...args);
      if (armed && typeof args[0] === 'string' && args[0].trim().startsWith(sql)) {
        armed = false;
        await hook();
      }
      return result;
    };
  const wrap = <T extends object>(target: T, extra: Record<string | symbol, unknown> = {}): T =>
    new Proxy(target, {
      get(t, key) {
        if (key === 'query') return query(t as never);
        if (key in extra) return extra[key];
        const value = Reflect.get(t, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
      },
    });
  return wrap(pool, { connect: async () => wrap(await pool.connect()) });
}
