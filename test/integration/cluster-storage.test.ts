import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordedGame } from '../../shared/sim/recorded-game.ts';
import { replayLog } from '../../shared/sim/log-fold.ts';
import { stateHash } from '../../shared/sim/hash.ts';
import { builtInScenario } from '../../shared/scenarios/index.ts';
import type { LogEntry } from '../../shared/sim/game-log.ts';
import { migrate, MIGRATIONS } from '../../server/storage/postgres-migrations.ts';
import { PostgresStore } from '../../server/storage/postgres-store.ts';
import { AppendBatch } from '../../server/storage/postgres-append-batch.ts';
import { FencedError, RoomCodeTakenError } from '../../server/storage/postgres-errors.ts';
import { StoreWriteError } from '../../server/storage/store-errors.ts';
import { RoomLeases } from '../../server/cluster/room-leases.ts';
import { LeaseKeeper, takeRoom } from '../../server/cluster/room-ownership.ts';
import { openClusterStorage } from '../../server/cluster/cluster-storage.ts';
import type { NewGame } from '../../server/storage/store.ts';
import { TEST_REDIS_URL, testServices, type TestServices } from './cluster-services.ts';
import { startChild, stopChild } from './child-server.ts';

// Cluster mode's storage against the real PostgreSQL and Redis (.ci/run starts them when they are not
// running): the schema, the batched and fenced command log, the leases, and the order of a takeover.

const header = { scenario: builtInScenario('fail-whale')!, seed: 7, settings: {} };

function newGame(gameId: string, roomCode: string, createdAt = 1): NewGame {
  return {
    gameId,
    roomCode,
    createdAt,
    header,
    teacherTokenHash: 'teacher-hash',
    room: { tick: 0, paused: false, speed: 1, locked: false, scoresHidden: false },
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

let s: TestServices;
let store: PostgresStore;

beforeEach(async () => {
  s = await testServices();
  await migrate(s.pool);
  store = new PostgresStore(s.pool);
});
afterEach(async () => {
  await s.close();
});

describe('migrations', () => {
  it('apply once, in order, even when several processes start together', async () => {
    // beforeEach applied them; three more "processes" starting at once find nothing to do.
    const others = [s.newPool(), s.newPool(), s.newPool()];
    const applied = await Promise.all(others.map((p) => migrate(p)));
    expect(applied).toEqual([[], [], []]);
    const rows = await s.pool.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    // A new step is applied on the next start, and only it.
    const next = [...MIGRATIONS, { version: 99, name: 'test step', sql: 'CREATE TABLE step99 (x int)' }];
    expect(await migrate(s.pool, next)).toEqual([99]);
    expect(await migrate(s.pool, next)).toEqual([]);
  });
});

describe('the command log in PostgreSQL', () => {
  it('batches the appends of every room into one transaction, and the log read back replays to the same game', async () => {
    const batch = new AppendBatch(s.pool);
    const games = new Map<string, RecordedGame>();
    for (const [id, code] of [
      ['game-a', 'AAAAA'],
      ['game-b', 'BBBBB'],
    ] as const) {
      await store.createGame(newGame(id, code));
      expect(await store.claim(id, 1)).toBe(true);
      games.set(id, new RecordedGame(header));
    }
    const written = new Map<string, number>([...games.keys()].map((id) => [id, 0]));
    // 40 ticks of both rooms: 30 students join, start, then purchases; each tick's appends go together.
    for (let t = 0; t < 40; t++) {
      const tickAppends: Promise<void>[] = [];
      for (const [id, g] of games) {
        if (t === 0)
          for (let i = 0; i < 30; i++)
            g.submit({ type: 'join', playerId: `p-${i}`, name: `S${i}`, bot: null });
        if (t === 1) g.submit({ type: 'start' });
        if (t > 1) g.submit({ type: 'buy', playerId: `p-${t % 30}`, item: 'stand' });
        g.advance();
        const from = written.get(id)!;
        tickAppends.push(
          batch.append({ gameId: id, epoch: 1, firstSeq: from, entries: g.log.commands.slice(from) }),
        );
        written.set(id, g.log.commands.length);
      }
      await Promise.all(tickAppends);
    }
    // One transaction per tick for both rooms, not one per room or per command.
    expect(batch.transactions).toBe(40);
    for (const [id, g] of games) {
      const log = (await store.readLog(id))!;
      expect(log.commands).toEqual(g.log.commands);
      expect(log.commands.length).toBeGreaterThan(30);
      expect(stateHash(replayLog(log, { untilTick: g.state.tick }))).toBe(stateHash(g.state));
    }
    // Any process lists the games from the database.
    const list = await new PostgresStore(s.newPool()).listGames();
    expect(list.map((g) => [g.gameId, g.commands, g.live])).toEqual([
      ['game-a', games.get('game-a')!.log.commands.length, true],
      ['game-b', games.get('game-b')!.log.commands.length, true],
    ]);
  });

  it('refuses an append under an old epoch, writing none of it, while other rooms in the same batch commit', async () => {
    await store.createGame(newGame('old', 'OLDOO'));
    await store.createGame(newGame('other', 'OTHER'));
    await store.claim('old', 1);
    await store.claim('other', 1);
    const batch = new AppendBatch(s.pool);
    const entry = (n: number): LogEntry => ({
      tick: n,
      cmd: { type: 'join', playerId: `p-${n}`, name: `N${n}`, bot: null },
    });
    await batch.append({ gameId: 'old', epoch: 1, firstSeq: 0, entries: [entry(0)] });
    // A newer owner claims the game.
    expect(await store.claim('old', 2)).toBe(true);
    expect(await store.claim('old', 2)).toBe(false);
    const stale = batch.append({ gameId: 'old', epoch: 1, firstSeq: 1, entries: [entry(1), entry(2)] });
    const fine = batch.append({ gameId: 'other', epoch: 1, firstSeq: 0, entries: [entry(5)] });
    await expect(stale).rejects.toBeInstanceOf(FencedError);
    await expect(fine).resolves.toBeUndefined();
    expect((await store.readLog('old'))!.commands).toEqual([entry(0)]);
    expect((await store.readLog('other'))!.commands).toEqual([entry(5)]);
    // The new owner carries on from what is there.
    await batch.append({ gameId: 'old', epoch: 2, firstSeq: 1, entries: [entry(3)] });
    expect((await store.readLog('old'))!.commands).toEqual([entry(0), entry(3)]);
    // Writing a position again with the same entry (a commit whose reply was lost, written again) keeps
    // it; with another entry it is refused as a whole, never half-kept.
    await batch.append({ gameId: 'old', epoch: 2, firstSeq: 1, entries: [entry(3)] });
    await expect(
      batch.append({ gameId: 'old', epoch: 2, firstSeq: 1, entries: [entry(4)] }),
    ).rejects.toBeInstanceOf(StoreWriteError);
    expect((await store.readLog('old'))!.commands).toEqual([entry(0), entry(3)]);
  });

  it('keeps room codes unique among open rooms across processes; a closed room frees its code', async () => {
    await store.createGame(newGame('first', 'LEMON'));
    const elsewhere = new PostgresStore(s.newPool());
    await expect(elsewhere.createGame(newGame('second', 'LEMON'))).rejects.toBeInstanceOf(RoomCodeTakenError);
    expect((await store.listGames()).map((g) => g.gameId)).toEqual(['first']);
    await store.closeRoom('first');
    await elsewhere.createGame(newGame('second', 'LEMON', 2));
    expect(await store.liveGameIds()).toEqual(['second']);
  });

  it('keeps players and the end of a game', async () => {
    await store.createGame(newGame('g', 'PLAYS'), [
      { playerId: 'bot-1', name: 'Bot', tokenHash: 'x', kicked: false },
    ]);
    await store.addPlayer('g', { playerId: 'p-1', name: 'Ann', tokenHash: 'y', kicked: false });
    await store.addPlayer('g', { playerId: 'p-1', name: 'Ann', tokenHash: 'y', kicked: true });
    expect((await store.players('g')).map((p) => [p.playerId, p.kicked])).toEqual([
      ['bot-1', false],
      ['p-1', true],
    ]);
    await store.endGame('g', { tick: 9, hash: '0123456789abcd' }, 5, {
      players: 1,
      medianProfit: 0,
      strategies: [],
      top: [],
    });
    expect((await store.readLog('g'))!.end).toEqual({ tick: 9, hash: '0123456789abcd' });
    expect((await store.listGames())[0]!.endedAt).toBe(5);
    // Its head (what the REST layer decides access by): the summary, the token's hash, the header.
    const head = (await store.gameHead('g'))!;
    expect(head.summary).toEqual((await store.summaries())[0]);
    expect(head.teacherTokenHash).toBe('teacher-hash');
    expect(head.header.scenario.id).toBe('fail-whale');
    expect(await store.gameHead('nope')).toBeUndefined();
  });
});

describe('room leases in Redis', () => {
  it('one owner at a time; a lapsed lease goes to the next process with a higher epoch, and the old one cannot renew or write', async () => {
    await store.createGame(newGame('room', 'LEASE'));
    const a = new RoomLeases(s.redis, 'node-a', 300, s.prefix);
    const b = new RoomLeases(s.redis, 'node-b', 300, s.prefix);
    const la = (await takeRoom(a, store, 'room'))!;
    expect(la.epoch).toBe(1);
    expect(await takeRoom(b, store, 'room')).toBeNull();
    expect(await a.holder('room')).toEqual({ nodeId: 'node-a', epoch: 1 });
    // Renewals keep it past several lease periods.
    for (let i = 0; i < 4; i++) {
      await wait(120);
      expect(await a.renew(la)).toBe(true);
      expect(await takeRoom(b, store, 'room')).toBeNull();
    }
    // Node A stops renewing (paused, or dead): B gets the room once the lease expires.
    await wait(350);
    const lb = (await takeRoom(b, store, 'room'))!;
    expect(lb.epoch).toBe(2);
    expect(await a.renew(la)).toBe(false);
    await expect(
      new AppendBatch(s.pool).append({
        gameId: 'room',
        epoch: la.epoch,
        firstSeq: 0,
        entries: [{ tick: 0, cmd: { type: 'start' } }],
      }),
    ).rejects.toBeInstanceOf(FencedError);
    // A clean stop gives the room up at once.
    await b.release(lb);
    expect(await a.holder('room')).toBeNull();
  });

  it('after Redis forgets everything (a restart without disk), the next epoch still passes the fence in PostgreSQL', async () => {
    await store.createGame(newGame('room', 'AMNES'));
    const a = new RoomLeases(s.redis, 'node-a', 5000, s.prefix);
    await store.claim('room', 41);
    const keys = await s.redis.keys(`${s.prefix}*`);
    if (keys.length) await s.redis.del(...keys);
    const lease = (await takeRoom(a, store, 'room'))!;
    expect(lease.epoch).toBe(42);
    expect(await store.epochOf('room')).toBe(42);
  });

  it('the keeper renews while the process runs and reports the lease lost once it was taken', async () => {
    await store.createGame(newGame('room', 'KEEPR'));
    const a = new RoomLeases(s.redis, 'node-a', 300, s.prefix);
    const lease = (await takeRoom(a, store, 'room'))!;
    const lost: string[] = [];
    const keeper = new LeaseKeeper(a, lease, (why) => lost.push(why));
    await wait(900); // three lease periods
    expect(lost).toEqual([]);
    expect(await a.holder('room')).toEqual({ nodeId: 'node-a', epoch: 1 });
    // Someone deletes the key and a newer owner takes the room (what a partition looks like from here).
    await s.redis.del(a.ownerKey('room'));
    const b = new RoomLeases(s.redis, 'node-b', 300, s.prefix);
    expect((await takeRoom(b, store, 'room'))!.epoch).toBe(2);
    await expect.poll(() => lost, { timeout: 2000 }).toEqual(['taken']);
    keeper.stop();
  });
});

describe('an owner frozen inside a transaction', () => {
  it('does not hold a takeover up: PostgreSQL ends its transaction before the lease would expire', async () => {
    const storage = await openClusterStorage({
      redisUrl: TEST_REDIS_URL,
      databaseUrl: s.databaseUrl,
      leaseMs: 400,
      nodeId: 'frozen',
      keyPrefix: s.prefix,
    });
    try {
      await store.createGame(newGame('frozen', 'FRZN1'));
      // The owner locked the game's fence (as AppendBatch does), then stopped (SIGSTOP) before COMMIT.
      const c = await storage.pool.connect();
      c.on('error', () => undefined);
      await c.query('BEGIN');
      await c.query('SELECT epoch FROM games WHERE game_id = $1 FOR UPDATE', ['frozen']);
      const asked = Date.now();
      // The next owner's claim waits for the lock, which PostgreSQL releases by ending that transaction.
      expect(await store.claim('frozen', 2)).toBe(true);
      console.log(
        `claim behind a frozen transaction went through after ${Date.now() - asked} ms (lease 400 ms)`,
      );
      await expect(c.query('COMMIT')).rejects.toThrow();
      c.release(true);
    } finally {
      await storage.close();
    }
  });
});

describe('a server process in cluster mode', () => {
  it('migrates the schema at start, then serves (rooms: test/integration/cluster-rooms.test.ts)', async () => {
    // A fresh schema: beforeEach migrated the shared one, so drop the tables to see a first start.
    await s.pool.query(
      'DROP TABLE deleted_games, game_checkpoints, game_commands, game_players, games, schema_migrations',
    );
    const srv = await startChild(os.tmpdir(), {
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: s.databaseUrl,
      KEY_PREFIX: s.prefix,
      NODE_ID: 'migrator',
    });
    try {
      expect(srv.output().stdout).toContain(
        `migrations applied now: ${MIGRATIONS.map((m) => m.version).join(', ')}`,
      );
      const health = (await (await fetch(`${srv.url}/health`)).json()) as { ok: boolean; node: string };
      expect(health).toMatchObject({ ok: true, node: 'migrator' });
    } finally {
      await stopChild(srv.child);
    }
    const v = await s.pool.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(v.rows.map((x) => x.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });
});
